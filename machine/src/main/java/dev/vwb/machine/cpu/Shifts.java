package dev.vwb.machine.cpu;

import static dev.vwb.machine.cpu.Eflags.CF;
import static dev.vwb.machine.cpu.Eflags.OF;

/**
 * Shifts and rotates: group 2 (ROL ROR RCL RCR SHL SHR SAL SAR) and SHLD/SHRD
 * (SDM Vol. 2B "RCL/RCR/ROL/ROR", "SAL/SAR/SHL/SHR", "SHLD", "SHRD").
 *
 * <p>The count is masked to 5 bits; a masked count of 0 changes neither the operand nor any
 * flag. Flags are computed eagerly. Where the SDM leaves a flag undefined, this CPU writes the
 * value noted at each case; the differential tests exclude exactly these:
 * <ul>
 *   <li>SHL/SHR/SAR: AF undefined (written 0); OF undefined for counts other than 1
 *       (written as for a count of 1, from the last shift step); for SHL/SHR, CF undefined when
 *       the count is at least the operand width (written as the bit shifted out last, or 0).</li>
 *   <li>ROL/ROR/RCL/RCR: OF undefined for counts other than 1 (written by the count-1 formula);
 *       AF, SF, ZF, PF unaffected.</li>
 *   <li>SHLD/SHRD: AF undefined (written 0), OF undefined for counts other than 1; for 16-bit
 *       operands a count above 16 leaves the result and flags undefined.</li>
 * </ul>
 */
final class Shifts {
    private Shifts() {
    }

    static final int ROL = 0, ROR = 1, RCL = 2, RCR = 3, SHL = 4, SHR = 5, SAL = 6, SAR = 7;

    static void group2(Cpu c, Insn i, int fn) {
        int count;
        if (i.opcode == 0xD2 || i.opcode == 0xD3) {
            count = c.regs[Cpu.ECX] & 0x1F;
        } else if (i.opcode == 0xD0 || i.opcode == 0xD1) {
            count = 1;
        } else {
            count = i.imm & 0x1F;
        }
        int off = i.mem ? c.ea(i) : 0;
        int a = i.mem ? c.mmu.read(i.seg, off, i.size) : c.reg(i.size, i.rm);
        if (count == 0) {
            return;  // no change at all, not even to flags
        }
        if (i.mem) {
            c.mmu.probeWrite(i.seg, off, i.size);
        }
        int r = shift(c, fn, i.size << 3, a, count);
        if (i.mem) {
            c.mmu.write(i.seg, off, i.size, r);
        } else {
            c.setReg(i.size, i.rm, r);
        }
    }

    /** Shifts {@code a} (of {@code bits} bits) by {@code count} (1–31), sets flags, returns the result. */
    static int shift(Cpu c, int fn, int bits, int a, int count) {
        long mask = bits == 32 ? 0xFFFF_FFFFL : (1L << bits) - 1;
        long v = a & mask;
        Flags f = c.flags;
        int msb = bits - 1;
        switch (fn) {
            case ROL: {
                int n = count % bits;
                long r = ((v << n) | (v >>> (bits - n))) & mask;
                int cf = (int) (r & 1);
                int of = (int) ((r >>> msb) & 1) ^ cf;
                f.put((f.get() & ~(CF | OF)) | cf | (of != 0 ? OF : 0));
                return (int) r;
            }
            case ROR: {
                int n = count % bits;
                long r = ((v >>> n) | (v << (bits - n))) & mask;
                int top = (int) ((r >>> msb) & 1);
                int next = (int) ((r >>> (msb - 1)) & 1);
                f.put((f.get() & ~(CF | OF)) | top | ((top ^ next) != 0 ? OF : 0));
                return (int) r;
            }
            case RCL: {
                // Rotate through carry: a (bits+1)-bit rotation of CF:value.
                int n = count % (bits + 1);
                long cf = f.cf() ? 1 : 0;
                long wide = (cf << bits) | v;
                long r = n == 0 ? wide : ((wide << n) | (wide >>> (bits + 1 - n))) & ((mask << 1) | 1);
                int newCf = (int) ((r >>> bits) & 1);
                int res = (int) (r & mask);
                int of = ((res >>> msb) & 1) ^ newCf;
                f.materialize();
                f.stored = (f.stored & ~(CF | OF)) | newCf | (of != 0 ? OF : 0);
                return res;
            }
            case RCR: {
                int n = count % (bits + 1);
                long cf = f.cf() ? 1 : 0;
                long wide = (cf << bits) | v;
                long r = n == 0 ? wide : ((wide >>> n) | (wide << (bits + 1 - n))) & ((mask << 1) | 1);
                int newCf = (int) ((r >>> bits) & 1);
                int res = (int) (r & mask);
                int of = ((res >>> msb) ^ (res >>> (msb - 1))) & 1;
                f.materialize();
                f.stored = (f.stored & ~(CF | OF)) | newCf | (of != 0 ? OF : 0);
                return res;
            }
            case SHL:
            case SAL: {
                long wide = v << count;
                int res = (int) (wide & mask);
                int cf = (int) ((wide >>> bits) & 1);
                int of = ((res >>> msb) & 1) ^ cf;
                f.setArith(cf | (of != 0 ? OF : 0) | Flags.szp(bits, res));
                return res;
            }
            case SHR: {
                int cf = (int) ((v >>> (count - 1)) & 1);
                int res = (int) (v >>> count);
                int of = (int) ((v >>> msb) & 1);  // OF = the original sign (count 1)
                f.setArith(cf | (of != 0 ? OF : 0) | Flags.szp(bits, res));
                return res;
            }
            default: { // SAR
                long sv = ((long) a << (64 - bits)) >> (64 - bits);  // sign-extended operand
                int cf = (int) ((sv >> (count - 1)) & 1);
                int res = (int) ((sv >> count) & mask);
                f.setArith(cf | Flags.szp(bits, res));  // OF = 0 for a count of 1
                return res;
            }
        }
    }

    /** SHLD/SHRD r/m, reg, imm8|CL: shift r/m, filling from reg. */
    static void doubleShift(Cpu c, Insn i, boolean left) {
        int count = ((i.opcode & 1) != 0 ? c.regs[Cpu.ECX] : i.imm) & 0x1F;
        int off = i.mem ? c.ea(i) : 0;
        int dst = i.mem ? c.mmu.read(i.seg, off, i.size) : c.reg(i.size, i.rm);
        if (count == 0) {
            return;
        }
        if (i.mem) {
            c.mmu.probeWrite(i.seg, off, i.size);
        }
        int src = c.reg(i.size, i.reg);
        int bits = i.size << 3;
        long mask = bits == 32 ? 0xFFFF_FFFFL : 0xFFFFL;
        long d = dst & mask;
        long s = src & mask;
        int res;
        int cf;
        if (left) {
            // A 16-bit SHLD with count > 16 is undefined; this rotates a 48-bit dst:src:dst as Intel parts do.
            long wide = bits == 32 ? (d << 32) | s : (d << 48) | (s << 32) | (d << 16);
            long shifted = wide << count;
            res = (int) ((shifted >>> (64 - bits)) & mask);
            cf = (int) ((wide >>> (64 - count)) & 1);
        } else {
            long wide = bits == 32 ? (s << 32) | d : (d << 32) | (s << 16) | d;
            long shifted = wide >>> count;
            res = (int) (shifted & mask);
            cf = (int) ((wide >>> (count - 1)) & 1);
        }
        int of = (int) (((res ^ d) >>> (bits - 1)) & 1);  // sign changed (defined for count 1)
        c.flags.setArith(cf | (of != 0 ? OF : 0) | Flags.szp(bits, res));
        if (i.mem) {
            c.mmu.write(i.seg, off, i.size, res);
        } else {
            c.setReg(i.size, i.rm, res);
        }
    }
}
