package dev.vwb.machine.cpu;

/**
 * Bit tests and scans: BT BTS BTR BTC (register and immediate offsets), BSF, BSR
 * (SDM Vol. 2A "BT", "BSF", "BSR").
 *
 * <p>Undefined flags: BT*: OF SF AF PF (unchanged here; ZF is defined as unaffected).
 * BSF/BSR: CF OF SF AF PF (unchanged here); with a zero source the destination is undefined
 * and is left unchanged, as Intel and AMD parts do.
 */
final class BitOps {
    private BitOps() {
    }

    static final int TEST = 0, SET = 1, RESET = 2, COMPLEMENT = 3;

    /**
     * BTx r/m, reg: with a memory operand the bit offset is a signed integer that may select
     * a bit outside the addressed word: the address moves by whole operand-size units.
     */
    static void bitRegOffset(Cpu c, Insn i, int action) {
        int size = i.size;
        int bits = size << 3;
        int offset = c.reg(size, i.reg);
        if (!i.mem) {
            apply(c, i, action, offset & (bits - 1));
            return;
        }
        int signed = size == 2 ? (short) offset : offset;
        int unitShift = size == 2 ? 4 : 5;
        int addr = c.ea(i) + (signed >> unitShift) * size;
        if (!i.a32) {
            addr &= 0xFFFF;
        }
        applyMem(c, i.seg, addr, size, action, signed & (bits - 1));
    }

    /** BTx r/m, imm8: the offset is taken modulo the operand width. */
    static void bitImmOffset(Cpu c, Insn i, int action) {
        int bit = i.imm & ((i.size << 3) - 1);
        if (i.mem) {
            applyMem(c, i.seg, c.ea(i), i.size, action, bit);
        } else {
            apply(c, i, action, bit);
        }
    }

    private static void apply(Cpu c, Insn i, int action, int bit) {
        int v = c.reg(i.size, i.rm);
        setCarry(c, (v >>> bit) & 1);
        if (action != TEST) {
            c.setReg(i.size, i.rm, modify(v, bit, action));
        }
    }

    private static void applyMem(Cpu c, int seg, int addr, int size, int action, int bit) {
        int v = c.mmu.read(seg, addr, size);
        if (action != TEST) {
            c.mmu.write(seg, addr, size, modify(v, bit, action));
        }
        setCarry(c, (v >>> bit) & 1);
    }

    private static int modify(int v, int bit, int action) {
        switch (action) {
            case SET: return v | (1 << bit);
            case RESET: return v & ~(1 << bit);
            default: return v ^ (1 << bit);
        }
    }

    private static void setCarry(Cpu c, int bit) {
        c.flags.setBit(Eflags.CF, bit != 0);
    }

    static void bsf(Cpu c, Insn i) {
        int src = c.readRM(i) & (i.size == 2 ? 0xFFFF : -1);
        scanResult(c, i, src, Integer.numberOfTrailingZeros(src));
    }

    static void bsr(Cpu c, Insn i) {
        int src = c.readRM(i) & (i.size == 2 ? 0xFFFF : -1);
        scanResult(c, i, src, 31 - Integer.numberOfLeadingZeros(src));
    }

    private static void scanResult(Cpu c, Insn i, int src, int index) {
        if (src == 0) {
            c.flags.setBit(Eflags.ZF, true);
        } else {
            c.setReg(i.size, i.reg, index);
            c.flags.setBit(Eflags.ZF, false);
        }
    }
}
