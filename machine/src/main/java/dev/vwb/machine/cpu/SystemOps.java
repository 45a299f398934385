package dev.vwb.machine.cpu;

import static dev.vwb.machine.cpu.Cpu.EAX;
import static dev.vwb.machine.cpu.Cpu.ECX;
import static dev.vwb.machine.cpu.Cpu.EDX;

/**
 * System instructions: port I/O with its permission checks, CLI/STI/HLT, the descriptor-table
 * registers, control and debug registers, MSRs, RDTSC, and the protected-mode-only selector
 * instructions (SLDT STR LLDT LTR LAR LSL VERR VERW ARPL). Privilege rules per SDM Vol. 3A §5.9.
 */
final class SystemOps {
    private SystemOps() {
    }

    /** CR4 bits this CPU implements: TSD (RDTSC at CPL 0 only), PSE (4 MiB pages), PGE (global pages). */
    static final int CR4_TSD = 1 << 2;
    static final int CR4_PSE = 1 << 4;
    static final int CR4_PGE = 1 << 7;
    private static final int CR4_IMPLEMENTED = CR4_TSD | CR4_PSE | CR4_PGE;
    static final int MSR_TSC = 0x10;

    private static GuestFault gp0() {
        return new GuestFault(Vectors.GP, 0);
    }

    /** Privileged instructions need CPL 0 in protected mode (always satisfied in real mode). */
    static void requireCpl0(Cpu c) {
        if (c.protectedMode() && c.cpl != 0) {
            throw gp0();
        }
    }

    /** The instruction exists only in protected mode (SLDT, LAR, ARPL ...): #UD in real mode. */
    static void requireProtectedMode(Cpu c) {
        if (!c.protectedMode()) {
            throw new GuestFault(Vectors.UD, GuestFault.NO_ERROR_CODE);
        }
    }

    // ---- port I/O ---------------------------------------------------------------------------

    /**
     * IN/OUT/INS/OUTS are allowed when CPL <= IOPL; otherwise every port byte touched must be
     * clear in the TSS I/O permission bitmap (SDM Vol. 1 §19.5).
     */
    static void checkIo(Cpu c, int port, int size) {
        if (!c.protectedMode() || c.cpl <= c.iopl()) {
            if ((c.flags.stored & Eflags.VM) == 0) {
                return;
            }
        }
        Segment tss = c.tr;
        if ((tss.selector & 0xFFFC) == 0 || Integer.compareUnsigned(tss.limit, 0x67) < 0) {
            throw gp0();
        }
        int mapBase = c.mmu.readLinear16(tss.base + 0x66);
        int byteOffset = mapBase + (port >>> 3);
        if (Integer.compareUnsigned(byteOffset + 1, tss.limit) > 0) {
            throw gp0();
        }
        int bitmap = c.mmu.readLinear16(tss.base + byteOffset);
        int mask = ((1 << size) - 1) << (port & 7);
        if ((bitmap & mask) != 0) {
            throw gp0();
        }
    }

    static void in(Cpu c, int size, int port) {
        checkIo(c, port, size);
        c.setReg(size, EAX, c.io.in(port, size));
    }

    static void out(Cpu c, int size, int port) {
        checkIo(c, port, size);
        c.io.out(port, size, c.reg(size, EAX));
    }

    // ---- interrupts and halting ----------------------------------------------------------------

    /** CLI/STI need CPL <= IOPL in protected mode (SDM Vol. 2A CLI, Vol. 2B STI). */
    static void cli(Cpu c) {
        if (c.protectedMode() && c.cpl > c.iopl()) {
            throw gp0();
        }
        c.flags.stored &= ~Eflags.IF;
    }

    static void sti(Cpu c) {
        if (c.protectedMode() && c.cpl > c.iopl()) {
            throw gp0();
        }
        if ((c.flags.stored & Eflags.IF) == 0) {
            c.flags.stored |= Eflags.IF;
            c.attention |= Cpu.ATTN_SHADOW;  // interrupts stay off until after the next instruction
        }
    }

    static void hlt(Cpu c) {
        requireCpl0(c);
        c.halted = true;
        c.attention |= Cpu.ATTN_HALT;
    }

    // ---- control registers ---------------------------------------------------------------------

    /**
     * MOV CR0: ET is hard-wired to 1 on the 486; PG without PE is #GP(0) (SDM Vol. 3A §2.5).
     * Leaving protected mode keeps the segment caches, as hardware does.
     */
    static void writeCr0(Cpu c, int value) {
        if ((value & Cpu.CR0_PG) != 0 && (value & Cpu.CR0_PE) == 0) {
            throw gp0();
        }
        boolean wasProtected = (c.cr0 & Cpu.CR0_PE) != 0;
        boolean pagingChanged = ((c.cr0 ^ value) & (Cpu.CR0_PG | Cpu.CR0_WP)) != 0;
        c.cr0 = value | Cpu.CR0_ET;
        c.paging = (value & Cpu.CR0_PG) != 0;
        if (pagingChanged) {
            c.pager.flushAll();
            c.attention |= Cpu.ATTN_CODE;  // linear code addresses may map elsewhere now
        }
        if (!wasProtected && (value & Cpu.CR0_PE) != 0) {
            c.setCpl(0);  // CPL stays 0 until CS is reloaded with a protected-mode selector
        } else if (wasProtected && (value & Cpu.CR0_PE) == 0) {
            c.setCpl(0);
        }
        Segments.cacheModes(c);
    }

    static void movToCr(Cpu c, Insn i) {
        requireCpl0(c);
        writeCr(c, i.reg, c.regs[i.rm]);
    }

    /** MOV CRn's effect, checks on the value included (for the instruction and for a monitor). */
    static void writeCr(Cpu c, int n, int v) {
        switch (n) {
            case 0: writeCr0(c, v); break;
            case 2: c.cr2 = v; break;
            case 3:
                c.cr3 = v;
                c.pager.flushNonGlobal();  // a CR3 load keeps global translations (SDM Vol. 3A §4.10.4.1)
                c.attention |= Cpu.ATTN_CODE;
                break;
            case 4:
                if ((v & ~CR4_IMPLEMENTED) != 0) {
                    throw gp0();  // setting a reserved CR4 bit (SDM Vol. 3A §2.5)
                }
                if (((c.cr4 ^ v) & (CR4_PSE | CR4_PGE)) != 0) {
                    c.pager.flushAll();
                    c.attention |= Cpu.ATTN_CODE;
                }
                c.cr4 = v;
                break;
            default:
                throw new IllegalArgumentException("there is no CR" + n);
        }
    }

    static void movFromCr(Cpu c, Insn i) {
        requireCpl0(c);
        int v;
        switch (i.reg) {
            case 0: v = c.cr0; break;
            case 2: v = c.cr2; break;
            case 3: v = c.cr3; break;
            default: v = c.cr4;
        }
        c.regs[i.rm] = v;
    }

    /** MOV DRn: DR4 and DR5 alias DR6 and DR7 (CR4.DE is not implemented). */
    static void movToDr(Cpu c, Insn i) {
        requireCpl0(c);
        int n = i.reg == 4 ? 6 : i.reg == 5 ? 7 : i.reg;
        c.dr[n] = c.regs[i.rm];
    }

    static void movFromDr(Cpu c, Insn i) {
        requireCpl0(c);
        int n = i.reg == 4 ? 6 : i.reg == 5 ? 7 : i.reg;
        c.regs[i.rm] = c.dr[n];
    }

    // ---- descriptor-table registers ------------------------------------------------------------

    /** LGDT/LIDT m16&32: with a 16-bit operand only 24 bits of base are loaded. */
    static void loadTableRegister(Cpu c, Insn i, boolean gdt) {
        requireCpl0(c);
        int off = c.ea(i);
        int limit = c.mmu.read16(i.seg, off);
        int base = c.mmu.read32(i.seg, i.a32 ? off + 2 : (off + 2) & 0xFFFF);
        if (i.size == 2) {
            base &= 0xFF_FFFF;
        }
        if (gdt) {
            c.gdtrBase = base;
            c.gdtrLimit = limit;
        } else {
            c.idtrBase = base;
            c.idtrLimit = limit;
        }
    }

    /** SGDT/SIDT m: limit then base; with a 16-bit operand the base's top byte is stored as 0, as QEMU does (undefined in the SDM). */
    static void storeTableRegister(Cpu c, Insn i, boolean gdt) {
        int off = c.ea(i);
        int base = gdt ? c.gdtrBase : c.idtrBase;
        if (i.size == 2) {
            base &= 0xFF_FFFF;
        }
        c.mmu.linearWrite(i.seg, off, 6);
        c.mmu.write16(i.seg, off, gdt ? c.gdtrLimit : c.idtrLimit);
        c.mmu.write32(i.seg, i.a32 ? off + 2 : (off + 2) & 0xFFFF, base);
    }

    /** SMSW: a register destination receives all of CR0 (the 486's undefined upper half); memory gets 16 bits. */
    static void smsw(Cpu c, Insn i) {
        if (i.mem) {
            c.mmu.write16(i.seg, c.ea(i), c.cr0);
        } else {
            c.setReg(i.size, i.rm, c.cr0);
        }
    }

    /** LMSW: loads PE, MP, EM, TS; it can set PE but never clear it (SDM Vol. 2A LMSW). */
    static void lmsw(Cpu c, Insn i) {
        requireCpl0(c);
        int v = (i.mem ? c.mmu.read16(i.seg, c.ea(i)) : c.regs[i.rm]) & 0xF;
        int newCr0 = (c.cr0 & ~0xE) | v | (c.cr0 & Cpu.CR0_PE);
        writeCr0(c, newCr0);
    }

    static void clts(Cpu c) {
        requireCpl0(c);
        c.cr0 &= ~Cpu.CR0_TS;
    }

    // ---- model-specific registers and the time-stamp counter -----------------------------------

    /** RDTSC: the TSC is the retired-instruction count, so time is virtual and runs are repeatable. */
    static void rdtsc(Cpu c) {
        if ((c.cr4 & CR4_TSD) != 0 && c.protectedMode() && c.cpl != 0) {
            throw gp0();
        }
        rdtscUnchecked(c);
    }

    /** RDMSR/WRMSR: only the TSC (MSR 10h) exists; any other MSR is #GP(0). */
    static void rdmsr(Cpu c) {
        requireCpl0(c);
        if (c.regs[ECX] != MSR_TSC) {
            throw gp0();
        }
        rdtscUnchecked(c);
    }

    private static void rdtscUnchecked(Cpu c) {
        long tsc = c.retired + c.tscOffset;
        c.regs[EAX] = (int) tsc;
        c.regs[EDX] = (int) (tsc >>> 32);
    }

    static void wrmsr(Cpu c) {
        requireCpl0(c);
        if (c.regs[ECX] != MSR_TSC) {
            throw gp0();
        }
        long value = (long) c.regs[EDX] << 32 | (c.regs[EAX] & 0xFFFF_FFFFL);
        c.tscOffset = value - c.retired;
    }

    // ---- protected-mode selector instructions --------------------------------------------------

    static void sldt(Cpu c, Insn i) {
        requireProtectedMode(c);
        storeSelector(c, i, c.ldtr.selector);
    }

    static void str(Cpu c, Insn i) {
        requireProtectedMode(c);
        storeSelector(c, i, c.tr.selector);
    }

    private static void storeSelector(Cpu c, Insn i, int selector) {
        if (i.mem) {
            c.mmu.write16(i.seg, c.ea(i), selector);
        } else {
            c.setReg(i.size, i.rm, selector);
        }
    }

    private static int selectorOperand(Cpu c, Insn i) {
        return i.mem ? c.mmu.read16(i.seg, c.ea(i)) : c.regs[i.rm] & 0xFFFF;
    }

    /** LLDT: a GDT descriptor of type LDT, or a null selector that disables the LDT. */
    static void lldt(Cpu c, Insn i) {
        requireProtectedMode(c);
        requireCpl0(c);
        int selector = selectorOperand(c, i);
        if ((selector & 0xFFFC) == 0) {
            c.ldtr.set(selector, 0, 0, 0);
            return;
        }
        if ((selector & Segments.SELECTOR_TI) != 0) {
            throw new GuestFault(Vectors.GP, selector & 0xFFFC);
        }
        Descriptor d = Segments.readDescriptor(c, selector);
        if (!d.system() || d.type() != Descriptor.TYPE_LDT) {
            throw new GuestFault(Vectors.GP, selector & 0xFFFC);
        }
        if (!d.present()) {
            throw new GuestFault(Vectors.NP, selector & 0xFFFC);
        }
        c.ldtr.set(selector, d.base(), d.limit(), d.attributes());
    }

    /** LTR: an available TSS descriptor in the GDT, which becomes busy. */
    static void ltr(Cpu c, Insn i) {
        requireProtectedMode(c);
        requireCpl0(c);
        int selector = selectorOperand(c, i);
        if ((selector & 0xFFFC) == 0 || (selector & Segments.SELECTOR_TI) != 0) {
            throw new GuestFault(Vectors.GP, selector & 0xFFFC);
        }
        Descriptor d = Segments.readDescriptor(c, selector);
        if (!d.system() || (d.type() != 0x1 && d.type() != 0x9)) {
            throw new GuestFault(Vectors.GP, selector & 0xFFFC);
        }
        if (!d.present()) {
            throw new GuestFault(Vectors.NP, selector & 0xFFFC);
        }
        c.mmu.writeLinear8(c.gdtrBase + (selector & 0xFFF8) + 5, (d.high() >>> 8) | 0x2);  // busy
        c.tr.set(selector, d.base(), d.limit(), d.attributes() | 0x200);
    }

    /** The descriptor a selector names, if it is visible at the current CPL and RPL; otherwise null. */
    private static Descriptor visible(Cpu c, int selector) {
        if ((selector & 0xFFFC) == 0) {
            return null;
        }
        Descriptor d;
        try {
            d = Segments.readDescriptor(c, selector);
        } catch (GuestFault outsideTable) {
            return null;
        }
        if (!d.conforming() && (d.dpl() < c.cpl || d.dpl() < (selector & 3))) {
            return null;
        }
        return d;
    }

    /** LAR/LSL: ZF=1 and the access rights or limit when the descriptor is valid and visible. */
    static void larLsl(Cpu c, Insn i, boolean lar) {
        requireProtectedMode(c);
        Descriptor d = visible(c, selectorOperand(c, i));
        boolean ok = d != null;
        if (ok && d.system()) {
            int t = d.type();
            ok = lar ? (t == 1 || t == 2 || t == 3 || t == 4 || t == 5 || t == 9 || t == 11 || t == 12)
                    : (t == 1 || t == 2 || t == 3 || t == 9 || t == 11);
        }
        if (ok) {
            c.setReg(i.size, i.reg, lar ? d.high() & 0x00FF_FF00 : d.limit());
        }
        c.flags.setBit(Eflags.ZF, ok);
    }

    /** VERR/VERW: ZF=1 when the segment is readable (writable) from here. */
    static void verify(Cpu c, Insn i, boolean write) {
        requireProtectedMode(c);
        Descriptor d = visible(c, selectorOperand(c, i));
        boolean ok = d != null && !d.system()
                && (write ? !d.code() && d.readableOrWritable() : !d.code() || d.readableOrWritable());
        c.flags.setBit(Eflags.ZF, ok);
    }

    /** ARPL r/m16, r16: raise the destination's RPL to the source's (SDM Vol. 2A ARPL). */
    static void arpl(Cpu c, Insn i) {
        requireProtectedMode(c);
        int off = i.mem ? c.ea(i) : 0;
        int dst = i.mem ? c.mmu.read16(i.seg, off) : c.regs[i.rm] & 0xFFFF;
        int src = c.regs[i.reg] & 0xFFFF;
        if ((dst & 3) < (src & 3)) {
            dst = (dst & ~3) | (src & 3);
            if (i.mem) {
                c.mmu.write16(i.seg, off, dst);
            } else {
                c.setReg(2, i.rm, dst);
            }
            c.flags.setBit(Eflags.ZF, true);
        } else {
            c.flags.setBit(Eflags.ZF, false);
        }
    }
}
