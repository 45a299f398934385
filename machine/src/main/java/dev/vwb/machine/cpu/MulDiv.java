package dev.vwb.machine.cpu;

import static dev.vwb.machine.cpu.Cpu.EAX;
import static dev.vwb.machine.cpu.Cpu.EDX;
import static dev.vwb.machine.cpu.Eflags.CF;
import static dev.vwb.machine.cpu.Eflags.OF;

/**
 * MUL, IMUL (one-, two- and three-operand forms), DIV, IDIV and BOUND (SDM Vol. 2A/2B).
 *
 * <p>Undefined flags: after MUL/IMUL, SF ZF AF PF are undefined (written here as SF/ZF/PF of
 * the low half of the product and AF = 0); after DIV/IDIV all six are undefined (left unchanged).
 */
final class MulDiv {
    private MulDiv() {
    }

    /** MUL r/m: AX = AL*r/m8, DX:AX = AX*r/m16, EDX:EAX = EAX*r/m32. CF=OF=(high half != 0). */
    static void mul(Cpu c, int size, int src) {
        int bits = size << 3;
        long a = c.reg(size, EAX) & 0xFFFF_FFFFL;
        long b = src & (size == 4 ? 0xFFFF_FFFFL : (1L << bits) - 1);
        long p = a * b;
        long high = p >>> bits;
        int low = (int) p;
        store(c, size, low, (int) high);
        setFlags(c, bits, low, high != 0);
    }

    /** IMUL r/m (one operand): the double-width signed product. CF=OF=(product does not fit in the low half). */
    static void imul(Cpu c, int size, int src) {
        int bits = size << 3;
        long a = signExtend(c.reg(size, EAX), bits);
        long b = signExtend(src, bits);
        long p = a * b;
        int low = (int) p;
        store(c, size, low, (int) (p >> bits));
        setFlags(c, bits, low, p != signExtend(low, bits));
    }

    /** IMUL reg, r/m[, imm]: the truncated signed product into a register. */
    static void imul3(Cpu c, Insn i, int a, int b) {
        if (i.size == 4) {
            imul32(c, i.reg, a, b);
            return;
        }
        int bits = i.size << 3;
        long p = signExtend(a, bits) * signExtend(b, bits);
        int low = (int) p;
        c.setReg(i.size, i.reg, low);
        setFlags(c, bits, low, p != signExtend(low, bits));
    }

    /** The 32-bit form of {@link #imul3}: CF=OF=(the product does not fit in 32 bits). */
    static void imul32(Cpu c, int reg, int a, int b) {
        long p = (long) a * b;
        int low = (int) p;
        c.regs[reg] = low;
        setFlags(c, 32, low, p != low);
    }

    private static void store(Cpu c, int size, int low, int high) {
        switch (size) {
            case 1:
                c.setReg(2, EAX, (low & 0xFF) | (high & 0xFF) << 8);
                break;
            case 2:
                c.setReg(2, EAX, low);
                c.setReg(2, EDX, high);
                break;
            default:
                c.regs[EAX] = low;
                c.regs[EDX] = high;
        }
    }

    private static void setFlags(Cpu c, int bits, int low, boolean overflow) {
        c.flags.setArith((overflow ? CF | OF : 0) | Flags.szp(bits, low));
    }

    static long signExtend(int v, int bits) {
        return bits == 32 ? v : ((long) v << (64 - bits)) >> (64 - bits);
    }

    /** DIV r/m: unsigned divide of AX, DX:AX or EDX:EAX; #DE on a zero divisor or a quotient too wide. */
    static void div(Cpu c, int size, int src) {
        int bits = size << 3;
        long mask = size == 4 ? 0xFFFF_FFFFL : (1L << bits) - 1;
        long divisor = src & mask;
        if (divisor == 0) {
            throw new GuestFault(Vectors.DE, GuestFault.NO_ERROR_CODE);
        }
        long dividend = dividend(c, size);
        long q = Long.divideUnsigned(dividend, divisor);
        long r = Long.remainderUnsigned(dividend, divisor);
        if (Long.compareUnsigned(q, mask) > 0) {
            throw new GuestFault(Vectors.DE, GuestFault.NO_ERROR_CODE);
        }
        storeQuotient(c, size, (int) q, (int) r);
    }

    /** IDIV r/m: signed divide, quotient truncated towards zero; #DE when it does not fit. */
    static void idiv(Cpu c, int size, int src) {
        int bits = size << 3;
        long divisor = signExtend(src, bits);
        if (divisor == 0) {
            throw new GuestFault(Vectors.DE, GuestFault.NO_ERROR_CODE);
        }
        long dividend = dividend(c, size);
        if (size != 4) {
            dividend = signExtend((int) dividend, bits * 2);
        }
        if (dividend == Long.MIN_VALUE && divisor == -1) {
            throw new GuestFault(Vectors.DE, GuestFault.NO_ERROR_CODE);
        }
        long q = dividend / divisor;
        long r = dividend % divisor;
        if (q != signExtend((int) q, bits)) {
            throw new GuestFault(Vectors.DE, GuestFault.NO_ERROR_CODE);
        }
        storeQuotient(c, size, (int) q, (int) r);
    }

    private static long dividend(Cpu c, int size) {
        switch (size) {
            case 1: return c.regs[EAX] & 0xFFFF;
            case 2: return (c.regs[EDX] & 0xFFFFL) << 16 | (c.regs[EAX] & 0xFFFF);
            default: return (long) c.regs[EDX] << 32 | (c.regs[EAX] & 0xFFFF_FFFFL);
        }
    }

    private static void storeQuotient(Cpu c, int size, int q, int r) {
        switch (size) {
            case 1:
                c.setReg(2, EAX, (q & 0xFF) | (r & 0xFF) << 8);
                break;
            case 2:
                c.setReg(2, EAX, q);
                c.setReg(2, EDX, r);
                break;
            default:
                c.regs[EAX] = q;
                c.regs[EDX] = r;
        }
    }

    /** BOUND reg, m: #BR unless lower <= reg <= upper, all signed (SDM Vol. 2A BOUND). */
    static void bound(Cpu c, Insn i) {
        int off = c.ea(i);
        int size = i.size;
        int lower = (int) signExtend(c.mmu.read(i.seg, off, size), size << 3);
        int upper = (int) signExtend(c.mmu.read(i.seg, i.a32 ? off + size : (off + size) & 0xFFFF, size), size << 3);
        int index = (int) signExtend(c.reg(size, i.reg), size << 3);
        if (index < lower || index > upper) {
            throw new GuestFault(Vectors.BR, GuestFault.NO_ERROR_CODE);
        }
    }
}
