package dev.vwb.workbench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vwb.tracing.FileErrors;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The snapshot file: a zip holding {@code metadata.json} (Jackson; what a person or a tool
 * wants to know without loading the state) and {@code state.bin} (the {@link StateStore}'s
 * binary). Reading checks everything before anything is used: the zip's CRCs, the format name
 * and version, the state format, and that the metadata agrees with the state. Writing goes to a
 * temporary file beside the target, moved over it when complete, so a failed save leaves the
 * old file (if any) as it was and no partial one.
 */
final class SnapshotFile {
    static final String KIND = "vwb-snapshot";
    static final int VERSION = 1;
    private static final String METADATA = "metadata.json";
    private static final String STATE = "state.bin";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SnapshotFile() {
    }

    /** What metadata.json holds. */
    record Metadata(String kind, int version, String vwbVersion, String stateFormat, int ramBytes, String guest,
                    long instructionsRetired, Map<String, String> registers, String console, String serial) {
    }

    /** Writes {@code s} to {@code file}; a one-line {@link WorkbenchException} if it cannot. */
    static void write(Snapshot s, Path file) {
        if (!MachineStateStore.FORMAT.equals(s.format())) {
            throw new IllegalStateException("a snapshot in state format " + s.format() + " cannot be saved");
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            writeZip(s, tmp);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new WorkbenchException("cannot write the snapshot to " + file + ": " + FileErrors.why(e));
        }
    }

    private static void writeZip(Snapshot s, Path to) throws IOException {
        Metadata meta = new Metadata(KIND, VERSION, vwbVersion(), s.format(), s.image().ramSize(), s.guest(), s.time(),
                s.registers().toMap(), s.console(), s.serial());
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(to), 1 << 16);
             ZipOutputStream zip = new ZipOutputStream(os)) {
            zip.setLevel(Deflater.BEST_SPEED);
            zip.putNextEntry(new ZipEntry(METADATA));
            zip.write(JSON.writeValueAsBytes(meta));
            zip.closeEntry();
            // The machine state compresses its RAM itself: stored as it is, not deflated twice.
            ByteArrayOutputStream state = new ByteArrayOutputStream(1 << 20);
            MachineStateStore.writeImage(s.image(), state);
            ZipEntry entry = new ZipEntry(STATE);
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(state.size());
            CRC32 crc = new CRC32();
            crc.update(state.toByteArray());
            entry.setCrc(crc.getValue());
            zip.putNextEntry(entry);
            state.writeTo(zip);
            zip.closeEntry();
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the error being reported is the one that matters
        }
    }

    /** Reads a snapshot file; a one-line {@link WorkbenchException} if it is missing, unreadable or not a snapshot. */
    static Snapshot read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        } catch (SnapshotFormatException | ZipException e) {
            throw new WorkbenchException(file + " is not a usable vwb snapshot: " + e.getMessage());
        } catch (NoSuchFileException e) {
            throw new WorkbenchException("no snapshot file " + file);
        } catch (IOException e) {
            throw new WorkbenchException("cannot read the snapshot " + file + ": " + FileErrors.why(e));
        }
    }

    private static Snapshot read(InputStream in) throws IOException {
        byte[] metaBytes = null;
        byte[] stateBytes = null;
        try (ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                if (e.getName().equals(METADATA)) {
                    metaBytes = zip.readAllBytes();  // the CRC is checked at the end of the entry
                } else if (e.getName().equals(STATE)) {
                    stateBytes = zip.readAllBytes();
                }
            }
        } catch (IllegalArgumentException e) {
            throw new SnapshotFormatException("the zip structure is damaged");
        }
        if (metaBytes == null || stateBytes == null) {
            throw new SnapshotFormatException("it is not a zip with " + METADATA + " and " + STATE);
        }
        Metadata meta;
        try {
            meta = JSON.readValue(metaBytes, Metadata.class);
        } catch (IOException e) {
            throw new SnapshotFormatException(METADATA + " is damaged");
        }
        if (!KIND.equals(meta.kind())) {
            throw new SnapshotFormatException(METADATA + " does not describe a vwb snapshot");
        }
        if (meta.version() != VERSION) {
            throw new SnapshotFormatException("it has snapshot format version " + meta.version()
                    + " (from vwb " + meta.vwbVersion() + "); this vwb reads version " + VERSION);
        }
        requireKnown(meta.stateFormat());
        MachineImage image = MachineStateStore.readImage(new ByteArrayInputStream(stateBytes));
        if (image.ramSize() != meta.ramBytes() || image.time() != meta.instructionsRetired()) {
            throw new SnapshotFormatException("the metadata and the machine state disagree");
        }
        Registers regs;
        try {
            regs = Registers.fromMap(meta.registers());
        } catch (IllegalArgumentException e) {
            throw new SnapshotFormatException(METADATA + " is damaged: " + e.getMessage());
        }
        return new Snapshot(image, meta.stateFormat(), meta.guest(), regs,
                meta.console() == null ? "" : meta.console(), meta.serial() == null ? "" : meta.serial());
    }

    /** The machine's own state format, at the version this vwb writes. */
    private static void requireKnown(String format) throws SnapshotFormatException {
        if (MachineStateStore.FORMAT.equals(format)) {
            return;
        }
        throw new SnapshotFormatException("its machine state has format '" + format + "', which this vwb cannot read");
    }

    private static String vwbVersion() {
        String v = SnapshotFile.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }
}
