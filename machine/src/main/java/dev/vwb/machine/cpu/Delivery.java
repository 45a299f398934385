package dev.vwb.machine.cpu;

import static dev.vwb.machine.cpu.Cpu.CS;

/**
 * Delivers an exception or interrupt through the real-mode IVT or the protected-mode IDT
 * (SDM Vol. 3A §6.12 and §20.1.4). All reads and checks happen before the first push, and CS
 * is loaded last, so a fault during delivery leaves the interrupted state intact for the
 * double-fault logic in {@link Cpu#raise}.
 */
final class Delivery {
    private Delivery() {
    }

    static void deliver(Cpu c, int vector, int errorCode, ExceptionEvent.Kind kind) {
        if (c.protectedMode()) {
            protectedMode(c, vector, errorCode, kind);
        } else {
            realMode(c, vector);
        }
    }

    /** Real mode: push FLAGS, CS, IP; clear IF, TF and AC; jump through the 4-byte IVT entry. */
    private static void realMode(Cpu c, int vector) {
        int entry = vector * 4;
        if (entry + 3 > c.idtrLimit) {
            throw new GuestFault(Vectors.GP, GuestFault.NO_ERROR_CODE);
        }
        int target = c.mmu.readLinear32(c.idtrBase + entry);
        int flags = c.eflagsValue();
        c.push(2, flags);
        c.push(2, c.seg[CS].selector);
        c.push(2, c.eip);
        c.flags.put(flags & ~(Eflags.IF | Eflags.TF | Eflags.AC));
        Segments.load(c, CS, target >>> 16);
        c.eip = target & 0xFFFF;
    }

    /**
     * Protected mode through an interrupt or trap gate, at the current privilege level or into an
     * inner ring with the stack switch through the TSS (SDM Vol. 3A §6.12.1), or through a task
     * gate to another task ({@link TaskSwitch}). Virtual-8086 mode is not modelled.
     */
    private static void protectedMode(Cpu c, int vector, int errorCode, ExceptionEvent.Kind kind) {
        int ext = kind == ExceptionEvent.Kind.SOFTWARE ? 0 : 1;
        int idtError = vector * 8 + 2 + ext;  // error code naming the IDT entry (SDM Vol. 3A §6.13)
        if (vector * 8 + 7 > c.idtrLimit) {
            throw new GuestFault(Vectors.GP, idtError);
        }
        Descriptor gate = new Descriptor(c.mmu.readLinear32(c.idtrBase + vector * 8), c.mmu.readLinear32(c.idtrBase + vector * 8 + 4));
        int type = gate.type();
        if (gate.system() && type == Descriptor.TYPE_TASK_GATE) {
            if (kind == ExceptionEvent.Kind.SOFTWARE && gate.dpl() < c.cpl) {
                throw new GuestFault(Vectors.GP, idtError);
            }
            if (!gate.present()) {
                throw new GuestFault(Vectors.NP, idtError);
            }
            boolean pushError = errorCode >= 0 && kind == ExceptionEvent.Kind.EXCEPTION && Vectors.hasErrorCode(vector);
            TaskSwitch.interrupt(c, gate, pushError ? errorCode : GuestFault.NO_ERROR_CODE, ext);
            return;
        }
        boolean gate32 = type == Descriptor.TYPE_INT_GATE_32 || type == Descriptor.TYPE_TRAP_GATE_32;
        boolean gate16 = type == Descriptor.TYPE_INT_GATE_16 || type == Descriptor.TYPE_TRAP_GATE_16;
        if (!gate.system() || !(gate32 || gate16)) {
            throw new GuestFault(Vectors.GP, idtError);
        }
        if (kind == ExceptionEvent.Kind.SOFTWARE && gate.dpl() < c.cpl) {
            throw new GuestFault(Vectors.GP, idtError);  // INT n may use only gates with DPL >= CPL
        }
        if (!gate.present()) {
            throw new GuestFault(Vectors.NP, idtError);
        }
        int selector = gate.gateSelector();
        if ((selector & 0xFFFC) == 0) {
            throw new GuestFault(Vectors.GP, ext);
        }
        Descriptor target = Segments.readDescriptor(c, selector);
        if (!target.code() || target.dpl() > c.cpl) {
            throw new GuestFault(Vectors.GP, (selector & 0xFFFC) + ext);
        }
        if (!target.present()) {
            throw new GuestFault(Vectors.NP, (selector & 0xFFFC) + ext);
        }
        int offset = gate32 ? gate.gateOffset() : gate.gateOffset() & 0xFFFF;
        int size = gate32 ? 4 : 2;
        int flags = c.eflagsValue();
        boolean pushError = errorCode >= 0 && kind == ExceptionEvent.Kind.EXCEPTION && Vectors.hasErrorCode(vector);
        int newCpl = target.conforming() ? c.cpl : target.dpl();
        if (newCpl < c.cpl) {
            // An inner ring: switch to its stack from the TSS and save the old SS:ESP there first.
            int[] stack = Privilege.innerStack(c, newCpl, ext);
            Segment ss = Privilege.stackSegment(c, stack[0], newCpl, ext, Vectors.TS);
            int sp = stack[1];
            sp = Privilege.push(c, ss, sp, size, c.seg[Cpu.SS].selector);
            sp = Privilege.push(c, ss, sp, size, c.regs[Cpu.ESP]);
            sp = Privilege.push(c, ss, sp, size, flags);
            sp = Privilege.push(c, ss, sp, size, c.seg[CS].selector);
            sp = Privilege.push(c, ss, sp, size, c.eip);
            if (pushError) {
                sp = Privilege.push(c, ss, sp, size, errorCode);
            }
            Privilege.switchStack(c, ss, sp, newCpl);
        } else {
            c.push(size, flags);
            c.push(size, c.seg[CS].selector);
            c.push(size, c.eip);
            if (pushError) {
                c.push(size, errorCode);
            }
        }
        int cleared = Eflags.TF | Eflags.NT | Eflags.RF | Eflags.VM;
        if (type == Descriptor.TYPE_INT_GATE_32 || type == Descriptor.TYPE_INT_GATE_16) {
            cleared |= Eflags.IF;
        }
        c.flags.put(flags & ~cleared);
        c.seg[CS].set((selector & 0xFFFC) | c.cpl, target.base(), target.limit(), target.attributes() | Segment.ACCESSED);
        Segments.cacheModes(c);
        c.eip = offset;
    }
}
