package dev.vwb.machine.cpu;

import static dev.vwb.machine.cpu.Cpu.SS;

/**
 * The CPU's memory management unit as instructions see it: every data access goes through a
 * segment (limit and type checks, SDM Vol. 3A §5.3, §5.5) and then paging (the TLB in
 * {@link Paging}), with #AC for misaligned accesses where CR0.AM asks for it, and the reports to
 * {@link MemoryListener}s.
 *
 * <p>The reads and writes here are the hot path: one segment check, then one TLB entry load
 * decides. The entry's tag is compared with the page of the access's LAST byte, so an access
 * that crosses into the next page misses and takes the slow path, which translates each page.
 * While memory is observed the CPU points {@link #readTlb} and {@link #writeTlb} at an empty
 * table, so every access takes the slow path, which reports it.
 */
final class Mmu {
    private static final int TLB_MASK = Paging.ENTRIES - 1;
    /** An empty TLB: while memory is observed every access misses into the slow paths. */
    private static final long[] NO_ENTRIES = new long[Paging.ENTRIES];

    private final Cpu c;
    /** The TLB entries that allow reads and writes at the current privilege level. */
    private long[] readTlb, writeTlb;

    Mmu(Cpu cpu) {
        this.c = cpu;
    }

    /** The CPL changed, or memory observers came or went: which TLB entries apply now. */
    void privilegeChanged() {
        boolean observed = c.memoryListeners != null;
        readTlb = observed ? NO_ENTRIES : c.pager.readEntries(c.cpl == 3);
        writeTlb = observed ? NO_ENTRIES : c.pager.writeEntries(c.cpl == 3);
    }

    /** Linear to physical for an access at the current privilege level (user at CPL 3). */
    int translate(int linear, boolean write) {
        return c.pager.translate(linear, write, c.cpl == 3);
    }

    /** Linear to physical for the CPU's own accesses (descriptor tables, the TSS): always supervisor. */
    int translateSupervisor(int linear, boolean write) {
        return c.pager.translate(linear, write, false);
    }

    /**
     * Checks a read of {@code size} bytes at {@code offset} against the segment's limit and type
     * and returns the linear address (SDM Vol. 3A §5.3, §5.5).
     */
    int linear(int s, int offset, int size) {
        Segment sg = c.seg[s];
        if (((offset - sg.lo) & 0xFFFF_FFFFL) + size > sg.readSpan) {
            return checkedLinear(s, offset, size);
        }
        return sg.base + offset;
    }

    /** As {@link #linear} for a write: the segment must also be writable data. */
    int linearWrite(int s, int offset, int size) {
        Segment sg = c.seg[s];
        if (((offset - sg.lo) & 0xFFFF_FFFFL) + size > sg.writeSpan) {
            return checkedLinear(s, offset, size);
        }
        return sg.base + offset;
    }

    /**
     * The slow path of the access checks. Real mode checks the limit but not the type (a real-mode
     * program may write through CS); protected mode faults with #SS(0) for the stack segment and
     * #GP(0) otherwise, for a limit or type violation or a null selector alike (SDM Vol. 3A §6.15).
     */
    private int checkedLinear(int s, int offset, int size) {
        Segment sg = c.seg[s];
        if (!c.protectedMode() && sg.withinLimit(offset, size)) {
            return sg.base + offset;
        }
        throw new GuestFault(s == SS ? Vectors.SS : Vectors.GP, 0);
    }

    int read8(int s, int offset) {
        int lin = linear(s, offset, 1);
        long e = readTlb[lin >>> 12 & TLB_MASK];
        if ((int) (e >>> 32) == (lin >>> 12) + 1) {
            return c.mem.read8((int) e | lin & 0xFFF);
        }
        int phys = translate(lin, false);
        int v = c.mem.read8(phys);
        if (c.memoryListeners != null) {
            reportAccess(lin, phys, 1, v, false);
        }
        return v;
    }

    int read16(int s, int offset) {
        int lin = linear(s, offset, 2);
        long e = readTlb[lin >>> 12 & TLB_MASK];
        if ((int) (e >>> 32) == (lin + 1 >>> 12) + 1 && ((lin & 1) == 0 || (c.cr0 & Cpu.CR0_AM) == 0)) {
            return c.mem.read16((int) e | lin & 0xFFF);
        }
        return readSlow(lin, 2);
    }

    int read32(int s, int offset) {
        int lin = linear(s, offset, 4);
        long e = readTlb[lin >>> 12 & TLB_MASK];
        if ((int) (e >>> 32) == (lin + 3 >>> 12) + 1 && ((lin & 3) == 0 || (c.cr0 & Cpu.CR0_AM) == 0)) {
            return c.mem.read32((int) e | lin & 0xFFF);
        }
        return readSlow(lin, 4);
    }

    /** A TLB miss, an access across two pages, or a misaligned one with CR0.AM set. */
    private int readSlow(int lin, int size) {
        if ((lin & size - 1) != 0 && (c.cr0 & Cpu.CR0_AM) != 0) {
            alignmentCheck();
        }
        if ((lin & 0xFFF) > 0x1000 - size) {
            return readAcrossPages(lin, size, c.cpl == 3);
        }
        int phys = translate(lin, false);
        int v = size == 2 ? c.mem.read16(phys) : c.mem.read32(phys);
        if (c.memoryListeners != null) {
            reportAccess(lin, phys, size, v, false);
        }
        return v;
    }

    void write8(int s, int offset, int v) {
        int lin = linearWrite(s, offset, 1);
        long e = writeTlb[lin >>> 12 & TLB_MASK];
        if ((int) (e >>> 32) == (lin >>> 12) + 1) {
            c.mem.write8((int) e | lin & 0xFFF, v);
            return;
        }
        int phys = translate(lin, true);
        c.mem.write8(phys, v);
        if (c.memoryListeners != null) {
            reportAccess(lin, phys, 1, v & 0xFF, true);
        }
    }

    void write16(int s, int offset, int v) {
        int lin = linearWrite(s, offset, 2);
        long e = writeTlb[lin >>> 12 & TLB_MASK];
        if ((int) (e >>> 32) == (lin + 1 >>> 12) + 1 && ((lin & 1) == 0 || (c.cr0 & Cpu.CR0_AM) == 0)) {
            c.mem.write16((int) e | lin & 0xFFF, v);
            return;
        }
        writeSlow(lin, 2, v);
    }

    void write32(int s, int offset, int v) {
        int lin = linearWrite(s, offset, 4);
        long e = writeTlb[lin >>> 12 & TLB_MASK];
        if ((int) (e >>> 32) == (lin + 3 >>> 12) + 1 && ((lin & 3) == 0 || (c.cr0 & Cpu.CR0_AM) == 0)) {
            c.mem.write32((int) e | lin & 0xFFF, v);
            return;
        }
        writeSlow(lin, 4, v);
    }

    private void writeSlow(int lin, int size, int v) {
        if ((lin & size - 1) != 0 && (c.cr0 & Cpu.CR0_AM) != 0) {
            alignmentCheck();
        }
        if ((lin & 0xFFF) > 0x1000 - size) {
            writeAcrossPages(lin, size, v, c.cpl == 3);
            return;
        }
        int phys = translate(lin, true);
        if (size == 2) {
            c.mem.write16(phys, v);
        } else {
            c.mem.write32(phys, v);
        }
        if (c.memoryListeners != null) {
            reportAccess(lin, phys, size, size == 2 ? v & 0xFFFF : v, true);
        }
    }

    private void reportAccess(int linear, int physical, int size, int value, boolean write) {
        for (MemoryListener l : c.memoryListeners) {
            l.accessed(c, linear, physical, size, value, write);
        }
    }

    /**
     * For read-modify-write instructions: with c.paging on, checks now that the operand may be
     * written, so that a read-only page faults before the instruction has changed any flag.
     */
    void probeWrite(int s, int offset, int size) {
        int lin = linearWrite(s, offset, size);
        translate(lin, true);
        int last = lin + size - 1;
        if (((last ^ lin) & 0xFFFF_F000) != 0) {
            translate(last & 0xFFFF_F000, true);  // CR2 names the first byte on the second page
        }
    }

    /**
     * A misaligned word or dword access with CR0.AM set: #AC(0) when EFLAGS.AC is set too and the
     * access is made at CPL 3 (SDM Vol. 3A §6.15, "Interrupt 17"). The CPU's own accesses to
     * descriptor tables and the TSS do not come here.
     */
    void alignmentCheck() {
        if (c.cpl == 3 && (c.flags.stored & Eflags.AC) != 0) {
            throw new GuestFault(Vectors.AC, 0);
        }
    }

    /** A word or dword that straddles two pages: each byte through its own page's translation. */
    int readAcrossPages(int lin, int size, boolean user) {
        int v = 0;
        int first = 0;
        for (int k = 0; k < size; k++) {
            int phys = c.pager.translate(lin + k, false, user);
            first = k == 0 ? phys : first;
            v |= c.mem.read8(phys) << (8 * k);
        }
        if (c.memoryListeners != null) {
            reportAccess(lin, first, size, v, false);
        }
        return v;
    }

    /** Both pages are translated (and may fault) before any byte is written. */
    void writeAcrossPages(int lin, int size, int v, boolean user) {
        int first = c.pager.translate(lin, true, user);
        int split = 0x1000 - (lin & 0xFFF);
        int second = c.pager.translate(lin + split, true, user);  // CR2 names the first byte on the second page
        for (int k = 0; k < size; k++) {
            int phys = k < split ? first + k : (second & 0xFFFF_F000) + (k - split);
            c.mem.write8(phys, v >>> (8 * k));
        }
        if (c.memoryListeners != null) {
            reportAccess(lin, first, size, size == 2 ? v & 0xFFFF : v, true);
        }
    }

    /** Writes at a linear address with supervisor rights (the CPU's own pushes onto an inner-ring stack). */
    void writeLinearSupervisor(int linear, int size, int v) {
        if ((linear & 0xFFF) > 0x1000 - size) {
            writeAcrossPages(linear, size, v, false);
            return;
        }
        int phys = translateSupervisor(linear, true);
        if (size == 4) {
            c.mem.write32(phys, v);
        } else {
            c.mem.write16(phys, v);
        }
        if (c.memoryListeners != null) {
            reportAccess(linear, phys, size, size == 2 ? v & 0xFFFF : v, true);
        }
    }

    int read(int s, int offset, int size) {
        switch (size) {
            case 1: return read8(s, offset);
            case 2: return read16(s, offset);
            default: return read32(s, offset);
        }
    }

    void write(int s, int offset, int size, int v) {
        switch (size) {
            case 1: write8(s, offset, v); break;
            case 2: write16(s, offset, v); break;
            default: write32(s, offset, v); break;
        }
    }

    /** Reads at a linear address with supervisor rights (descriptor tables, the IDT, the TSS). */
    int readLinear32(int linear) {
        if ((linear & 0xFFF) > 0xFFC) {
            return readLinear16(linear) | readLinear16(linear + 2) << 16;
        }
        int phys = translateSupervisor(linear, false);
        int v = c.mem.read32(phys);
        if (c.memoryListeners != null) {
            reportAccess(linear, phys, 4, v, false);
        }
        return v;
    }

    int readLinear16(int linear) {
        int phys = translateSupervisor(linear, false);
        int v = (linear & 0xFFF) == 0xFFF
                ? c.mem.read8(phys) | c.mem.read8(translateSupervisor(linear + 1, false)) << 8
                : c.mem.read16(phys);
        if (c.memoryListeners != null) {
            reportAccess(linear, phys, 2, v, false);
        }
        return v;
    }

    void writeLinear8(int linear, int v) {
        int phys = translateSupervisor(linear, true);
        c.mem.write8(phys, v);
        if (c.memoryListeners != null) {
            reportAccess(linear, phys, 1, v & 0xFF, true);
        }
    }
}
