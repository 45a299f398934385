package dev.vwb.machine.cpu;

import static dev.vwb.machine.cpu.Op.FN_ADC;
import static dev.vwb.machine.cpu.Op.FN_ADD;
import static dev.vwb.machine.cpu.Op.FN_AND;
import static dev.vwb.machine.cpu.Op.FN_CMP;
import static dev.vwb.machine.cpu.Op.FN_OR;
import static dev.vwb.machine.cpu.Op.FN_SBB;
import static dev.vwb.machine.cpu.Op.FN_SUB;
import static dev.vwb.machine.cpu.Op.FN_XOR;

/**
 * The eight two-operand ALU functions (ADD OR ADC SBB AND SUB XOR CMP), INC/DEC, NEG, TEST and
 * XCHG. Flags are recorded lazily (see {@link Flags}); AF after AND/OR/XOR/TEST is undefined in
 * the SDM and reads as 0 here.
 */
final class Alu {
    private Alu() {
    }

    /** Computes {@code a fn b} at {@code size} bytes, records the flags, returns the result. */
    static int compute(Cpu c, int fn, int size, int a, int b) {
        int bits = size << 3;
        Flags f = c.flags;
        int r;
        switch (fn) {
            case FN_ADD:
                r = a + b;
                f.set(Flags.ADD, bits, a, b, r);
                return r;
            case FN_OR:
                r = a | b;
                f.set(Flags.LOGIC, bits, a, b, r);
                return r;
            case FN_ADC: {
                int cin = f.cf() ? 1 : 0;
                r = a + b + cin;
                f.setWithCarry(Flags.ADC, bits, a, b, r, cin);
                return r;
            }
            case FN_SBB: {
                int cin = f.cf() ? 1 : 0;
                r = a - b - cin;
                f.setWithCarry(Flags.SBB, bits, a, b, r, cin);
                return r;
            }
            case FN_AND:
                r = a & b;
                f.set(Flags.LOGIC, bits, a, b, r);
                return r;
            case FN_SUB:
            case FN_CMP:
                r = a - b;
                f.set(Flags.SUB, bits, a, b, r);
                return r;
            default: // FN_XOR
                r = a ^ b;
                f.set(Flags.LOGIC, bits, a, b, r);
                return r;
        }
    }

    /** r/m fn= reg (00, 01, 08, 09 ...). */
    static void rmReg(Cpu c, Insn i, int fn) {
        int size = i.size;
        int b = c.reg(size, i.reg);
        if (i.mem) {
            int off = c.ea(i);
            if (fn != FN_CMP) {
                c.mmu.probeWrite(i.seg, off, size);
            }
            int r = compute(c, fn, size, c.mmu.read(i.seg, off, size), b);
            if (fn != FN_CMP) {
                c.mmu.write(i.seg, off, size, r);
            }
        } else {
            int r = compute(c, fn, size, c.reg(size, i.rm), b);
            if (fn != FN_CMP) {
                c.setReg(size, i.rm, r);
            }
        }
    }

    /** reg fn= r/m (02, 03, 0A, 0B ...). */
    static void regRm(Cpu c, Insn i, int fn) {
        int size = i.size;
        int r = compute(c, fn, size, c.reg(size, i.reg), c.readRM(i));
        if (fn != FN_CMP) {
            c.setReg(size, i.reg, r);
        }
    }

    /** AL/AX/EAX fn= imm (04, 05, 0C ...). */
    static void accImm(Cpu c, Insn i, int fn) {
        int r = compute(c, fn, i.size, c.reg(i.size, Cpu.EAX), i.imm);
        if (fn != FN_CMP) {
            c.setReg(i.size, Cpu.EAX, r);
        }
    }

    /** r/m fn= imm (group 1: 80, 81, 82, 83). */
    static void rmImm(Cpu c, Insn i, int fn) {
        int size = i.size;
        if (i.mem) {
            int off = c.ea(i);
            if (fn != FN_CMP) {
                c.mmu.probeWrite(i.seg, off, size);
            }
            int r = compute(c, fn, size, c.mmu.read(i.seg, off, size), i.imm);
            if (fn != FN_CMP) {
                c.mmu.write(i.seg, off, size, r);
            }
        } else {
            int r = compute(c, fn, size, c.reg(size, i.rm), i.imm);
            if (fn != FN_CMP) {
                c.setReg(size, i.rm, r);
            }
        }
    }

    static void logic(Cpu c, int size, int r) {
        c.flags.set(Flags.LOGIC, size << 3, 0, 0, r);
    }

    static void inc(Cpu c, int size, int reg, int a) {
        int r = a + 1;
        c.flags.setIncDec(Flags.INC, size << 3, a, r);
        c.setReg(size, reg, r);
    }

    static void dec(Cpu c, int size, int reg, int a) {
        int r = a - 1;
        c.flags.setIncDec(Flags.DEC, size << 3, a, r);
        c.setReg(size, reg, r);
    }

    static void incDecRm(Cpu c, Insn i, boolean increment) {
        if (!i.mem) {
            int a = c.reg(i.size, i.rm);
            if (increment) {
                inc(c, i.size, i.rm, a);
            } else {
                dec(c, i.size, i.rm, a);
            }
            return;
        }
        int off = c.ea(i);
        int a = c.mmu.read(i.seg, off, i.size);
        int r = increment ? a + 1 : a - 1;
        c.mmu.write(i.seg, off, i.size, r);
        c.flags.setIncDec(increment ? Flags.INC : Flags.DEC, i.size << 3, a, r);
    }

    /** NEG: 0 - x; CF is set unless the operand was 0 (SDM Vol. 2B NEG). */
    static void neg(Cpu c, Insn i) {
        int off = i.mem ? c.ea(i) : 0;
        int b = i.mem ? c.mmu.read(i.seg, off, i.size) : c.reg(i.size, i.rm);
        int r = -b;
        if (i.mem) {
            c.mmu.write(i.seg, off, i.size, r);
        } else {
            c.setReg(i.size, i.rm, r);
        }
        c.flags.set(Flags.NEG, i.size << 3, 0, b, r);
    }

    /** XCHG r/m, reg: memory is written before the register, so a fault changes nothing. */
    static void xchg(Cpu c, Insn i) {
        int size = i.size;
        int regValue = c.reg(size, i.reg);
        if (i.mem) {
            int off = c.ea(i);
            int m = c.mmu.read(i.seg, off, size);
            c.mmu.write(i.seg, off, size, regValue);
            c.setReg(size, i.reg, m);
        } else {
            int other = c.reg(size, i.rm);
            c.setReg(size, i.rm, regValue);
            c.setReg(size, i.reg, other);
        }
    }
}
