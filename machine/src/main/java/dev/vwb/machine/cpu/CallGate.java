package dev.vwb.machine.cpu;

import static dev.vwb.machine.cpu.Cpu.CS;
import static dev.vwb.machine.cpu.Cpu.ESP;
import static dev.vwb.machine.cpu.Cpu.SS;

/**
 * Far CALL and JMP through a call gate (SDM Vol. 3A §5.8.3–§5.8.5, Vol. 2A "CALL" and "JMP",
 * protected-mode operation). A CALL to a more privileged non-conforming segment switches to the
 * inner ring's stack from the TSS, copies the gate's parameter count of words or dwords from the
 * caller's stack and pushes the caller's SS:ESP and CS:EIP; the matching RETF imm16 (in
 * {@link Transfers#retFar}) undoes it. A JMP never changes the privilege level. Every check and
 * read happens before the first change, so a fault leaves the caller's state intact.
 */
final class CallGate {
    private CallGate() {
    }

    /** The code segment a gate leads to, checked; the gate itself is checked against CPL and RPL. */
    private record Target(int selector, Descriptor code, int offset, boolean gate32) {
    }

    private static Target target(Cpu c, int gateSelector, Descriptor gate) {
        int gateError = gateSelector & 0xFFFC;
        if (gate.dpl() < c.cpl || gate.dpl() < (gateSelector & 3)) {
            throw new GuestFault(Vectors.GP, gateError);
        }
        if (!gate.present()) {
            throw new GuestFault(Vectors.NP, gateError);
        }
        int selector = gate.gateSelector();
        if ((selector & 0xFFFC) == 0) {
            throw new GuestFault(Vectors.GP, 0);
        }
        Descriptor code = Segments.readDescriptor(c, selector);
        if (!code.code() || code.dpl() > c.cpl) {
            throw new GuestFault(Vectors.GP, selector & 0xFFFC);
        }
        if (!code.present()) {
            throw new GuestFault(Vectors.NP, selector & 0xFFFC);
        }
        boolean gate32 = gate.type() == Descriptor.TYPE_CALL_GATE_32;
        int offset = gate32 ? gate.gateOffset() : gate.gateOffset() & 0xFFFF;
        return new Target(selector, code, offset, gate32);
    }

    static void call(Cpu c, int gateSelector, Descriptor gate, int returnEip) {
        Target t = target(c, gateSelector, gate);
        int size = t.gate32 ? 4 : 2;
        if (t.code.conforming() || t.code.dpl() == c.cpl) {
            checkOffset(t);
            int sp = Transfers.writeReturnAddress(c, size, returnEip);
            loadCode(c, t, c.cpl);
            c.setSp(sp);
            c.eip = t.offset;
            return;
        }
        // To an inner ring: its stack comes from the TSS (SDM Vol. 3A §5.8.5, Figure 5-13).
        int ring = t.code.dpl();
        int[] stack = Privilege.innerStack(c, ring, 0);
        Segment ss = Privilege.stackSegment(c, stack[0], ring, 0, Vectors.TS);
        int count = gate.gateParameterCount();
        int[] parameters = new int[count];
        int oldSp = c.sp();
        for (int k = 0; k < count; k++) {
            int at = oldSp + k * size;
            parameters[k] = c.mmu.read(SS, c.ss32 ? at : at & 0xFFFF, size);
        }
        checkOffset(t);
        int sp = stack[1];
        sp = Privilege.push(c, ss, sp, size, c.seg[SS].selector);
        sp = Privilege.push(c, ss, sp, size, c.regs[ESP]);
        for (int k = count - 1; k >= 0; k--) {
            sp = Privilege.push(c, ss, sp, size, parameters[k]);
        }
        sp = Privilege.push(c, ss, sp, size, c.seg[CS].selector);
        sp = Privilege.push(c, ss, sp, size, returnEip);
        Privilege.switchStack(c, ss, sp, ring);
        loadCode(c, t, ring);
        c.eip = t.offset;
    }

    static void jmp(Cpu c, int gateSelector, Descriptor gate) {
        Target t = target(c, gateSelector, gate);
        // A JMP stays at the current privilege level: conforming code of DPL <= CPL, or DPL = CPL.
        if (!t.code.conforming() && t.code.dpl() != c.cpl) {
            throw new GuestFault(Vectors.GP, t.selector & 0xFFFC);
        }
        checkOffset(t);
        loadCode(c, t, c.cpl);
        c.eip = t.offset;
    }

    private static void checkOffset(Target t) {
        if (Integer.compareUnsigned(t.offset, t.code.limit()) > 0) {
            throw new GuestFault(Vectors.GP, 0);
        }
    }

    private static void loadCode(Cpu c, Target t, int cpl) {
        Segments.markAccessed(c, t.selector, t.code);
        c.seg[CS].set((t.selector & 0xFFFC) | cpl, t.code.base(), t.code.limit(), t.code.attributes() | Segment.ACCESSED);
        c.setCpl(cpl);
        Segments.cacheModes(c);
    }
}
