package dev.vwb.workbench.hv;

import dev.vwb.machine.cpu.Cpu;
import dev.vwb.machine.cpu.CpuControl;
import dev.vwb.machine.cpu.CpuFault;
import dev.vwb.machine.cpu.Eflags;
import dev.vwb.machine.cpu.SegReg;
import dev.vwb.machine.cpu.SegmentView;

/**
 * The descriptor tables, TSS and page directory the real CPU uses while the guest runs, kept in
 * step with the guest's own (which the guest loads through trapped LGDT, LIDT, LLDT, LTR and MOV
 * CRn, and edits with ordinary writes the hypervisor does not see):
 * <ul>
 *   <li>GDT and LDT: the guest's, ring-compressed, re-read on LGDT/LLDT and whenever a selector
 *       fault may come from a stale copy (then the instruction is retried);
 *   <li>IDT: each gate re-read just before it is used, so a guest that fills its IDT after LIDT
 *       is served right;
 *   <li>TSS: the hypervisor's own; its ring-1 stack is set from the guest TSS's ring-0 stack
 *       before every delivery, where the CPU will look for it;
 *   <li>page directory: with guest paging off an identity map; with it on a copy of the guest's
 *       directory (its page tables are used as they are), re-read on CR3 loads and INVLPG, and
 *       entry by entry when a page fault shows an entry is stale. This is the whole of memory
 *       virtualization until shadow paging replaces it.
 * </ul>
 */
final class ShadowTables {
    private static final int PDE_PRESENT = 1;
    private static final int PDE_WRITABLE = 2;
    private static final int PDE_USER = 4;
    private static final int PDE_ACCESSED_DIRTY = 0x60;
    private static final int PDE_PS = 0x80;
    static final int CR4_PSE = 1 << 4;

    private final Cpu cpu;
    private final CpuControl control;
    private final VirtualCpu v;
    private final MonitorMemory mon;
    /** How many GDT bytes the last sync copied (entries past it are zero). */
    private int gdtCopied;
    private int ldtBase;
    /** The directory entries present in the copy, for {@link #syncAccessedDirty}. */
    private final int[] presentPdes = new int[1023];
    private int presentCount;
    private int ldtLimit = -1;

    ShadowTables(Cpu cpu, VirtualCpu v, MonitorMemory mon) {
        this.cpu = cpu;
        this.control = cpu.control();
        this.v = v;
        this.mon = mon;
    }

    /** Builds the fixed parts (the window's page table, the identity directory, the TSS) and loads the real registers. */
    void install() {
        for (int k = 0; k < MonitorMemory.SIZE; k += 4) {
            mon.write32(k, 0);
        }
        for (int k = 0; k < MonitorMemory.SIZE / 4096; k++) {
            int entry = 1024 - MonitorMemory.SIZE / 4096 + k;
            mon.write32(MonitorMemory.WINDOW_PT + entry * 4, mon.phys(k * 4096) | PDE_PRESENT | PDE_WRITABLE);
        }
        for (int i = 0; i < 1023; i++) {
            mon.write32(MonitorMemory.IDENTITY_PD + i * 4, i << 22 | PDE_PS | PDE_USER | PDE_WRITABLE | PDE_PRESENT);
        }
        mon.write32(MonitorMemory.IDENTITY_PD + 1023 * 4, windowPde());
        // The hypervisor's TSS: a 32-bit TSS descriptor, no I/O bitmap (the map base, the word at
        // 66h, lies past the limit, so every port access from CPL > IOPL faults: SDM Vol. 1
        // §19.5.2; a base of 0 would read the TSS's own bytes as the bitmap and let ports below
        // 340h through).
        mon.write32(MonitorMemory.TSS + 0x64, 104 << 16);
        long tss = RingCompression.withBaseAndLimit(0x0000_8900_0000_0000L, MonitorMemory.linear(MonitorMemory.TSS), 103);
        mon.write64(MonitorMemory.GDT + MonitorMemory.TSS_SELECTOR, tss | 0x0000_0200_0000_0000L);  // busy
        cpu.setGdtr(MonitorMemory.linear(MonitorMemory.GDT), 0xFFFF);
        control.setTr(MonitorMemory.TSS_SELECTOR, MonitorMemory.linear(MonitorMemory.TSS), 103);
        cpu.setIdtr(MonitorMemory.linear(MonitorMemory.IDT), 0x7FF);
        syncPaging();
        syncGdt();
        syncIdt();
        control.setAccessedListener(this::accessed);
    }

    private int windowPde() {
        return mon.phys(MonitorMemory.WINDOW_PT) | PDE_WRITABLE | PDE_PRESENT;
    }

    MonitorMemory monitor() {
        return mon;
    }

    /** Writes the bookkeeping that is not in the tables themselves (for machine snapshots). */
    void saveState(int at) {
        mon.write32(at, gdtCopied);
        mon.write32(at + 4, ldtBase);
        mon.write32(at + 8, ldtLimit);
    }

    /** Reads it back, and works out the rest again from the tables in the hypervisor's memory. */
    void restoreState(int at) {
        gdtCopied = mon.read32(at);
        ldtBase = mon.read32(at + 4);
        ldtLimit = mon.read32(at + 8);
        presentCount = 0;
        for (int i = 0; i < 1023; i++) {
            if ((mon.read32(MonitorMemory.GUEST_PD + i * 4) & PDE_PRESENT) != 0) {
                presentPdes[presentCount++] = i;
            }
        }
    }

    // ---- GDT and LDT -----------------------------------------------------------------------------

    /** Re-reads the guest's GDT; returns whether any shadow descriptor changed. */
    boolean syncGdt() {
        int bytes = Math.min(v.gdtLimit + 1, MonitorMemory.TSS_SELECTOR) & ~7;
        boolean changed = false;
        for (int off = 0; off < Math.max(bytes, gdtCopied); off += 8) {
            long shadow = off < bytes ? shadowOf(readGuest64(v.gdtBase + off), off) : 0;
            if (off == 0) {
                shadow = 0;  // the null descriptor
            }
            long old = mon.read64(MonitorMemory.GDT + off);
            // The CPU sets accessed bits in the shadow; they are not a change.
            if ((old | 1L << 40) != (shadow | 1L << 40)) {
                mon.write64(MonitorMemory.GDT + off, shadow);
                changed = true;
            }
        }
        gdtCopied = bytes;
        return changed;
    }

    /** A guest descriptor as the real CPU gets it; the LDT descriptor in use points at the shadow LDT. */
    private long shadowOf(long guest, int selectorIndex) {
        if (RingCompression.system(guest) && RingCompression.type(guest) == 2 && (v.ldtr & ~7) == selectorIndex && v.ldtr != 0) {
            long limit = Math.min(RingCompression.limitBytes(guest), MonitorMemory.LDT_LIMIT);
            return RingCompression.withBaseAndLimit(guest, MonitorMemory.linear(MonitorMemory.LDT), limit);
        }
        return RingCompression.segment(guest);
    }

    /** Re-reads the guest's current LDT (after LLDT), and points LDTR at its shadow. */
    boolean syncLdt() {
        boolean changed = false;
        if ((v.ldtr & ~3) == 0) {
            ldtBase = 0;
            ldtLimit = -1;
            control.setLdtr(0, 0, 0);
            return false;
        }
        long d = readGuest64(v.gdtBase + (v.ldtr & ~7));
        ldtBase = RingCompression.base(d);
        ldtLimit = (int) Math.min(RingCompression.limitBytes(d), MonitorMemory.LDT_LIMIT);
        for (int off = 0; off + 7 <= ldtLimit; off += 8) {
            long shadow = RingCompression.segment(readGuest64(ldtBase + off));
            long old = mon.read64(MonitorMemory.LDT + off);
            if ((old | 1L << 40) != (shadow | 1L << 40)) {
                mon.write64(MonitorMemory.LDT + off, shadow);
                changed = true;
            }
        }
        control.setLdtr(v.ldtr & ~3, MonitorMemory.linear(MonitorMemory.LDT), ldtLimit);
        syncGdt();
        return changed;
    }

    /** The segment registers as loaded (by the loader, or a task switch in the guest's view): ring 0 becomes ring 1 in their caches too. */
    void compressLoadedSegments() {
        for (SegReg s : SegReg.values()) {
            SegmentView view = cpu.segment(s);
            long d = RingCompression.withBaseAndLimit((long) (view.attributes() & 0x00F0FF00) << 32, view.base(),
                    view.limit() & 0xFFFF_FFFFL);
            long compressed = RingCompression.segment(d);
            int selector = view.selector();
            if ((s == SegReg.CS || s == SegReg.SS) && (selector & 3) == 0 && (selector & ~3) != 0) {
                selector |= 1;
            }
            cpu.setSegment(s, new SegmentView(selector, view.base(), (int) RingCompression.limitBytes(compressed),
                    (int) (compressed >>> 32) & 0x00F0FF00));
        }
    }

    /**
     * The real CPU set up as the guest believes it is (its GDT, IDT, LDT, TR, control registers,
     * ring 0 and its flags), for one instruction the CPU must run with the guest's own tables: a
     * hardware task switch. {@link #leaveGuestView} puts the hypervisor's set-up back.
     */
    void enterGuestView() {
        cpu.setGdtr(v.gdtBase, v.gdtLimit);
        cpu.setIdtr(v.idtBase, v.idtLimit);
        long tr = guestDescriptor(v.tr & ~3);
        control.setTr(v.tr, RingCompression.base(tr), (int) RingCompression.limitBytes(tr), (RingCompression.type(tr) & 8) != 0);
        long ldt = (v.ldtr & ~3) == 0 ? 0 : guestDescriptor(v.ldtr & ~3);
        control.setLdtr(v.ldtr, RingCompression.base(ldt), (int) RingCompression.limitBytes(ldt));
        control.setCr(4, v.cr4);
        control.setCr(0, v.cr0);
        if (v.pagingEnabled()) {
            control.setCr(3, v.cr3);
        }
        control.flushTlb();
        for (SegReg s : SegReg.values()) {
            SegmentView view = cpu.segment(s);
            int selector = VirtualCpu.guestSelector(view.selector());
            int attributes = view.attributes();
            if (((attributes >>> 13) & 3) == 1 && (attributes & 0x1000) != 0) {
                attributes &= ~(3 << 13);  // DPL 1 was the guest's 0
            }
            cpu.setSegment(s, new SegmentView(selector, view.base(), view.limit(), attributes));
        }
        cpu.setEflags(v.eflags());
    }

    /** After an instruction in the guest's view: its results become the virtual CPU's, and the real CPU the hypervisor's again. */
    void leaveGuestView() {
        int flags = cpu.eflags();
        v.setInterruptFlag((flags & Eflags.IF) != 0);
        v.viopl = (flags & Eflags.IOPL) >>> Eflags.IOPL_SHIFT;
        v.tr = control.trSelector();
        v.ldtr = control.ldtrSelector();
        v.cr0 = cpu.cr0();
        if (v.pagingEnabled()) {
            v.cr3 = cpu.cr3();
        }
        cpu.setGdtr(MonitorMemory.linear(MonitorMemory.GDT), 0xFFFF);
        control.setTr(MonitorMemory.TSS_SELECTOR, MonitorMemory.linear(MonitorMemory.TSS), 103);
        syncPaging();
        syncGdt();
        syncLdt();
        syncIdt();
        compressLoadedSegments();
        cpu.setEflags((flags | Eflags.IF) & ~Eflags.IOPL);
        syncRing1Stack();
    }

    // ---- IDT and TSS ---------------------------------------------------------------------------

    void syncIdt() {
        cpu.setIdtr(MonitorMemory.linear(MonitorMemory.IDT), Math.min(v.idtLimit, 0x7FF));
        for (int vector = 0; vector < 256; vector++) {
            syncGate(vector);
        }
    }

    /** Re-reads one gate of the guest's IDT; returns the guest's gate (0 when outside its IDT). */
    long syncGate(int vector) {
        long guest = vector * 8 + 7 <= v.idtLimit ? readGuest64(v.idtBase + vector * 8) : 0;
        mon.write64(MonitorMemory.IDT + vector * 8, RingCompression.gate(guest));
        return guest;
    }

    /**
     * Sets the hypervisor TSS's ring-1 stack to the guest TSS's ring-0 stack: where the CPU
     * switches stacks when an interrupt or call gate takes the guest from user code into its kernel.
     */
    void syncRing1Stack() {
        if ((v.tr & ~3) == 0) {
            return;
        }
        long d = readGuest64(v.gdtBase + (v.tr & ~7));
        int base = RingCompression.base(d);
        int esp0 = readGuest32(base + 4);
        int ss0 = readGuest32(base + 8) & 0xFFFF;
        mon.write32(MonitorMemory.TSS + 12, esp0);
        mon.write32(MonitorMemory.TSS + 16, (ss0 & 3) == 0 ? ss0 | 1 : ss0);
    }

    // ---- paging --------------------------------------------------------------------------------

    /** Loads the real CR0, CR3 and CR4 for the guest's virtual ones (after the guest changed one). */
    void syncPaging() {
        int cr3;
        if (v.pagingEnabled()) {
            copyGuestDirectory();
            cr3 = mon.phys(MonitorMemory.GUEST_PD);
        } else {
            cr3 = mon.phys(MonitorMemory.IDENTITY_PD);
        }
        control.setCr(4, v.cr4 | CR4_PSE);
        control.setCr(0, v.cr0 | Cpu.CR0_PE | Cpu.CR0_PG);
        control.setCr(3, cr3);
        control.flushTlb();
    }

    private void copyGuestDirectory() {
        int pd = v.cr3 & ~0xFFF;
        presentCount = 0;
        for (int i = 0; i < 1023; i++) {
            int e = guestPde(pd, i);
            mon.write32(MonitorMemory.GUEST_PD + i * 4, e);
            if ((e & PDE_PRESENT) != 0) {
                presentPdes[presentCount++] = i;
            }
        }
        mon.write32(MonitorMemory.GUEST_PD + 1023 * 4, windowPde());
    }

    /**
     * Copies the accessed and dirty bits the CPU set in the copied directory back into the
     * guest's (SDM Vol. 3A §4.8: the guest may read them). Done at every exit, for the present
     * entries only; a guest that reads them with no exit since the access sees them late.
     */
    void syncAccessedDirty() {
        if (!v.pagingEnabled()) {
            return;
        }
        int pd = v.cr3 & ~0xFFF;
        for (int k = 0; k < presentCount; k++) {
            int i = presentPdes[k];
            int bits = mon.read32(MonitorMemory.GUEST_PD + i * 4) & PDE_ACCESSED_DIRTY;
            if (bits != 0) {
                int guest = mon.mem.read32(pd + i * 4);
                if ((guest & PDE_PRESENT) != 0 && (guest & bits) != bits) {
                    mon.mem.write32(pd + i * 4, guest | bits);
                }
            }
        }
    }

    /** The guest's directory entry {@code i} as the real CPU should use it (4 MiB pages only with the guest's CR4.PSE). */
    private int guestPde(int pd, int i) {
        int e = mon.mem.read32(pd + i * 4);
        if ((v.cr4 & CR4_PSE) == 0) {
            e &= ~PDE_PS;
        }
        return e;
    }

    /**
     * After a page fault at {@code linear}: whether the copied directory entry differed from the
     * guest's (a fault the guest must not see); the copy is then brought up to date.
     */
    boolean refreshDirectoryEntry(int linear) {
        int i = linear >>> 22;
        if (!v.pagingEnabled() || i == 1023) {
            return false;
        }
        int guest = guestPde(v.cr3 & ~0xFFF, i);
        int copy = mon.read32(MonitorMemory.GUEST_PD + i * 4);
        if ((guest | PDE_ACCESSED_DIRTY) == (copy | PDE_ACCESSED_DIRTY)) {
            return false;
        }
        mon.write32(MonitorMemory.GUEST_PD + i * 4, guest);
        if ((guest & PDE_PRESENT) != 0 && (copy & PDE_PRESENT) == 0) {
            presentPdes[presentCount++] = i;
        }
        control.flushTlb();
        return true;
    }

    /** INVLPG: the copied entry of that address is re-read too. */
    void invalidate(int linear) {
        refreshDirectoryEntry(linear);
        control.invalidatePage(linear);
    }

    /**
     * The guest's descriptor for a selector (GDT or, with TI set, its current LDT), or 0 when the
     * selector lies outside the table.
     */
    long guestDescriptor(int selector) {
        int index = selector & ~7;
        if ((selector & 4) != 0) {
            return ldtLimit >= 0 && index + 7 <= ldtLimit ? readGuest64(ldtBase + index) : 0;
        }
        return index + 7 <= v.gdtLimit ? readGuest64(v.gdtBase + index) : 0;
    }

    /** Whether a selector lies inside its table (its descriptor may still be all zero). */
    boolean guestDescriptorExists(int selector) {
        int index = selector & ~7;
        return (selector & 4) != 0 ? ldtLimit >= 0 && index + 7 <= ldtLimit : index + 7 <= v.gdtLimit;
    }

    /**
     * The CPU marked a shadow descriptor accessed: the guest's own gets the bit too (SDM Vol. 3A
     * §3.4.5.1), since the guest reads its tables, never the shadows.
     */
    void accessed(int selector) {
        int index = selector & ~7;
        int at;
        if ((selector & 4) != 0) {
            at = ldtBase + index;
        } else if (index == MonitorMemory.TSS_SELECTOR) {
            return;
        } else {
            at = v.gdtBase + index;
        }
        try {
            int high = control.readLinear32(at + 4);
            control.writeLinear32(at + 4, high | 1 << 8);
        } catch (CpuFault f) {
            // The guest unmapped its table: nothing to mark.
        }
    }

    // ---- guest memory --------------------------------------------------------------------------

    private long readGuest64(int linear) {
        return (readGuest32(linear) & 0xFFFF_FFFFL) | (long) readGuest32(linear + 4) << 32;
    }

    /** A dword at a guest linear address, or 0 when it is not mapped. */
    int readGuest32(int linear) {
        try {
            return control.readLinear32(linear);
        } catch (CpuFault f) {
            return 0;
        }
    }
}
