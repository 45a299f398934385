package dev.vwb.machine.cpu;

import static dev.vwb.machine.cpu.Cpu.CS;
import static dev.vwb.machine.cpu.Cpu.ECX;

/**
 * Far CALL/JMP/RET, IRET, INT n and LOOP/JCXZ (SDM Vol. 2A/2B). Far transfers between code
 * segments at the same privilege level, and IRET/RETF to outer rings ({@link Privilege}), are
 * complete; far CALL/JMP through call gates and task gates are not modelled yet and raise #GP.
 */
final class Transfers {
    private Transfers() {
    }

    /** CALL ptr16:16/32 or m16:16/32: push CS and the return offset, then load CS:EIP. */
    static void callFar(Cpu c, int selector, int offset, int size, int returnEip) {
        int oldCs = c.seg[CS].selector;
        int sp = c.sp();
        int nsp = sp - 2 * size;
        if (!c.ss32) {
            nsp &= 0xFFFF;
        }
        // Check the whole return frame before anything changes (SDM: #SS if no room for it).
        c.linear(Cpu.SS, nsp, 2 * size);
        Segments.loadCodeSegment(c, selector, offset);
        c.push(size, oldCs);
        c.push(size, returnEip);
        c.jump(offset, size);
    }

    static void jmpFar(Cpu c, int selector, int offset, int size) {
        Segments.loadCodeSegment(c, selector, offset);
        c.jump(offset, size);
    }

    /** RETF [imm16]: pop EIP and CS, then release imm16 bytes of parameters. */
    static void retFar(Cpu c, int size, int release) {
        int offset = c.peek(size, 0);
        int selector = c.peek(size, size) & 0xFFFF;
        int rpl = selector & 3;
        if (!c.protectedMode() || rpl == c.cpl) {
            Segments.loadCodeSegment(c, selector, offset);
            c.setSp(c.sp() + 2 * size + release);
            c.jump(offset, size);
            return;
        }
        if (rpl < c.cpl) {
            throw new GuestFault(Vectors.GP, selector & 0xFFFC);  // RET cannot go to an inner ring
        }
        // To an outer ring: its SS:ESP lie above the parameters; the parameters are released on
        // both stacks (SDM Vol. 2A RET, "return to outer privilege level").
        int newSp = c.peek(size, 2 * size + release);
        int newSsSelector = c.peek(size, 3 * size + release) & 0xFFFF;
        Descriptor code = Privilege.outerCode(c, selector);
        Segment ss = Privilege.stackSegment(c, newSsSelector, rpl, 0, Vectors.GP);
        if (Integer.compareUnsigned(offset, code.limit()) > 0) {
            throw new GuestFault(Vectors.GP, 0);
        }
        Privilege.loadOuterCode(c, selector, code);
        Privilege.switchStack(c, ss, newSp + release, rpl);
        Privilege.nullInaccessibleSegments(c);
        c.jump(offset, size);
    }

    /**
     * IRET/IRETD. Real mode: pop IP, CS, FLAGS (all of FLAGS may change; a 32-bit IRET keeps
     * VM, VIF and VIP). Protected mode: a return at the same privilege level, with the EFLAGS
     * rules of POPF (SDM Vol. 2A IRET, Operation).
     */
    static void iret(Cpu c, int size) {
        int offset = c.peek(size, 0);
        int selector = c.peek(size, size) & 0xFFFF;
        int newFlags = c.peek(size, 2 * size);
        if (!c.protectedMode()) {
            int writable = size == 4 ? 0x257FD5 : 0x7FD5;
            Segments.load(c, CS, selector);
            c.writeEflags(newFlags, writable);
            c.setSp(c.sp() + 3 * size);
            c.jump(offset, size);
            return;
        }
        if ((c.flags.stored & Eflags.NT) != 0) {
            throw new GuestFault(Vectors.GP, 0);  // a nested-task return: task switching is not yet modelled
        }
        int rpl = selector & 3;
        if (rpl < c.cpl) {
            throw new GuestFault(Vectors.GP, selector & 0xFFFC);  // IRET cannot go to an inner ring
        }
        // EFLAGS follow the rules of the ring IRET runs at (SDM Vol. 2A IRET, Operation).
        int writable = Eflags.ARITH | Eflags.TF | Eflags.DF | Eflags.NT | Eflags.RF | Eflags.AC | Eflags.ID;
        if (c.cpl == 0) {
            writable |= Eflags.IOPL | Eflags.IF;
        } else if (c.cpl <= c.iopl()) {
            writable |= Eflags.IF;
        }
        if (size == 2) {
            writable &= 0xFFFF;
        }
        if (rpl == c.cpl) {
            Segments.loadCodeSegment(c, selector, offset);
            c.writeEflags(newFlags, writable);
            c.setSp(c.sp() + 3 * size);
            c.jump(offset, size);
            return;
        }
        // To an outer ring: SS:ESP of that ring come from the stack too.
        int newSp = c.peek(size, 3 * size);
        int newSsSelector = c.peek(size, 4 * size) & 0xFFFF;
        Descriptor code = Privilege.outerCode(c, selector);
        Segment ss = Privilege.stackSegment(c, newSsSelector, rpl, 0, Vectors.GP);
        if (Integer.compareUnsigned(offset, code.limit()) > 0) {
            throw new GuestFault(Vectors.GP, 0);
        }
        c.writeEflags(newFlags, writable);
        Privilege.loadOuterCode(c, selector, code);
        Privilege.switchStack(c, ss, newSp, rpl);
        Privilege.nullInaccessibleSegments(c);
        c.jump(offset, size);
    }

    /** INT n (EIP already points past the instruction). */
    static void softwareInterrupt(Cpu c, int vector) {
        c.raise(vector & 0xFF, GuestFault.NO_ERROR_CODE, ExceptionEvent.Kind.SOFTWARE);
    }

    /**
     * LOOP/LOOPE/LOOPNE decrement (E)CX (by address size) without touching flags and branch
     * while it is not zero (and ZF matches); JCXZ/JECXZ branches when it is zero.
     * Returns whether to branch.
     */
    static boolean loop(Cpu c, Insn i) {
        int count;
        if (i.op == Op.JCXZ) {
            count = i.a32 ? c.regs[ECX] : c.regs[ECX] & 0xFFFF;
            return count == 0;
        }
        if (i.a32) {
            count = --c.regs[ECX];
        } else {
            count = (c.regs[ECX] - 1) & 0xFFFF;
            c.setReg(2, ECX, count);
        }
        if (count == 0) {
            return false;
        }
        switch (i.op) {
            case Op.LOOPE: return c.flags.zf();
            case Op.LOOPNE: return !c.flags.zf();
            default: return true;
        }
    }
}
