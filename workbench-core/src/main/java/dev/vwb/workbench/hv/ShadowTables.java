package dev.vwb.workbench.hv;

import dev.vwb.machine.cpu.Cpu;
import dev.vwb.machine.cpu.CpuControl;
import dev.vwb.machine.cpu.CpuFault;
import dev.vwb.machine.cpu.Eflags;
import dev.vwb.machine.cpu.SegReg;
import dev.vwb.machine.cpu.SegmentView;

/**
 * The descriptor tables and TSS the real CPU uses while the guest runs, kept in step with the
 * guest's own (which the guest loads through trapped LGDT, LIDT, LLDT and LTR, and edits with
 * ordinary writes the hypervisor does not see), and the guest's memory as the hypervisor reads it:
 * <ul>
 *   <li>GDT and LDT: the guest's, ring-compressed, re-read on LGDT/LLDT and whenever a selector
 *       fault may come from a stale copy (then the instruction is retried);
 *   <li>IDT: each gate re-read just before it is used, so a guest that fills its IDT after LIDT
 *       is served right;
 *   <li>TSS: the hypervisor's own; its ring-1 stack is set from the guest TSS's ring-0 stack
 *       before every delivery, where the CPU will look for it;
 *   <li>paging: the {@link ShadowPager}'s; the guest's memory is read through its own tables
 *       and the p2m, never through the real MMU (whose shadow may not hold the page yet).
 * </ul>
 */
final class ShadowTables {
    private static final int PDE_PRESENT = 1;
    private static final int PDE_WRITABLE = 2;
    private static final int TS = 1 << 3;

    private final Cpu cpu;
    private final CpuControl control;
    private final VirtualCpu v;
    private final MonitorMemory mon;
    private final ShadowPager pager;
    private final IsolationPolicy policy;
    /** How many GDT bytes the last sync copied (entries past it are zero). */
    private int gdtCopied;
    private int ldtBase;
    private int ldtLimit = -1;

    ShadowTables(Cpu cpu, VirtualCpu v, MonitorMemory mon, ShadowPager pager, IsolationPolicy policy) {
        this.policy = policy;
        this.cpu = cpu;
        this.control = cpu.control();
        this.v = v;
        this.mon = mon;
        this.pager = pager;
    }

    /** The rules that keep the guest out of the hypervisor's window. */
    IsolationPolicy policy() {
        return policy;
    }

    /** Builds the fixed parts (the window's page table, the TSS) and loads the real registers. */
    void install() {
        for (int k = 0; k < MonitorMemory.SIZE; k += 4) {
            mon.write32(k, 0);
        }
        for (int k = 0; k < MonitorMemory.SIZE / 4096; k++) {
            int entry = 1024 - MonitorMemory.SIZE / 4096 + k;
            mon.write32(MonitorMemory.WINDOW_PT + entry * 4, mon.phys(k * 4096) | PDE_PRESENT | PDE_WRITABLE);
        }
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

    MonitorMemory monitor() {
        return mon;
    }

    /** Writes the bookkeeping that is not in the tables themselves (for machine snapshots). */
    void saveState(int at) {
        mon.write32(at, gdtCopied);
        mon.write32(at + 4, ldtBase);
        mon.write32(at + 8, ldtLimit);
    }

    /** Reads it back; the shadow page tables start afresh. */
    void restoreState(int at) {
        gdtCopied = mon.read32(at);
        ldtBase = mon.read32(at + 4);
        ldtLimit = mon.read32(at + 8);
        pager.reset();  // the shadows are a cache: rebuilt from the restored guest tables on demand
        pager.activate();
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
        return RingCompression.segment(guest, policy);
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
            long shadow = RingCompression.segment(readGuest64(ldtBase + off), policy);
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
            long compressed = RingCompression.segment(d, policy);
            int selector = view.selector();
            if ((s == SegReg.CS || s == SegReg.SS) && (selector & 3) == 0 && (selector & ~3) != 0) {
                selector |= 1;
            }
            cpu.setSegment(s, new SegmentView(selector, view.base(), (int) RingCompression.limitBytes(compressed),
                    (int) (compressed >>> 32) & 0x00F0FF00));
        }
    }

    /**
     * The real CPU set up as the guest believes it is (its GDT, IDT, LDT, TR, ring 0 and its
     * flags; paging stays the shadow's), for one instruction the CPU must run with the guest's own tables: a
     * hardware task switch. {@link #leaveGuestView} puts the hypervisor's set-up back.
     */
    void enterGuestView() {
        cpu.setGdtr(v.gdtBase, v.gdtLimit);
        cpu.setIdtr(v.idtBase, v.idtLimit);
        long tr = guestDescriptor(v.tr & ~3);
        control.setTr(v.tr, RingCompression.base(tr), (int) RingCompression.limitBytes(tr), (RingCompression.type(tr) & 8) != 0);
        long ldt = (v.ldtr & ~3) == 0 ? 0 : guestDescriptor(v.ldtr & ~3);
        control.setLdtr(v.ldtr, RingCompression.base(ldt), (int) RingCompression.limitBytes(ldt));
        // Paging stays the shadow's: the guest's linear addresses reach its memory only through it.
        // A CR3 the new task's TSS loads comes back through the CPU's CR3 filter (Hypervisor).
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
        v.cr0 |= cpu.cr0() & TS;  // a task switch sets CR0.TS
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

    /** The guest's gate for {@code vector} (0 when outside its IDT). */
    long guestGate(int vector) {
        return vector * 8 + 7 <= v.idtLimit ? readGuest64(v.idtBase + vector * 8) : 0;
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

    /** The ring-1 stack the hypervisor's TSS holds (the guest kernel's), as last set by {@link #syncRing1Stack}. */
    int ring1StackPointer() {
        return mon.read32(MonitorMemory.TSS + 12);
    }

    int ring1StackSelector() {
        return mon.read32(MonitorMemory.TSS + 16) & 0xFFFF;
    }

    // ---- paging --------------------------------------------------------------------------------

    /** Loads the real CR0, CR3 and CR4 for the guest's virtual ones (after the guest changed one). */
    void syncPaging() {
        pager.activate();
    }

    /** INVLPG. */
    void invalidate(int linear) {
        pager.invalidate(linear);
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
        writeGuest32(at + 4, readGuest32(at + 4) | 1 << 8);
    }

    // ---- guest memory --------------------------------------------------------------------------

    private long readGuest64(int linear) {
        return (readGuest32(linear) & 0xFFFF_FFFFL) | (long) readGuest32(linear + 4) << 32;
    }

    /** A dword at a guest linear address (through the guest's tables and the p2m), or 0 when it is not mapped. */
    int readGuest32(int linear) {
        if ((linear & 0xFFF) > 0xFFC) {
            return readGuest16(linear) | readGuest16(linear + 2) << 16;
        }
        long host = pager.linearToHost(linear);
        return host < 0 ? 0 : mon.mem.read32((int) host);
    }

    private int readGuest16(int linear) {
        long lo = pager.linearToHost(linear);
        long hi = pager.linearToHost(linear + 1);
        return (lo < 0 ? 0 : mon.mem.read8((int) lo)) | (hi < 0 ? 0 : mon.mem.read8((int) hi)) << 8;
    }

    /** Writes a dword at a guest linear address (nothing when it is not mapped). */
    void writeGuest32(int linear, int value) {
        for (int k = 0; k < 4; k++) {
            long host = pager.linearToHost(linear + k);
            if (host >= 0) {
                mon.mem.write8((int) host, value >>> 8 * k);
            }
        }
    }
}
