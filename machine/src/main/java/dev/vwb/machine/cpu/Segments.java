package dev.vwb.machine.cpu;

import static dev.vwb.machine.cpu.Cpu.CS;
import static dev.vwb.machine.cpu.Cpu.SS;

/**
 * Segment-register loads (SDM Vol. 3A §3.4.3 and Vol. 2B "MOV", "POP", "LDS/LES/LFS/LGS/LSS").
 * In real mode a load sets the selector and base (selector × 16) and keeps the hidden limit and
 * attributes, as hardware does (which is what makes "unreal mode" work). In protected mode the
 * descriptor is read from the GDT or LDT and checked.
 */
final class Segments {
    private Segments() {
    }

    static final int SELECTOR_TI = 4;  // table indicator: LDT

    /** Loads a data or stack segment register (or CS, for callers that already checked the transfer). */
    static void load(Cpu c, int s, int selector) {
        selector &= 0xFFFF;
        Segment sg = c.seg[s];
        if (!c.protectedMode()) {
            sg.selector = selector;
            sg.base = selector << 4;
            if ((c.flags.stored & Eflags.VM) != 0) {
                sg.limit = 0xFFFF;
                sg.attributes = s == CS ? Segment.REAL_MODE_CODE : Segment.REAL_MODE_DATA;
            }
            sg.attributes |= Segment.PRESENT;
            sg.refresh();
            cacheModes(c);
            return;
        }
        if ((selector & 0xFFFC) == 0) {
            if (s == SS || s == CS) {
                throw new GuestFault(Vectors.GP, 0);
            }
            sg.set(selector, 0, 0, 0);  // a null selector: any access through it is #GP(0)
            return;
        }
        Descriptor d = readDescriptor(c, selector);
        int rpl = selector & 3;
        int error = selector & 0xFFFC;
        if (s == SS) {
            // SS: a writable data segment with RPL = DPL = CPL (SDM Vol. 2B MOV, Operation).
            if (rpl != c.cpl || d.system() || d.code() || !d.readableOrWritable() || d.dpl() != c.cpl) {
                throw new GuestFault(Vectors.GP, error);
            }
            if (!d.present()) {
                throw new GuestFault(Vectors.SS, error);
            }
        } else if (s == CS) {
            if (!d.code()) {
                throw new GuestFault(Vectors.GP, error);
            }
            if (!d.present()) {
                throw new GuestFault(Vectors.NP, error);
            }
        } else {
            // Data segments and readable code; the privilege rule does not apply to conforming code.
            if (d.system() || (d.code() && !d.readableOrWritable())) {
                throw new GuestFault(Vectors.GP, error);
            }
            if (!d.conforming() && (d.dpl() < c.cpl || d.dpl() < rpl)) {
                throw new GuestFault(Vectors.GP, error);
            }
            if (!d.present()) {
                throw new GuestFault(Vectors.NP, error);
            }
        }
        markAccessed(c, selector, d);
        sg.set(selector, d.base(), d.limit(), d.attributes() | Segment.ACCESSED);
        cacheModes(c);
    }

    /** Reads the descriptor a selector names; #GP(selector) when it lies outside its table. */
    static Descriptor readDescriptor(Cpu c, int selector) {
        int index = selector & 0xFFF8;
        int base;
        int limit;
        if ((selector & SELECTOR_TI) != 0) {
            if ((c.ldtr.attributes & Segment.PRESENT) == 0 || (c.ldtr.selector & 0xFFFC) == 0) {
                throw new GuestFault(Vectors.GP, selector & 0xFFFC);
            }
            base = c.ldtr.base;
            limit = c.ldtr.limit;
        } else {
            base = c.gdtrBase;
            limit = c.gdtrLimit;
        }
        if (Integer.compareUnsigned(index + 7, limit) > 0) {
            throw new GuestFault(Vectors.GP, selector & 0xFFFC);
        }
        return new Descriptor(c.mmu.readLinear32(base + index), c.mmu.readLinear32(base + index + 4));
    }

    /** The CPU sets the accessed bit of a descriptor it loads (SDM Vol. 3A §3.4.5.1). */
    static void markAccessed(Cpu c, int selector, Descriptor d) {
        if ((d.high() & Segment.ACCESSED) == 0) {
            int table = (selector & SELECTOR_TI) != 0 ? c.ldtr.base : c.gdtrBase;
            int addr = table + (selector & 0xFFF8) + 5;
            c.mmu.writeLinear8(addr, (d.high() >>> 8) | 1);
            if (c.accessedListener != null) {
                c.accessedListener.accept(selector);
            }
        }
    }

    /** Loads CS for a far transfer to a code segment at the current privilege level. */
    static void loadCodeSegment(Cpu c, int selector, int offset) {
        if (!c.protectedMode()) {
            load(c, CS, selector);
            return;
        }
        loadCheckedCode(c, selector, checkCodeSegment(c, selector, offset));
    }

    /**
     * The checks of a far transfer to a code segment at the current privilege level (SDM Vol. 2A
     * JMP and CALL, protected mode), made before anything changes: a far CALL checks its target
     * before it pushes the return address.
     */
    static Descriptor checkCodeSegment(Cpu c, int selector, int offset) {
        if ((selector & 0xFFFC) == 0) {
            throw new GuestFault(Vectors.GP, 0);
        }
        Descriptor d = readDescriptor(c, selector);
        int error = selector & 0xFFFC;
        int rpl = selector & 3;
        if (!d.code()) {
            throw new GuestFault(Vectors.GP, error);  // gates and TSSs are dispatched by Transfers
        }
        if (d.conforming() ? d.dpl() > c.cpl : (rpl > c.cpl || d.dpl() != c.cpl)) {
            throw new GuestFault(Vectors.GP, error);
        }
        if (!d.present()) {
            throw new GuestFault(Vectors.NP, error);
        }
        if (Integer.compareUnsigned(offset, d.limit()) > 0) {
            throw new GuestFault(Vectors.GP, 0);
        }
        return d;
    }

    /** Loads CS with a descriptor {@link #checkCodeSegment} accepted; the RPL becomes the CPL (SDM Vol. 3A §5.8.1). */
    static void loadCheckedCode(Cpu c, int selector, Descriptor d) {
        markAccessed(c, selector, d);
        c.seg[CS].set((selector & 0xFFFC) | c.cpl, d.base(), d.limit(), d.attributes() | Segment.ACCESSED);
        cacheModes(c);
    }

    /** Recomputes the cached code and stack sizes after a segment or mode change. */
    static void cacheModes(Cpu c) {
        c.cs32 = c.seg[CS].big();
        c.ss32 = c.seg[SS].big();
        c.attention |= Cpu.ATTN_CODE;  // CS may have moved: the run loop re-fetches by address
    }

    /** LDS/LES/LSS/LFS/LGS reg, m16:16|m16:32. The segment is loaded first: if it faults, reg is unchanged. */
    static void loadFarPointer(Cpu c, Insn i) {
        int s;
        switch (i.opcode) {
            case 0xC4: s = Cpu.ES; break;
            case 0xC5: s = Cpu.DS; break;
            case 0x0FB2: s = SS; break;
            case 0x0FB4: s = Cpu.FS; break;
            default: s = Cpu.GS; break;
        }
        FarPointer p = FarPointer.read(c, i);
        load(c, s, p.selector());
        c.setReg(i.size, i.reg, p.offset());
        if (s == SS) {
            c.attention |= Cpu.ATTN_SHADOW;
        }
    }
}
