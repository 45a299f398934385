package dev.vwb.machine.cpu;

import static dev.vwb.machine.cpu.Cpu.EBP;
import static dev.vwb.machine.cpu.Cpu.ESP;

/** PUSH/POP of segments, memory and flags; PUSHA/POPA; ENTER/LEAVE (SDM Vol. 2B). */
final class StackOps {
    private StackOps() {
    }

    /** POP r/m: ESP is incremented before the destination address is computed (SDM Vol. 2B POP). */
    static void popRm(Cpu c, Insn i) {
        int v = c.peek(i.size, 0);
        int oldSp = c.regs[ESP];
        c.setSp(c.sp() + i.size);
        try {
            c.writeRM(i, v);
        } catch (GuestFault f) {
            c.regs[ESP] = oldSp;
            throw f;
        }
    }

    /** Which segment register a PUSH/POP opcode names: 06 ES, 0E CS, 16 SS, 1E DS, 0F A0 FS, 0F A8 GS. */
    private static int segmentOf(Insn i) {
        switch (i.opcode) {
            case 0x06: case 0x07: return Cpu.ES;
            case 0x0E: return Cpu.CS;
            case 0x16: case 0x17: return Cpu.SS;
            case 0x1E: case 0x1F: return Cpu.DS;
            case 0x0FA0: case 0x0FA1: return Cpu.FS;
            default: return Cpu.GS;
        }
    }

    /**
     * PUSH sreg: with a 32-bit operand the SDM allows either a zero-extended push or a 16-bit
     * write that leaves the upper half of the slot alone (Vol. 2B PUSH); this CPU zero-extends,
     * as QEMU does.
     */
    static void pushSeg(Cpu c, Insn i) {
        c.push(i.size, c.seg[segmentOf(i)].selector);
    }

    static void popSeg(Cpu c, Insn i) {
        int s = segmentOf(i);
        int v = c.peek(i.size, 0) & 0xFFFF;
        Segments.load(c, s, v);
        c.setSp(c.sp() + i.size);
        if (s == Cpu.SS) {
            c.attention |= Cpu.ATTN_SHADOW;  // POP SS holds off interrupts for one instruction
        }
    }

    /** PUSHA: pushes (E)AX, CX, DX, BX, the original (E)SP, BP, SI, DI. */
    static void pusha(Cpu c, int size) {
        int origSp = c.regs[ESP];
        try {
            for (int r = 0; r < 8; r++) {
                c.push(size, r == ESP ? origSp : c.reg(size, r));
            }
        } catch (GuestFault f) {
            c.regs[ESP] = origSp;  // a fault part-way leaves ESP as it was
            throw f;
        }
    }

    /** POPA: pops in reverse, discarding the saved (E)SP. */
    static void popa(Cpu c, int size) {
        int[] values = new int[8];
        for (int r = 7; r >= 0; r--) {
            values[r] = c.peek(size, (7 - r) * size);
        }
        for (int r = 0; r < 8; r++) {
            if (r != ESP) {
                c.setReg(size, r, values[r]);
            }
        }
        c.setSp(c.sp() + 8 * size);
    }

    /** PUSHF: VM and RF are not copied (SDM Vol. 2B PUSHF). */
    static void pushf(Cpu c, int size) {
        int f = c.eflagsValue() & ~(Eflags.VM | Eflags.RF);
        c.push(size, f);
    }

    /**
     * POPF: which bits may change depends on privilege (SDM Vol. 2B POPF, Operation): IOPL
     * only at CPL 0; IF only when CPL <= IOPL; VM and RF are never set by POPF; VIP/VIF do not
     * exist on this CPU. The 16-bit form leaves the upper half of EFLAGS alone.
     */
    static void popf(Cpu c, int size) {
        int v = c.peek(size, 0);
        int writable = Eflags.ARITH | Eflags.TF | Eflags.DF | Eflags.NT | Eflags.AC | Eflags.ID;
        if (!c.protectedMode() || c.cpl == 0) {
            writable |= Eflags.IOPL | Eflags.IF;
        } else if (c.cpl <= c.iopl()) {
            writable |= Eflags.IF;
        }
        if (size == 2) {
            writable &= 0xFFFF;
        }
        c.writeEflags(v, writable);
        c.setSp(c.sp() + size);
    }

    /**
     * ENTER size, level: builds a stack frame with {@code level} saved frame pointers
     * (SDM Vol. 2A ENTER, Operation). Memory is written before EBP/ESP change.
     */
    static void enter(Cpu c, int opSize, int frameSize, int level) {
        boolean s32 = c.ss32;
        int sp = c.sp();
        int bp = c.regs[EBP];
        // Push the old frame pointer.
        sp = (sp - opSize) & (s32 ? -1 : 0xFFFF);
        c.mmu.write(Cpu.SS, sp, opSize, bp);
        int frameTemp = sp;
        if (level > 0) {
            int bpOff = s32 ? bp : bp & 0xFFFF;
            for (int n = 1; n < level; n++) {
                bpOff = (bpOff - opSize) & (s32 ? -1 : 0xFFFF);
                int saved = c.mmu.read(Cpu.SS, bpOff, opSize);
                sp = (sp - opSize) & (s32 ? -1 : 0xFFFF);
                c.mmu.write(Cpu.SS, sp, opSize, saved);
            }
            sp = (sp - opSize) & (s32 ? -1 : 0xFFFF);
            c.mmu.write(Cpu.SS, sp, opSize, frameTemp);
        }
        sp = (sp - (frameSize & 0xFFFF)) & (s32 ? -1 : 0xFFFF);
        // The whole frame must be addressable: a real CPU probes the final (E)SP (SDM: "#SS(0) if ... ").
        c.mmu.linearWrite(Cpu.SS, sp, 1);
        c.setReg(opSize, EBP, frameTemp);
        c.setSp(sp);
    }

    /** LEAVE: (E)SP = (E)BP, then pop (E)BP. */
    static void leave(Cpu c, int size) {
        int bp = c.ss32 ? c.regs[EBP] : c.regs[EBP] & 0xFFFF;
        int v = c.mmu.read(Cpu.SS, bp, size);
        c.setSp(bp + size);
        c.setReg(size, EBP, v);
    }
}
