package dev.vwb.machine.cpu;

import static dev.vwb.machine.cpu.Cpu.CS;
import static dev.vwb.machine.cpu.Cpu.ECX;

/**
 * Far CALL/JMP/RET, IRET, INT n and LOOP/JCXZ (SDM Vol. 2A/2B): far transfers between code
 * segments, through call gates ({@link CallGate}) and to other tasks ({@link TaskSwitch}), and
 * IRET/RETF to outer rings ({@link Privilege}).
 */
final class Transfers {
    private Transfers() {
    }

    /**
     * CALL ptr16:16/32 or m16:16/32: push CS and the return offset, then load CS:EIP. In protected
     * mode the selector may also name a call gate ({@link CallGate}), a task gate or a TSS
     * ({@link TaskSwitch}).
     */
    static void callFar(Cpu c, int selector, int offset, int size, int returnEip) {
        if (c.protectedMode()) {
            Descriptor d = targetDescriptor(c, selector);
            if (d.system()) {
                switch (d.type()) {
                    case Descriptor.TYPE_CALL_GATE_16, Descriptor.TYPE_CALL_GATE_32 -> CallGate.call(c, selector, d, returnEip);
                    case Descriptor.TYPE_TASK_GATE -> TaskSwitch.throughGate(c, selector, d, TaskSwitch.Source.CALL, returnEip);
                    case Descriptor.TYPE_TSS16_AVAILABLE, Descriptor.TYPE_TSS32_AVAILABLE ->
                            TaskSwitch.toTss(c, selector, d, TaskSwitch.Source.CALL, returnEip);
                    default -> throw new GuestFault(Vectors.GP, selector & 0xFFFC);
                }
                return;
            }
        }
        if (!c.protectedMode()) {
            int sp = writeReturnAddress(c, size, returnEip);
            Segments.load(c, CS, selector);
            c.setSp(sp);
            c.jump(offset, size);
            return;
        }
        Descriptor code = Segments.checkCodeSegment(c, selector, offset);
        int sp = writeReturnAddress(c, size, returnEip);
        Segments.loadCheckedCode(c, selector, code);
        c.setSp(sp);
        c.jump(offset, size);
    }

    /**
     * Writes the far return address (CS, then the offset below it) under the stack pointer and
     * returns the new stack pointer, which the caller sets once nothing can fault any more.
     */
    static int writeReturnAddress(Cpu c, int size, int returnEip) {
        int sp = c.sp() - 2 * size;
        if (!c.ss32) {
            sp &= 0xFFFF;
        }
        // The whole frame is checked and written before anything changes (SDM: #SS if no room).
        c.mmu.linearWrite(Cpu.SS, sp, 2 * size);
        c.mmu.write(Cpu.SS, c.ss32 ? sp + size : (sp + size) & 0xFFFF, size, c.seg[CS].selector);
        c.mmu.write(Cpu.SS, sp, size, returnEip);
        return sp;
    }

    /** JMP ptr16:16/32 or m16:16/32; {@code nextEip} is saved in the old TSS if this switches tasks. */
    static void jmpFar(Cpu c, int selector, int offset, int size, int nextEip) {
        if (c.protectedMode()) {
            Descriptor d = targetDescriptor(c, selector);
            if (d.system()) {
                switch (d.type()) {
                    case Descriptor.TYPE_CALL_GATE_16, Descriptor.TYPE_CALL_GATE_32 -> CallGate.jmp(c, selector, d);
                    case Descriptor.TYPE_TASK_GATE -> TaskSwitch.throughGate(c, selector, d, TaskSwitch.Source.JMP, nextEip);
                    case Descriptor.TYPE_TSS16_AVAILABLE, Descriptor.TYPE_TSS32_AVAILABLE ->
                            TaskSwitch.toTss(c, selector, d, TaskSwitch.Source.JMP, nextEip);
                    default -> throw new GuestFault(Vectors.GP, selector & 0xFFFC);
                }
                return;
            }
        }
        Segments.loadCodeSegment(c, selector, offset);
        c.jump(offset, size);
    }

    /** The descriptor a far CALL or JMP names: #GP(0) for a null selector. */
    private static Descriptor targetDescriptor(Cpu c, int selector) {
        if ((selector & 0xFFFC) == 0) {
            throw new GuestFault(Vectors.GP, 0);
        }
        return Segments.readDescriptor(c, selector);
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
     * rules of POPF (SDM Vol. 2A IRET, Operation). With EFLAGS.NT set, a return to the task in
     * the current TSS's back link, which reads nothing from the stack.
     */
    static void iret(Cpu c, int size, int nextEip) {
        if (c.protectedMode() && (c.flags.stored & Eflags.NT) != 0) {
            TaskSwitch.returnToPreviousTask(c, nextEip);
            return;
        }
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
