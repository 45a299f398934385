package dev.vwb.machine.cpu;

import static dev.vwb.machine.cpu.Cpu.EAX;
import static dev.vwb.machine.cpu.Cpu.ECX;
import static dev.vwb.machine.cpu.Cpu.EDI;
import static dev.vwb.machine.cpu.Cpu.EDX;
import static dev.vwb.machine.cpu.Cpu.ES;
import static dev.vwb.machine.cpu.Cpu.ESI;

/**
 * String instructions: MOVS CMPS STOS LODS SCAS INS OUTS, with REP/REPE/REPNE
 * (SDM Vol. 2B "REP/REPE/REPZ/REPNE/REPNZ"). The address size picks SI/DI/CX or ESI/EDI/ECX;
 * the source segment may be overridden, the destination is always ES.
 *
 * <p>A repeated instruction runs at most {@link #BURST} iterations per step; if more remain it
 * returns false, EIP stays on the instruction and the next step continues it (this is where a
 * real CPU takes interrupts in a long REP, SDM Vol. 2B REP). It then counts as one retired
 * instruction when it completes. If an iteration faults, the registers describe the iterations
 * completed and EIP still points at the instruction, so the guest's handler can resume it.
 */
final class StringOps {
    private StringOps() {
    }

    /** Iterations of a repeated string instruction per step. */
    static final int BURST = 4096;

    /** Ends a step in the middle of a REP: the instruction has not retired yet. */
    private static boolean yieldStep(Cpu c) {
        c.retired--;  // the run loop counts every completed step; this one did not complete the instruction
        return false;
    }

    private static int index(Cpu c, int reg, boolean a32) {
        return a32 ? c.regs[reg] : c.regs[reg] & 0xFFFF;
    }

    private static void advance(Cpu c, int reg, boolean a32, int delta) {
        if (a32) {
            c.regs[reg] += delta;
        } else {
            c.setReg(2, reg, c.regs[reg] + delta);
        }
    }

    private static int delta(Cpu c, int size) {
        return (c.flags.stored & Eflags.DF) != 0 ? -size : size;
    }

    /** Whether a repeated instruction has iterations left; with no REP prefix, exactly one. */
    private static boolean counted(Insn i) {
        return i.rep != 0;
    }

    private static int count(Cpu c, boolean a32) {
        return a32 ? c.regs[ECX] : c.regs[ECX] & 0xFFFF;
    }

    private static void decrementCount(Cpu c, boolean a32) {
        if (a32) {
            c.regs[ECX]--;
        } else {
            c.setReg(2, ECX, c.regs[ECX] - 1);
        }
    }

    static boolean movs(Cpu c, Insn i) {
        int size = i.size;
        boolean a32 = i.a32;
        int d = delta(c, size);
        if (!counted(i)) {
            c.mmu.write(ES, index(c, EDI, a32), size, c.mmu.read(i.seg, index(c, ESI, a32), size));
            advance(c, ESI, a32, d);
            advance(c, EDI, a32, d);
            return true;
        }
        for (int n = 0; count(c, a32) != 0; n++) {
            if (n == BURST) {
                return yieldStep(c);
            }
            c.mmu.write(ES, index(c, EDI, a32), size, c.mmu.read(i.seg, index(c, ESI, a32), size));
            advance(c, ESI, a32, d);
            advance(c, EDI, a32, d);
            decrementCount(c, a32);
        }
        return true;
    }

    static boolean stos(Cpu c, Insn i) {
        int size = i.size;
        boolean a32 = i.a32;
        int d = delta(c, size);
        int v = c.reg(size, EAX);
        if (!counted(i)) {
            c.mmu.write(ES, index(c, EDI, a32), size, v);
            advance(c, EDI, a32, d);
            return true;
        }
        for (int n = 0; count(c, a32) != 0; n++) {
            if (n == BURST) {
                return yieldStep(c);
            }
            c.mmu.write(ES, index(c, EDI, a32), size, v);
            advance(c, EDI, a32, d);
            decrementCount(c, a32);
        }
        return true;
    }

    static boolean lods(Cpu c, Insn i) {
        int size = i.size;
        boolean a32 = i.a32;
        int d = delta(c, size);
        if (!counted(i)) {
            c.setReg(size, EAX, c.mmu.read(i.seg, index(c, ESI, a32), size));
            advance(c, ESI, a32, d);
            return true;
        }
        for (int n = 0; count(c, a32) != 0; n++) {
            if (n == BURST) {
                return yieldStep(c);
            }
            c.setReg(size, EAX, c.mmu.read(i.seg, index(c, ESI, a32), size));
            advance(c, ESI, a32, d);
            decrementCount(c, a32);
        }
        return true;
    }

    /** CMPS: compares [seg:ESI] with ES:[EDI] (source minus destination). */
    static boolean cmps(Cpu c, Insn i) {
        int size = i.size;
        boolean a32 = i.a32;
        int d = delta(c, size);
        if (!counted(i)) {
            cmpsOnce(c, i, size, a32, d);
            return true;
        }
        for (int n = 0; count(c, a32) != 0; n++) {
            if (n == BURST) {
                return yieldStep(c);
            }
            cmpsOnce(c, i, size, a32, d);
            decrementCount(c, a32);
            if (c.flags.zf() != (i.rep == 0xF3)) {
                break;  // REPE stops on a difference, REPNE on a match
            }
        }
        return true;
    }

    private static void cmpsOnce(Cpu c, Insn i, int size, boolean a32, int d) {
        int src = c.mmu.read(i.seg, index(c, ESI, a32), size);
        int dst = c.mmu.read(ES, index(c, EDI, a32), size);
        Alu.compute(c, Op.FN_CMP, size, src, dst);
        advance(c, ESI, a32, d);
        advance(c, EDI, a32, d);
    }

    /** SCAS: compares the accumulator with ES:[EDI]. */
    static boolean scas(Cpu c, Insn i) {
        int size = i.size;
        boolean a32 = i.a32;
        int d = delta(c, size);
        int acc = c.reg(size, EAX);
        if (!counted(i)) {
            Alu.compute(c, Op.FN_CMP, size, acc, c.mmu.read(ES, index(c, EDI, a32), size));
            advance(c, EDI, a32, d);
            return true;
        }
        for (int n = 0; count(c, a32) != 0; n++) {
            if (n == BURST) {
                return yieldStep(c);
            }
            Alu.compute(c, Op.FN_CMP, size, acc, c.mmu.read(ES, index(c, EDI, a32), size));
            advance(c, EDI, a32, d);
            decrementCount(c, a32);
            if (c.flags.zf() != (i.rep == 0xF3)) {
                break;
            }
        }
        return true;
    }

    /** INS: port DX to ES:[EDI], with the I/O permission check of IN. */
    static boolean ins(Cpu c, Insn i) {
        int size = i.size;
        boolean a32 = i.a32;
        int d = delta(c, size);
        int port = c.regs[EDX] & 0xFFFF;
        SystemOps.checkIo(c, port, size);
        int n = 0;
        do {
            if (counted(i) && count(c, a32) == 0) {
                break;
            }
            if (n++ == BURST) {
                return yieldStep(c);
            }
            // The destination is checked before the port is read, so a fault loses no input.
            int off = index(c, EDI, a32);
            c.mmu.linearWrite(ES, off, size);
            c.mmu.write(ES, off, size, c.io.in(port, size));
            advance(c, EDI, a32, d);
            if (counted(i)) {
                decrementCount(c, a32);
            }
        } while (counted(i));
        return true;
    }

    /** OUTS: [seg:ESI] to port DX. */
    static boolean outs(Cpu c, Insn i) {
        int size = i.size;
        boolean a32 = i.a32;
        int d = delta(c, size);
        int port = c.regs[EDX] & 0xFFFF;
        SystemOps.checkIo(c, port, size);
        int n = 0;
        do {
            if (counted(i) && count(c, a32) == 0) {
                break;
            }
            if (n++ == BURST) {
                return yieldStep(c);
            }
            c.io.out(port, size, c.mmu.read(i.seg, index(c, ESI, a32), size));
            advance(c, ESI, a32, d);
            if (counted(i)) {
                decrementCount(c, a32);
            }
        } while (counted(i));
        return true;
    }
}
