package dev.vwb.machine.state;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;

/**
 * A snapshot of a whole machine: the CPU, the devices and RAM, taken between two instructions
 * (see {@code Machine.saveState}). Immutable once taken; restoring it puts the machine back so
 * that it runs on exactly as it did from that moment. RAM is kept as 4 KiB pages, and pages the
 * guest did not write between two snapshots of one machine are shared by both.
 *
 * <p>{@link #write} stores it as: the magic "VWBSTATE", the format version, the RAM size, the
 * retired-instruction count, the component state, then RAM compressed with Deflate. {@link #read}
 * refuses anything else with a one-line reason.
 */
public final class MachineState {
    /** Bumped whenever any component's saved layout changes; older files are refused. */
    public static final int FORMAT_VERSION = 1;
    private static final byte[] MAGIC = {'V', 'W', 'B', 'S', 'T', 'A', 'T', 'E'};
    private static final int PAGE = 4096;

    private final int ramSize;
    private final long instructionsRetired;
    private final byte[] components;
    private final byte[][] pages;

    /**
     * For the machine: {@code components} is what its parts saved; {@code pages} are RAM's 4 KiB
     * pages, which nobody writes once they are in a snapshot.
     */
    public MachineState(int ramSize, long instructionsRetired, byte[] components, byte[][] pages) {
        this.ramSize = ramSize;
        this.instructionsRetired = instructionsRetired;
        this.components = components;
        this.pages = pages;
    }

    public int ramSize() {
        return ramSize;
    }

    /** The machine's virtual clock when the snapshot was taken. */
    public long instructionsRetired() {
        return instructionsRetired;
    }

    /** The saved state of the CPU and devices, for the machine to read back. */
    public DataInputStream components() {
        return new DataInputStream(new ByteArrayInputStream(components));
    }

    /** RAM's pages, for the machine to restore from (shared: never write into them). */
    public byte[][] ramPages() {
        return pages;
    }

    /** Whether two snapshots hold the same machine state (RAM, CPU and devices). */
    public boolean sameStateAs(MachineState other) {
        if (ramSize != other.ramSize || instructionsRetired != other.instructionsRetired
                || !Arrays.equals(components, other.components)) {
            return false;
        }
        for (int i = 0; i < pages.length; i++) {
            if (pages[i] != other.pages[i] && !Arrays.equals(pages[i], other.pages[i])) {
                return false;
            }
        }
        return true;
    }

    public void write(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.write(MAGIC);
        data.writeInt(FORMAT_VERSION);
        data.writeInt(ramSize);
        data.writeLong(instructionsRetired);
        data.writeInt(components.length);
        data.write(components);
        ByteArrayOutputStream packed = new ByteArrayOutputStream();
        try (DeflaterOutputStream deflate = new DeflaterOutputStream(packed, new Deflater(Deflater.BEST_SPEED), 1 << 16)) {
            for (byte[] page : pages) {
                deflate.write(page);
            }
        }
        data.writeInt(packed.size());
        packed.writeTo(data);
        data.flush();
    }

    /**
     * Reads a snapshot that {@link #write} wrote.
     *
     * @throws IOException with a one-line reason: not a snapshot, another format version, truncated or corrupted
     */
    public static MachineState read(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        try {
            byte[] magic = new byte[MAGIC.length];
            data.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IOException("not a vwb machine snapshot");
            }
            int version = data.readInt();
            if (version != FORMAT_VERSION) {
                throw new IOException("a snapshot of format version " + version + "; this vwb reads version " + FORMAT_VERSION);
            }
            int ramSize = data.readInt();
            long retired = data.readLong();
            int componentsLength = data.readInt();
            if (ramSize <= 0 || ramSize % PAGE != 0 || componentsLength < 0 || componentsLength > 1 << 20) {
                throw new IOException("a corrupted snapshot (impossible sizes)");
            }
            byte[] components = new byte[componentsLength];
            data.readFully(components);
            int packedLength = data.readInt();
            if (packedLength < 0) {
                throw new IOException("a corrupted snapshot (impossible sizes)");
            }
            byte[] packed = new byte[packedLength];
            data.readFully(packed);
            return new MachineState(ramSize, retired, components, split(inflate(packed, ramSize)));
        } catch (EOFException e) {
            throw new IOException("a truncated snapshot");
        }
    }

    private static byte[][] split(byte[] ram) {
        byte[][] pages = new byte[ram.length / PAGE][];
        for (int i = 0; i < pages.length; i++) {
            pages[i] = Arrays.copyOfRange(ram, i * PAGE, (i + 1) * PAGE);
        }
        return pages;
    }

    private static byte[] inflate(byte[] packed, int size) throws IOException {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(packed);
            byte[] ram = new byte[size];
            int n = 0;
            while (n < size && !inflater.finished()) {
                int got = inflater.inflate(ram, n, size - n);
                if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                n += got;
            }
            if (n != size || !inflater.finished()) {
                throw new IOException("a corrupted snapshot (RAM does not decompress to " + size + " bytes)");
            }
            return ram;
        } catch (DataFormatException e) {
            throw new IOException("a corrupted snapshot (RAM does not decompress)");
        } finally {
            inflater.end();
        }
    }
}
