package dev.vwb.machine.cpu;

import static dev.vwb.machine.cpu.Op.FN_CMP;

/**
 * The implementations behind the hottest {@link FastPath}s, with every operand as a plain
 * {@code int} argument. The interpreter's fast paths pass an instruction's fields; the
 * {@link BlockCompiler} passes them as constants in translated code, so the JIT folds register
 * numbers, displacements, lengths and the ALU function into the code (the fast path and the
 * translation share this one implementation, so they cannot disagree).
 *
 * <p>Memory operands are {@code seg, base, index, scale, disp, a32}: the effective address is
 * {@code disp + regs[base] + (regs[index] << scale)} (base/index -1 when absent), truncated to
 * 16 bits unless {@code a32} is 1.
 */
final class Kernels {
    private Kernels() {
    }

    static int ea(Cpu c, int base, int index, int scale, int disp, int a32) {
        int a = disp;
        if (base >= 0) {
            a += c.regs[base];
        }
        if (index >= 0) {
            a += c.regs[index] << scale;
        }
        return a32 != 0 ? a : a & 0xFFFF;
    }

    static void aluRR(Cpu c, int fn, int dst, int src, int len) {
        int[] regs = c.regs;
        int r = FastPaths.alu(c.flags, fn, regs[dst], regs[src]);
        if (fn != FN_CMP) {
            regs[dst] = r;
        }
        c.eip += len;
    }

    static void aluRI(Cpu c, int fn, int dst, int imm, int len) {
        int[] regs = c.regs;
        int r = FastPaths.alu(c.flags, fn, regs[dst], imm);
        if (fn != FN_CMP) {
            regs[dst] = r;
        }
        c.eip += len;
    }

    static void aluRM(Cpu c, int fn, int dst, int seg, int base, int index, int scale, int disp, int a32, int len) {
        int[] regs = c.regs;
        int r = FastPaths.alu(c.flags, fn, regs[dst], c.mmu.read32(seg, ea(c, base, index, scale, disp, a32)));
        if (fn != FN_CMP) {
            regs[dst] = r;
        }
        c.eip += len;
    }

    static void aluMR(Cpu c, int fn, int src, int seg, int base, int index, int scale, int disp, int a32, int len) {
        int off = ea(c, base, index, scale, disp, a32);
        if (c.memoryListeners != null) {
            // Observed: through the generic accesses, which report themselves.
            if (fn != FN_CMP) {
                c.mmu.probeWrite(seg, off, 4);
            }
            int r = FastPaths.alu(c.flags, fn, c.mmu.read32(seg, off), c.regs[src]);
            if (fn != FN_CMP) {
                c.mmu.write32(seg, off, r);
            }
            c.eip += len;
            return;
        }
        int lin = fn != FN_CMP ? c.mmu.linearWrite(seg, off, 4) : c.mmu.linear(seg, off, 4);
        if ((lin & 3) != 0 && (c.cr0 & Cpu.CR0_AM) != 0) {
            c.mmu.alignmentCheck();
        }
        if ((lin & 0xFFF) > 0xFFC) {
            // Straddling two pages: check both for the write first, so a fault changes no flag.
            c.mmu.translate(lin, fn != FN_CMP);
            c.mmu.translate((lin + 3) & 0xFFFF_F000, fn != FN_CMP);  // CR2 names the first byte on the second page
            int r = FastPaths.alu(c.flags, fn, c.mmu.read32(seg, off), c.regs[src]);
            if (fn != FN_CMP) {
                c.mmu.write32(seg, off, r);
            }
        } else {
            // One segment check and translation for the read and the write of the same dword;
            // translating for a write first means a read-only page faults before flags change.
            int phys = c.mmu.translate(lin, fn != FN_CMP);
            int r = FastPaths.alu(c.flags, fn, c.mem.read32(phys), c.regs[src]);
            if (fn != FN_CMP) {
                c.mem.write32(phys, r);
            }
        }
        c.eip += len;
    }

    static void movRR(Cpu c, int dst, int src, int len) {
        c.regs[dst] = c.regs[src];
        c.eip += len;
    }

    static void movRI(Cpu c, int dst, int imm, int len) {
        c.regs[dst] = imm;
        c.eip += len;
    }

    static void movRM(Cpu c, int dst, int seg, int base, int index, int scale, int disp, int a32, int len) {
        c.regs[dst] = c.mmu.read32(seg, ea(c, base, index, scale, disp, a32));
        c.eip += len;
    }

    static void movMR(Cpu c, int src, int seg, int base, int index, int scale, int disp, int a32, int len) {
        c.mmu.write32(seg, ea(c, base, index, scale, disp, a32), c.regs[src]);
        c.eip += len;
    }

    static void movMI(Cpu c, int imm, int seg, int base, int index, int scale, int disp, int a32, int len) {
        c.mmu.write32(seg, ea(c, base, index, scale, disp, a32), imm);
        c.eip += len;
    }

    static void lea(Cpu c, int dst, int base, int index, int scale, int disp, int a32, int len) {
        c.regs[dst] = ea(c, base, index, scale, disp, a32);
        c.eip += len;
    }

    /** INC (inc = 1) or DEC (inc = 0) of a 32-bit register; CF is kept. */
    static void incDec(Cpu c, int inc, int reg, int len) {
        int a = c.regs[reg];
        int r = inc != 0 ? a + 1 : a - 1;
        c.flags.setIncDec(inc != 0 ? Flags.INC : Flags.DEC, 32, a, r);
        c.regs[reg] = r;
        c.eip += len;
    }

    static void test(Cpu c, int a, int b, int len) {
        c.flags.set(Flags.LOGIC, 32, 0, 0, c.regs[a] & c.regs[b]);
        c.eip += len;
    }

    static void push(Cpu c, int reg, int len) {
        c.push32(c.regs[reg]);
        c.eip += len;
    }

    static void pop(Cpu c, int reg, int len) {
        int v = c.pop32();
        c.regs[reg] = v;
        c.eip += len;
    }

    /** A shift or rotate of a 32-bit register by a fixed count, or by CL when {@code count} is -1. */
    static void shift(Cpu c, int fn, int dst, int count, int len) {
        int n = count >= 0 ? count : c.regs[Cpu.ECX] & 0x1F;
        if (n != 0) {
            c.regs[dst] = Shifts.shift(c, fn, 32, c.regs[dst], n);
        }
        c.eip += len;
    }

    static void jcc(Cpu c, int cc, int len, int rel) {
        int next = c.eip + len;
        c.eip = c.flags.condition(cc) ? next + rel : next;
    }

    static void jmp(Cpu c, int len, int rel) {
        c.eip = c.eip + len + rel;
    }

    static void call(Cpu c, int len, int rel) {
        int next = c.eip + len;
        c.push32(next);
        c.eip = next + rel;
    }

    static void ret(Cpu c) {
        c.eip = c.pop32();
    }

    /** LOOP with a 32-bit ECX. */
    static void loop(Cpu c, int len, int rel) {
        int next = c.eip + len;
        c.eip = --c.regs[Cpu.ECX] != 0 ? next + rel : next;
    }

    static void nop(Cpu c, int len) {
        c.eip += len;
    }

    /** SETcc of an 8-bit register. */
    static void setccR(Cpu c, int cc, int rm, int len) {
        c.setReg(1, rm, c.flags.condition(cc) ? 1 : 0);
        c.eip += len;
    }

    /** INC (inc = 1) or DEC of a dword in memory: written before the flags change. */
    static void incDecM(Cpu c, int inc, int seg, int base, int index, int scale, int disp, int a32, int len) {
        int off = ea(c, base, index, scale, disp, a32);
        int a = c.mmu.read32(seg, off);
        int r = inc != 0 ? a + 1 : a - 1;
        c.mmu.write32(seg, off, r);
        c.flags.setIncDec(inc != 0 ? Flags.INC : Flags.DEC, 32, a, r);
        c.eip += len;
    }

    /** MOVZX/MOVSX into a 32-bit register from a register or memory source of srcSize bytes. */
    static void extend(Cpu c, int dst, int signed, int srcSize, int mem, int rm,
                       int seg, int base, int index, int scale, int disp, int a32, int len) {
        int v = mem != 0 ? c.mmu.read(seg, ea(c, base, index, scale, disp, a32), srcSize) : c.reg(srcSize, rm);
        if (signed != 0) {
            v = srcSize == 1 ? (byte) v : (short) v;
        }
        c.regs[dst] = v;
        c.eip += len;
    }

    /** IMUL r32, r32, imm. */
    static void imulRRI(Cpu c, int dst, int src, int imm, int len) {
        MulDiv.imul32(c, dst, c.regs[src], imm);
        c.eip += len;
    }
}
