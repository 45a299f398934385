package dev.vwb.machine.cpu;

import static dev.vwb.machine.cpu.Cpu.EAX;
import static dev.vwb.machine.cpu.Cpu.EBX;
import static dev.vwb.machine.cpu.Cpu.ECX;
import static dev.vwb.machine.cpu.Cpu.EDX;

/**
 * The 0F-prefixed instructions, kept apart from {@link Interpreter} so that each dispatch
 * method stays small enough for the JIT to compile and inline well.
 */
final class TwoByteInterpreter {
    private TwoByteInterpreter() {
    }

    static void execute(Cpu c, Insn i, int next) {
        switch (i.op) {
            case Op.CMOV: {
                int v = c.readRM(i);  // the source is read (and may fault) whatever the condition
                if (c.flags.condition(i.cc)) {
                    c.setReg(i.size, i.reg, v);
                }
                break;
            }
            case Op.SETCC:
                c.writeRM(i, c.flags.condition(i.cc) ? 1 : 0);
                break;
            case Op.MOVZX:
            case Op.MOVSX:
                c.setReg(i.size, i.reg, extended(c, i));
                break;
            case Op.BT_RM_R: BitOps.bitRegOffset(c, i, BitOps.TEST); break;
            case Op.BTS_RM_R: BitOps.bitRegOffset(c, i, BitOps.SET); break;
            case Op.BTR_RM_R: BitOps.bitRegOffset(c, i, BitOps.RESET); break;
            case Op.BTC_RM_R: BitOps.bitRegOffset(c, i, BitOps.COMPLEMENT); break;
            case Op.BT_I: BitOps.bitImmOffset(c, i, BitOps.TEST); break;
            case Op.BTS_I: BitOps.bitImmOffset(c, i, BitOps.SET); break;
            case Op.BTR_I: BitOps.bitImmOffset(c, i, BitOps.RESET); break;
            case Op.BTC_I: BitOps.bitImmOffset(c, i, BitOps.COMPLEMENT); break;
            case Op.BSF: BitOps.bsf(c, i); break;
            case Op.BSR: BitOps.bsr(c, i); break;
            case Op.SHLD: Shifts.doubleShift(c, i, true); break;
            case Op.SHRD: Shifts.doubleShift(c, i, false); break;
            case Op.CMPXCHG: cmpxchg(c, i); break;
            case Op.CMPXCHG8B: cmpxchg8b(c, i); break;
            case Op.XADD: xadd(c, i); break;
            case Op.BSWAP:
                // With a 16-bit operand the result is undefined (SDM Vol. 2A BSWAP); this CPU writes 0, as Intel parts do.
                if (i.size == 4) {
                    c.regs[i.reg] = Integer.reverseBytes(c.regs[i.reg]);
                } else {
                    c.setReg(2, i.reg, 0);
                }
                break;
            case Op.CPUID: Cpuid.execute(c); break;
            case Op.RDTSC: SystemOps.rdtsc(c); break;
            case Op.RDMSR: SystemOps.rdmsr(c); break;
            case Op.WRMSR: SystemOps.wrmsr(c); break;
            case Op.MOV_R_CR: SystemOps.movFromCr(c, i); break;
            case Op.MOV_CR_R: SystemOps.movToCr(c, i); break;
            case Op.MOV_R_DR: SystemOps.movFromDr(c, i); break;
            case Op.MOV_DR_R: SystemOps.movToDr(c, i); break;
            case Op.SGDT: SystemOps.storeTableRegister(c, i, true); break;
            case Op.SIDT: SystemOps.storeTableRegister(c, i, false); break;
            case Op.LGDT: SystemOps.loadTableRegister(c, i, true); break;
            case Op.LIDT: SystemOps.loadTableRegister(c, i, false); break;
            case Op.SMSW: SystemOps.smsw(c, i); break;
            case Op.LMSW: SystemOps.lmsw(c, i); break;
            case Op.INVLPG:
                SystemOps.requireCpl0(c);
                c.pager.invalidate(c.seg[i.seg].base + c.ea(i));
                c.attention |= Cpu.ATTN_CODE;
                break;
            case Op.CLTS: SystemOps.clts(c); break;
            case Op.INVD:
            case Op.WBINVD: SystemOps.requireCpl0(c); break;  // no caches are modelled
            case Op.SLDT: SystemOps.sldt(c, i); break;
            case Op.STR: SystemOps.str(c, i); break;
            case Op.LLDT: SystemOps.lldt(c, i); break;
            case Op.LTR: SystemOps.ltr(c, i); break;
            case Op.VERR: SystemOps.verify(c, i, false); break;
            case Op.VERW: SystemOps.verify(c, i, true); break;
            case Op.LAR: SystemOps.larLsl(c, i, true); break;
            case Op.LSL: SystemOps.larLsl(c, i, false); break;
            default:
                throw new IllegalStateException("no implementation for op " + i.op + " (opcode " + Integer.toHexString(i.opcode) + ")");
        }
        c.eip = next;
    }

    /** The source of MOVZX/MOVSX (8-bit for 0F B6/BE, 16-bit for 0F B7/BF), zero- or sign-extended. */
    static int extended(Cpu c, Insn i) {
        int srcSize = (i.opcode & 1) == 0 ? 1 : 2;
        int v = i.mem ? c.mmu.read(i.seg, c.ea(i), srcSize) : c.reg(srcSize, i.rm);
        if (i.op == Op.MOVSX) {
            v = srcSize == 1 ? (byte) v : (short) v;
        }
        return v;
    }

    /**
     * CMPXCHG r/m, reg: compare the accumulator with r/m (flags as CMP); equal: r/m = reg;
     * otherwise the accumulator = r/m. A memory destination is always written (SDM Vol. 2A).
     */
    private static void cmpxchg(Cpu c, Insn i) {
        int size = i.size;
        int off = i.mem ? c.ea(i) : 0;
        int dst = i.mem ? c.mmu.read(i.seg, off, size) : c.reg(size, i.rm);
        int acc = c.reg(size, EAX);
        int mask = size == 4 ? -1 : (1 << (size << 3)) - 1;
        boolean equal = (dst & mask) == (acc & mask);
        int newDst = equal ? c.reg(size, i.reg) : dst;
        if (i.mem) {
            c.mmu.write(i.seg, off, size, newDst);
        } else {
            c.setReg(size, i.rm, newDst);
        }
        Alu.compute(c, Op.FN_CMP, size, acc, dst);
        if (!equal) {
            c.setReg(size, EAX, dst);
        }
    }

    /** CMPXCHG8B m64: compare EDX:EAX with m64; equal: m64 = ECX:EBX, else EDX:EAX = m64. Only ZF changes. */
    private static void cmpxchg8b(Cpu c, Insn i) {
        int off = c.ea(i);
        int hiOff = i.a32 ? off + 4 : (off + 4) & 0xFFFF;
        int lo = c.mmu.read32(i.seg, off);
        int hi = c.mmu.read32(i.seg, hiOff);
        boolean equal = lo == c.regs[EAX] && hi == c.regs[EDX];
        c.mmu.linearWrite(i.seg, off, 8);
        if (equal) {
            c.mmu.write32(i.seg, off, c.regs[EBX]);
            c.mmu.write32(i.seg, hiOff, c.regs[ECX]);
        } else {
            c.mmu.write32(i.seg, off, lo);
            c.mmu.write32(i.seg, hiOff, hi);
            c.regs[EAX] = lo;
            c.regs[EDX] = hi;
        }
        c.flags.setBit(Eflags.ZF, equal);
    }

    /** XADD r/m, reg: reg = old r/m, r/m = sum; flags as ADD. */
    private static void xadd(Cpu c, Insn i) {
        int size = i.size;
        int src = c.reg(size, i.reg);
        if (i.mem) {
            int off = c.ea(i);
            c.mmu.probeWrite(i.seg, off, size);
            int dst = c.mmu.read(i.seg, off, size);
            int sum = Alu.compute(c, Op.FN_ADD, size, dst, src);
            c.mmu.write(i.seg, off, size, sum);
            c.setReg(size, i.reg, dst);
        } else {
            int dst = c.reg(size, i.rm);
            int sum = Alu.compute(c, Op.FN_ADD, size, dst, src);
            c.setReg(size, i.reg, dst);
            c.setReg(size, i.rm, sum);
        }
    }
}
