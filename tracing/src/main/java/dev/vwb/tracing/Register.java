package dev.vwb.tracing;

import dev.vwb.machine.cpu.Cpu;
import dev.vwb.machine.cpu.Reg32;
import dev.vwb.machine.cpu.SegReg;

/**
 * The registers whose changes an instruction event lists (EIP changes always, so it is the
 * event's address instead). The order is the order of {@link #capture}'s array.
 */
public enum Register {
    EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI, EFLAGS, ES, CS, SS, DS, FS, GS, CR0, CR2, CR3, CR4;

    static final Register[] ALL = values();
    static final int COUNT = ALL.length;

    /** Reads every register into {@code into} (length {@link #COUNT}); no allocation, no loops the JIT must keep. */
    static void capture(Cpu cpu, int[] into) {
        cpu.copyGeneralRegisters(into);
        into[8] = cpu.eflags();
        into[9] = cpu.selector(SegReg.ES);
        into[10] = cpu.selector(SegReg.CS);
        into[11] = cpu.selector(SegReg.SS);
        into[12] = cpu.selector(SegReg.DS);
        into[13] = cpu.selector(SegReg.FS);
        into[14] = cpu.selector(SegReg.GS);
        into[15] = cpu.cr0();
        into[16] = cpu.cr2();
        into[17] = cpu.cr3();
        into[18] = cpu.cr4();
    }

    /** Whether the general registers in {@code captured} still hold what the CPU holds. */
    static boolean generalUnchanged(Cpu cpu, int[] captured) {
        return captured[0] == cpu.reg(Reg32.EAX) && captured[1] == cpu.reg(Reg32.ECX) && captured[2] == cpu.reg(Reg32.EDX)
                && captured[3] == cpu.reg(Reg32.EBX) && captured[4] == cpu.reg(Reg32.ESP) && captured[5] == cpu.reg(Reg32.EBP)
                && captured[6] == cpu.reg(Reg32.ESI) && captured[7] == cpu.reg(Reg32.EDI);
    }

    /** Segment selectors are 16 bits wide; everything else 32. */
    boolean isSegment() {
        return ordinal() >= ES.ordinal() && ordinal() <= GS.ordinal();
    }
}
