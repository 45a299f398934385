package dev.vwb.machine.cpu;

import static dev.vwb.machine.cpu.Cpu.CS;
import static dev.vwb.machine.cpu.Cpu.DS;
import static dev.vwb.machine.cpu.Cpu.ES;
import static dev.vwb.machine.cpu.Cpu.FS;
import static dev.vwb.machine.cpu.Cpu.GS;
import static dev.vwb.machine.cpu.Cpu.SS;

/**
 * Hardware task switching (SDM Vol. 3A §7.3): a far JMP or CALL to a TSS descriptor or a task
 * gate, an interrupt or exception through a task gate in the IDT, and IRET with EFLAGS.NT set.
 * The current state is saved in the old TSS and the new task's state loaded from the new one;
 * the busy flags, the back link and NT follow SDM Vol. 3A Table 7-2.
 *
 * <p>Everything up to loading the new state is checked first, so a fault there belongs to the
 * old task and leaves it untouched. Faults while loading the new task's LDT and segment
 * descriptors belong to the new task (SDM Vol. 3A §7.3, step 12): they are delivered with the
 * new task's registers already in place. Not modelled: the TSS T flag (debug trap on switch)
 * and virtual-8086 tasks (EFLAGS.VM in the new TSS is ignored).
 */
final class TaskSwitch {
    private TaskSwitch() {
    }

    /** What started the switch; it decides the busy flags, NT and the back link (SDM Vol. 3A Table 7-2). */
    enum Source { JMP, CALL, IRET, INTERRUPT }

    private static final int TSS32_MIN_LIMIT = 0x67;
    private static final int TSS16_MIN_LIMIT = 0x2B;
    private static final int BUSY = 0x2;  // the busy flag in the TSS descriptor's type

    /** The new task's registers as read from its TSS, before any of them is loaded. */
    private record TaskState(int cr3, int eip, int eflags, int[] regs, int[] selectors, int ldt) {
    }

    /** Far CALL or JMP to a task gate in the GDT or LDT: the gate's DPL is checked, not the TSS's. */
    static void throughGate(Cpu c, int gateSelector, Descriptor gate, Source source, int oldEip) {
        if (gate.dpl() < c.cpl || gate.dpl() < (gateSelector & 3)) {
            throw new GuestFault(Vectors.GP, gateSelector & 0xFFFC);
        }
        if (!gate.present()) {
            throw new GuestFault(Vectors.NP, gateSelector & 0xFFFC);
        }
        switchTo(c, gate.gateSelector(), source, oldEip, GuestFault.NO_ERROR_CODE, 0);
    }

    /** Far CALL or JMP straight to an available TSS descriptor: its DPL must admit CPL and RPL. */
    static void toTss(Cpu c, int selector, Descriptor tss, Source source, int oldEip) {
        if (tss.dpl() < c.cpl || tss.dpl() < (selector & 3)) {
            throw new GuestFault(Vectors.GP, selector & 0xFFFC);
        }
        switchTo(c, selector, source, oldEip, GuestFault.NO_ERROR_CODE, 0);
    }

    /** IRET with NT set: back to the task named by the current TSS's back link (offset 0 in either format). */
    static void returnToPreviousTask(Cpu c, int oldEip) {
        int link = c.mmu.readLinear16(c.tr.base) & 0xFFFF;
        switchTo(c, link, Source.IRET, oldEip, GuestFault.NO_ERROR_CODE, 0);
    }

    /**
     * An interrupt or exception through a task gate in the IDT; an exception's error code is
     * pushed on the new task's stack (SDM Vol. 3A §6.12.2).
     */
    static void interrupt(Cpu c, Descriptor gate, int errorCode, int ext) {
        switchTo(c, gate.gateSelector(), Source.INTERRUPT, c.eip, errorCode, ext);
    }

    private static void switchTo(Cpu c, int selector, Source source, int oldEip, int errorCode, int ext) {
        // The new TSS descriptor: in the GDT, a TSS, available (busy for IRET), present, big enough.
        int faultVector = source == Source.IRET ? Vectors.TS : Vectors.GP;
        int error = (selector & 0xFFFC) + ext;
        if ((selector & Segments.SELECTOR_TI) != 0 || (selector & 0xFFF8) + 7 > c.gdtrLimit || (selector & 0xFFFC) == 0) {
            throw new GuestFault(faultVector, error);
        }
        Descriptor d = Segments.readDescriptor(c, selector);
        boolean busy = (d.type() & BUSY) != 0;
        if (!d.tss() || busy != (source == Source.IRET)) {
            throw new GuestFault(faultVector, error);
        }
        if (!d.present()) {
            throw new GuestFault(Vectors.NP, error);
        }
        boolean new32 = (d.type() & 0x8) != 0;
        if (Integer.compareUnsigned(d.limit(), new32 ? TSS32_MIN_LIMIT : TSS16_MIN_LIMIT) < 0) {
            throw new GuestFault(Vectors.TS, error);
        }
        boolean old32 = (c.tr.attributes & (0x8 << 8)) != 0;
        if (Integer.compareUnsigned(c.tr.limit, old32 ? TSS32_MIN_LIMIT : TSS16_MIN_LIMIT) < 0) {
            throw new GuestFault(Vectors.TS, (c.tr.selector & 0xFFFC) + ext);
        }
        TaskState next = read(c, d.base(), new32);

        // Save the outgoing task (SDM Vol. 3A §7.3 steps 5–7), then the flags and the link.
        int oldSelector = c.tr.selector;
        int oldFlags = c.eflagsValue();
        if (source == Source.IRET) {
            oldFlags &= ~Eflags.NT;
        }
        save(c, old32, oldEip, oldFlags);
        if (source == Source.JMP || source == Source.IRET) {
            setBusy(c, oldSelector, false);
        }
        int newFlags = next.eflags;
        if (source == Source.CALL || source == Source.INTERRUPT) {
            newFlags |= Eflags.NT;
            c.mmu.writeLinearSupervisor(d.base(), 2, oldSelector);  // the back link
        }
        if (source != Source.IRET) {
            setBusy(c, selector, true);
        }

        // Commit: from here on the new task is current.
        c.tr.set(selector, d.base(), d.limit(), d.attributes() | (BUSY << 8));
        c.cr0 |= Cpu.CR0_TS;
        if (new32 && c.paging) {
            // A monitor running the guest on shadow tables gives the CR3 to use instead.
            c.cr3 = c.cr3Filter == null ? next.cr3 : c.cr3Filter.applyAsInt(next.cr3);
            c.pager.flushNonGlobal();
        }
        // A 16-bit TSS loads the low words of EFLAGS and the general registers and leaves the
        // high words as they were (as QEMU does; the SDM does not say).
        int keep = new32 ? 0 : 0xFFFF_0000;
        c.flags.put((c.eflagsValue() & keep | newFlags & ~keep & ~Eflags.VM) | Eflags.FIXED_1);
        c.recheckAttention();
        c.eip = next.eip;
        for (int r = 0; r < 8; r++) {
            c.regs[r] = c.regs[r] & keep | next.regs[r] & ~keep;
        }
        try {
            loadSegments(c, next, ext);
            if (errorCode >= 0) {
                c.push(new32 ? 4 : 2, errorCode);
            }
        } catch (GuestFault inNewTask) {
            c.raise(inNewTask.vector, inNewTask.errorCode, ExceptionEvent.Kind.EXCEPTION);
        }
    }

    /** Reads the registers of the task whose TSS is at linear {@code base} (SDM Vol. 3A Figures 7-2 and 7-11). */
    private static TaskState read(Cpu c, int base, boolean tss32) {
        int[] regs = new int[8];
        int[] selectors = new int[6];
        if (tss32) {
            for (int r = 0; r < 8; r++) {
                regs[r] = c.mmu.readLinear32(base + 0x28 + 4 * r);
            }
            for (int s = 0; s < 6; s++) {
                selectors[s] = c.mmu.readLinear16(base + 0x48 + 4 * s) & 0xFFFF;
            }
            return new TaskState(c.mmu.readLinear32(base + 0x1C), c.mmu.readLinear32(base + 0x20), c.mmu.readLinear32(base + 0x24),
                    regs, selectors, c.mmu.readLinear16(base + 0x60) & 0xFFFF);
        }
        // A 16-bit TSS holds only the low words; see commit() for the high ones.
        for (int r = 0; r < 8; r++) {
            regs[r] = c.mmu.readLinear16(base + 0x12 + 2 * r) & 0xFFFF;
        }
        for (int s = ES; s <= DS; s++) {
            selectors[s] = c.mmu.readLinear16(base + 0x22 + 2 * s) & 0xFFFF;
        }
        return new TaskState(0, c.mmu.readLinear16(base + 0x0E) & 0xFFFF, c.mmu.readLinear16(base + 0x10) & 0xFFFF,
                regs, selectors, c.mmu.readLinear16(base + 0x2A) & 0xFFFF);
    }

    /** Saves the dynamic fields of the outgoing task: EIP, EFLAGS, the general and segment registers. */
    private static void save(Cpu c, boolean tss32, int eip, int eflags) {
        int base = c.tr.base;
        if (tss32) {
            c.mmu.writeLinearSupervisor(base + 0x20, 4, eip);
            c.mmu.writeLinearSupervisor(base + 0x24, 4, eflags);
            for (int r = 0; r < 8; r++) {
                c.mmu.writeLinearSupervisor(base + 0x28 + 4 * r, 4, c.regs[r]);
            }
            for (int s = 0; s < 6; s++) {
                c.mmu.writeLinearSupervisor(base + 0x48 + 4 * s, 2, c.seg[s].selector);
            }
            return;
        }
        c.mmu.writeLinearSupervisor(base + 0x0E, 2, eip);
        c.mmu.writeLinearSupervisor(base + 0x10, 2, eflags);
        for (int r = 0; r < 8; r++) {
            c.mmu.writeLinearSupervisor(base + 0x12 + 2 * r, 2, c.regs[r]);
        }
        for (int s = ES; s <= DS; s++) {
            c.mmu.writeLinearSupervisor(base + 0x22 + 2 * s, 2, c.seg[s].selector);
        }
    }

    private static void setBusy(Cpu c, int selector, boolean busy) {
        int at = c.gdtrBase + (selector & 0xFFF8) + 5;
        int access = c.mmu.readLinear32(at - 1) >>> 8 & 0xFF;
        c.mmu.writeLinear8(at, busy ? access | BUSY : access & ~BUSY);
    }

    /**
     * Loads the new task's LDTR and segment registers. The selectors are in place before the
     * descriptors are checked, so an exception here shows the new task's selectors (SDM Vol. 3A
     * §7.3 step 12); the CPL is the new CS selector's RPL.
     */
    private static void loadSegments(Cpu c, TaskState next, int ext) {
        for (int s = 0; s < 6; s++) {
            c.seg[s].set(next.selectors[s], 0, 0, 0);
        }
        c.setCpl(next.selectors[CS] & 3);
        loadLdt(c, next.ldt, ext);
        for (int s : new int[] {CS, SS, ES, DS, FS, GS}) {
            loadSegment(c, s, next.selectors[s], ext);
        }
        Segments.cacheModes(c);
        if (Integer.compareUnsigned(c.eip, c.seg[CS].limit) > 0) {
            throw new GuestFault(Vectors.GP, 0);
        }
    }

    private static void loadLdt(Cpu c, int selector, int ext) {
        int error = (selector & 0xFFFC) + ext;
        if ((selector & 0xFFFC) == 0) {
            c.ldtr.set(selector, 0, 0, 0);
            return;
        }
        if ((selector & Segments.SELECTOR_TI) != 0 || (selector & 0xFFF8) + 7 > c.gdtrLimit) {
            throw new GuestFault(Vectors.TS, error);
        }
        Descriptor d = Segments.readDescriptor(c, selector);
        if (!d.system() || d.type() != Descriptor.TYPE_LDT || !d.present()) {
            throw new GuestFault(Vectors.TS, error);
        }
        c.ldtr.set(selector, d.base(), d.limit(), d.attributes());
    }

    /** The checks of SDM Vol. 3A §7.3 step 12 (and Table 7-1's #TS conditions) for one segment register. */
    private static void loadSegment(Cpu c, int s, int selector, int ext) {
        int error = (selector & 0xFFFC) + ext;
        if ((selector & 0xFFFC) == 0) {
            if (s == CS || s == SS) {
                throw new GuestFault(Vectors.TS, error);
            }
            return;  // a null data segment register is allowed
        }
        Descriptor d;
        try {
            d = Segments.readDescriptor(c, selector);
        } catch (GuestFault outsideTable) {
            throw new GuestFault(Vectors.TS, error);
        }
        int rpl = selector & 3;
        boolean ok;
        if (d.system()) {
            ok = false;
        } else if (s == CS) {
            ok = d.code() && (d.conforming() ? d.dpl() <= rpl : d.dpl() == rpl);
        } else if (s == SS) {
            ok = !d.code() && d.readableOrWritable() && d.dpl() == c.cpl && rpl == c.cpl;
        } else {
            ok = (!d.code() || d.readableOrWritable()) && (d.conforming() || (d.dpl() >= c.cpl && d.dpl() >= rpl));
        }
        if (!ok) {
            throw new GuestFault(Vectors.TS, error);
        }
        if (!d.present()) {
            throw new GuestFault(s == SS ? Vectors.SS : Vectors.NP, error);
        }
        Segments.markAccessed(c, selector, d);
        c.seg[s].set(selector, d.base(), d.limit(), d.attributes() | Segment.ACCESSED);
    }
}
