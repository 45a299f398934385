package dev.vwb.machine.cpu;

import static dev.vwb.machine.cpu.Cpu.CS;
import static dev.vwb.machine.cpu.Cpu.DS;
import static dev.vwb.machine.cpu.Cpu.ES;
import static dev.vwb.machine.cpu.Cpu.ESP;
import static dev.vwb.machine.cpu.Cpu.FS;
import static dev.vwb.machine.cpu.Cpu.GS;
import static dev.vwb.machine.cpu.Cpu.SS;

/**
 * Control transfers that change the privilege level: the stack switch through the TSS when an
 * interrupt or exception enters an inner ring (SDM Vol. 3A §6.12.1, §7.2.1), and IRET/RETF to an
 * outer ring, which reload SS:ESP from the stack and null the data segment registers the outer
 * ring may not use (SDM Vol. 2A IRET, RET). Everything is read and checked before anything
 * changes, so a fault on the way leaves the state as it was.
 */
final class Privilege {
    private Privilege() {
    }

    /** The stack for ring {@code ring} from the current TSS: {selector, esp}. #TS(TR) when the TSS is too short. */
    static int[] innerStack(Cpu c, int ring, int ext) {
        Segment tss = c.tr;
        int type = (tss.attributes >>> 8) & 0xF;
        boolean tss32 = type == 0x9 || type == 0xB;
        int espAt = tss32 ? 4 + ring * 8 : 2 + ring * 4;
        int ssAt = tss32 ? 8 + ring * 8 : 4 + ring * 4;
        if ((tss.selector & 0xFFFC) == 0 || Integer.compareUnsigned(ssAt + 1, tss.limit) > 0) {
            throw new GuestFault(Vectors.TS, (tss.selector & 0xFFFC) + ext);
        }
        int esp = tss32 ? c.mmu.readLinear32(tss.base + espAt) : c.mmu.readLinear16(tss.base + espAt);
        int ss = c.mmu.readLinear16(tss.base + ssAt) & 0xFFFF;
        return new int[] {ss, esp};
    }

    /** A stack segment for ring {@code ring}: #TS on a bad selector or descriptor, #SS when not present. */
    static Segment stackSegment(Cpu c, int selector, int ring, int ext, int faultVector) {
        if ((selector & 0xFFFC) == 0 || (selector & 3) != ring) {
            throw new GuestFault(faultVector, (selector & 0xFFFC) + ext);
        }
        Descriptor d = Segments.readDescriptor(c, selector);
        if (d.system() || d.code() || !d.readableOrWritable() || d.dpl() != ring) {
            throw new GuestFault(faultVector, (selector & 0xFFFC) + ext);
        }
        if (!d.present()) {
            throw new GuestFault(Vectors.SS, (selector & 0xFFFC) + ext);
        }
        Segment s = new Segment();
        s.set(selector, d.base(), d.limit(), d.attributes() | Segment.ACCESSED);
        return s;
    }

    /** Pushes onto a stack that is not SS yet; returns the new stack pointer. */
    static int push(Cpu c, Segment ss, int sp, int size, int value) {
        int nsp = ss.big() ? sp - size : (sp - size) & 0xFFFF;
        if (((nsp - ss.lo) & 0xFFFF_FFFFL) + size > ss.writeSpan) {
            throw new GuestFault(Vectors.SS, ss.selector & 0xFFFC);
        }
        c.mmu.writeLinearSupervisor(ss.base + nsp, size, value);
        return nsp;
    }

    /** Makes SS:ESP the new stack and {@code ring} the CPL. */
    static void switchStack(Cpu c, Segment ss, int sp, int ring) {
        c.seg[SS].set(ss.selector, ss.base, ss.limit, ss.attributes);
        c.regs[ESP] = ss.big() ? sp : (c.regs[ESP] & 0xFFFF_0000) | (sp & 0xFFFF);
        c.setCpl(ring);
        Segments.cacheModes(c);
    }

    /**
     * Checks a code segment to return to at an outer ring {@code rpl} (the selector's RPL):
     * non-conforming code needs DPL = RPL, conforming code DPL <= RPL (SDM Vol. 2A RET).
     */
    static Descriptor outerCode(Cpu c, int selector) {
        int error = selector & 0xFFFC;
        if (error == 0) {
            throw new GuestFault(Vectors.GP, 0);
        }
        Descriptor d = Segments.readDescriptor(c, selector);
        int rpl = selector & 3;
        if (!d.code() || (d.conforming() ? d.dpl() > rpl : d.dpl() != rpl)) {
            throw new GuestFault(Vectors.GP, error);
        }
        if (!d.present()) {
            throw new GuestFault(Vectors.NP, error);
        }
        return d;
    }

    /** After a return to an outer ring: data segment registers the outer ring may not use become null. */
    static void nullInaccessibleSegments(Cpu c) {
        for (int s : new int[] {ES, DS, FS, GS}) {
            Segment sg = c.seg[s];
            boolean conformingCode = (sg.attributes & Segment.CODE) != 0 && (sg.attributes & Segment.EXPAND_DOWN_OR_CONFORMING) != 0;
            if ((sg.attributes & Segment.PRESENT) != 0 && !conformingCode && sg.dpl() < c.cpl) {
                sg.set(0, 0, 0, 0);
            }
        }
    }

    /** Loads CS for a return to an outer ring (checked by {@link #outerCode}). */
    static void loadOuterCode(Cpu c, int selector, Descriptor d) {
        c.seg[CS].set(selector, d.base(), d.limit(), d.attributes() | Segment.ACCESSED);
    }
}
