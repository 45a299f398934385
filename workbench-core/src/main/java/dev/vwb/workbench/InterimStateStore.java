package dev.vwb.workbench;

import dev.vwb.machine.Machine;
import dev.vwb.machine.cpu.Cpu;
import dev.vwb.machine.cpu.Reg32;
import dev.vwb.machine.cpu.SegReg;
import dev.vwb.machine.cpu.SegmentView;
import dev.vwb.machine.memory.PhysicalMemory;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * TEMPORARY: machine state saved and restored through the public Machine API only, until
 * {@code Machine.saveState()}/{@code restoreState} exist; then a store over {@code MachineState}
 * replaces this class and nothing else changes.
 *
 * <p>What it keeps: the general registers, EIP, EFLAGS, the six segment registers with their
 * hidden parts, CR0, GDTR, IDTR and RAM (pages shared with the previous image when unchanged,
 * all-zero pages not stored). What the public API cannot put back, and how it copes:
 * <ul>
 *   <li>CR3 and CR4 cannot be written: an image whose CR3/CR4 differ from the CPU's is restored
 *       only when they are 0 (a CPU reset clears them); otherwise it is refused with a reason.
 *   <li>CR2, LDTR, TR, the debug registers and the TSC offset keep their current values.
 *   <li>The halted flag cannot be set: images are not taken while halted (refused).
 *   <li>The retired-instruction count cannot be set: this store keeps an offset, so
 *       {@link #time()} is right, but RDTSC and the timer see the machine's own count.
 *   <li>The PIC, PIT and UART keep their state (no public access), so guests that use the
 *       timer do not replay exactly.
 * </ul>
 */
final class InterimStateStore implements StateStore {
    static final String FORMAT = "interim-1";
    private static final long MAGIC = 0x5657_4249_4E54_524DL;  // "VWBINTRM"
    private static final int PAGE = PhysicalMemory.PAGE_SIZE;
    private static final byte[] ZERO_PAGE = new byte[PAGE];

    private final Machine machine;
    /** The VM's time minus the machine's retired count (the count itself cannot be set). */
    private long offset;
    /** The last image saved or restored: unchanged pages are shared with it. */
    private Image last;

    InterimStateStore(Machine machine) {
        this.machine = machine;
        this.offset = -machine.cpu().instructionsRetired();
    }

    /** The CPU part of an image. */
    record CpuState(int[] gprs, int eip, int eflags, SegmentView[] segments, int cr0, int cr2, int cr3, int cr4,
                    int gdtrBase, int gdtrLimit, int idtrBase, int idtrLimit, boolean halted) {
    }

    /** An image: the CPU and the RAM, one array per 4 KiB page (null for a page of zeros). */
    record Image(long time, int ramSize, CpuState cpu, byte[][] pages) implements MachineImage {
    }

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public long time() {
        return machine.cpu().instructionsRetired() + offset;
    }

    @Override
    public Image save() {
        Cpu c = machine.cpu();
        int[] gprs = new int[8];
        for (Reg32 r : Reg32.values()) {
            gprs[r.ordinal()] = c.reg(r);
        }
        SegmentView[] segs = new SegmentView[6];
        for (SegReg s : SegReg.values()) {
            segs[s.ordinal()] = c.segment(s);
        }
        CpuState cpu = new CpuState(gprs, c.eip(), c.eflags(), segs, c.cr0(), c.cr2(), c.cr3(), c.cr4(),
                c.gdtrBase(), c.gdtrLimit(), c.idtrBase(), c.idtrLimit(), c.halted());
        PhysicalMemory mem = machine.memory();
        byte[][] pages = new byte[mem.ramSize() / PAGE][];
        byte[] now = new byte[PAGE];
        for (int p = 0; p < pages.length; p++) {
            readPage(mem, p * PAGE, now);
            byte[] before = last == null || last.pages.length != pages.length ? null : last.pages[p];
            if (before != null && Arrays.equals(now, before)) {
                pages[p] = before;  // shared: an image costs only the pages that changed
            } else if (!Arrays.equals(now, ZERO_PAGE)) {
                pages[p] = now.clone();
            }
        }
        last = new Image(time(), mem.ramSize(), cpu, pages);
        return last;
    }

    @Override
    public String cannotRestore(MachineImage image) {
        if (!(image instanceof Image img)) {
            return "the snapshot was made by another state format than " + FORMAT;
        }
        if (img.ramSize != machine.memory().ramSize()) {
            return String.format("the snapshot is of a machine with %d MiB of RAM, this one has %d MiB",
                    img.ramSize >> 20, machine.memory().ramSize() >> 20);
        }
        if (img.cpu.halted) {
            return "the snapshot was taken while the CPU was halted, which the interim snapshot code cannot restore";
        }
        Cpu c = machine.cpu();
        boolean sameTables = c.cr3() == img.cpu.cr3 && c.cr4() == img.cpu.cr4;
        if ((!sameTables || c.halted()) && (img.cpu.cr3 != 0 || img.cpu.cr4 != 0)) {
            return String.format("the snapshot needs CR3=%08X CR4=%08X (the CPU has %08X %08X%s), which the interim"
                    + " snapshot code cannot set until machine snapshots land", img.cpu.cr3, img.cpu.cr4, c.cr3(), c.cr4(),
                    c.halted() ? " and is halted" : "");
        }
        return null;
    }

    @Override
    public void restore(MachineImage image) {
        String why = cannotRestore(image);
        if (why != null) {
            throw new IllegalStateException(why);  // callers check first: this is a bug
        }
        Image img = (Image) image;
        restoreMemory(img);
        Cpu c = machine.cpu();
        CpuState s = img.cpu;
        if (c.cr3() != s.cr3 || c.cr4() != s.cr4 || c.halted()) {
            c.reset();  // the only public way to clear CR3, CR4 and the halted flag
        }
        c.setCr0(s.cr0 ^ Cpu.CR0_WP);
        c.setGdtr(s.gdtrBase, s.gdtrLimit);
        c.setIdtr(s.idtrBase, s.idtrLimit);
        for (SegReg r : SegReg.values()) {
            c.setSegment(r, s.segments[r.ordinal()]);
        }
        // CR0 is written twice with a different WP, which flushes the TLB whatever it held: the
        // page tables in memory may have changed (a CR0.WP change flushes, SDM Vol. 3A §4.10.4.1).
        c.setCr0(s.cr0);
        for (Reg32 r : Reg32.values()) {
            c.setReg(r, s.gprs[r.ordinal()]);
        }
        c.setEip(s.eip);
        c.setEflags(s.eflags);
        c.flushDecodeCache();
        machine.exitDevice().reset();
        offset = img.time - c.instructionsRetired();
        last = img;
    }

    /** Writes only the pages that differ, so a step back costs the pages the steps changed. */
    private void restoreMemory(Image img) {
        PhysicalMemory mem = machine.memory();
        for (int p = 0; p < img.pages.length; p++) {
            byte[] want = img.pages[p] == null ? ZERO_PAGE : img.pages[p];
            if (!pageEquals(mem, p * PAGE, want)) {
                mem.loadIgnoringRom(p * PAGE, want);
            }
        }
    }

    // Pages move a dword at a time: the public PhysicalMemory API has no bulk copy, and read32
    // is a quarter of the calls of read8.
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private static void readPage(PhysicalMemory mem, int base, byte[] into) {
        for (int i = 0; i < PAGE; i += 4) {
            INT_LE.set(into, i, mem.read32(base + i));
        }
    }

    private static boolean pageEquals(PhysicalMemory mem, int base, byte[] want) {
        for (int i = 0; i < PAGE; i += 4) {
            if (mem.read32(base + i) != (int) INT_LE.get(want, i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void write(MachineImage image, OutputStream out) throws IOException {
        writeImage(image, out);
    }

    @Override
    public Image read(InputStream in) throws IOException {
        return readImage(in);
    }

    static void writeImage(MachineImage image, OutputStream out) throws IOException {
        Image img = (Image) image;
        DataOutputStream d = new DataOutputStream(out);
        d.writeLong(MAGIC);
        d.writeLong(img.time);
        d.writeInt(img.ramSize);
        CpuState s = img.cpu;
        for (int v : s.gprs) {
            d.writeInt(v);
        }
        for (int v : new int[] {s.eip, s.eflags, s.cr0, s.cr2, s.cr3, s.cr4, s.gdtrBase, s.gdtrLimit, s.idtrBase, s.idtrLimit}) {
            d.writeInt(v);
        }
        d.writeBoolean(s.halted);
        for (SegmentView v : s.segments) {
            d.writeInt(v.selector());
            d.writeInt(v.base());
            d.writeInt(v.limit());
            d.writeInt(v.attributes());
        }
        int stored = 0;
        for (byte[] p : img.pages) {
            stored += p == null ? 0 : 1;
        }
        d.writeInt(stored);
        for (int p = 0; p < img.pages.length; p++) {
            if (img.pages[p] != null) {
                d.writeInt(p);
                d.write(img.pages[p]);
            }
        }
        d.flush();
    }

    static Image readImage(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        try {
            if (d.readLong() != MAGIC) {
                throw new SnapshotFormatException("the machine state is not in the " + FORMAT + " format");
            }
            long time = d.readLong();
            int ramSize = d.readInt();
            if (ramSize < PAGE || ramSize % PAGE != 0 || time < 0) {
                throw new SnapshotFormatException("the machine state has an impossible RAM size or time");
            }
            int[] gprs = new int[8];
            for (int i = 0; i < 8; i++) {
                gprs[i] = d.readInt();
            }
            int[] v = new int[10];
            for (int i = 0; i < v.length; i++) {
                v[i] = d.readInt();
            }
            boolean halted = d.readBoolean();
            SegmentView[] segs = new SegmentView[6];
            for (int i = 0; i < 6; i++) {
                segs[i] = new SegmentView(d.readInt(), d.readInt(), d.readInt(), d.readInt());
            }
            byte[][] pages = new byte[ramSize / PAGE][];
            int stored = d.readInt();
            if (stored < 0 || stored > pages.length) {
                throw new SnapshotFormatException("the machine state claims " + stored + " pages of RAM");
            }
            for (int i = 0; i < stored; i++) {
                int p = d.readInt();
                if (p < 0 || p >= pages.length || pages[p] != null) {
                    throw new SnapshotFormatException("the machine state has a bad page number " + p);
                }
                pages[p] = new byte[PAGE];
                d.readFully(pages[p]);
            }
            if (d.read() != -1) {
                throw new SnapshotFormatException("the machine state has bytes after its end");
            }
            CpuState cpu = new CpuState(gprs, v[0], v[1], segs, v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], halted);
            return new Image(time, ramSize, cpu, pages);
        } catch (EOFException e) {
            throw new SnapshotFormatException("the machine state is cut off");
        }
    }
}
