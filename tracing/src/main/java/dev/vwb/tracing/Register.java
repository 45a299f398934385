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
    private static final Reg32[] GENERAL = Reg32.values();
    private static final SegReg[] SEGMENTS = SegReg.values();

    /** Reads every register into {@code into} (length {@link #COUNT}); no allocation once inlined. */
    static void capture(Cpu cpu, int[] into) {
        for (int i = 0; i < 8; i++) {
            into[i] = cpu.reg(GENERAL[i]);
        }
        into[8] = cpu.eflags();
        for (int i = 0; i < 6; i++) {
            into[9 + i] = cpu.segment(SEGMENTS[i]).selector();
        }
        into[15] = cpu.cr0();
        into[16] = cpu.cr2();
        into[17] = cpu.cr3();
        into[18] = cpu.cr4();
    }

    /** Segment selectors are 16 bits wide; everything else 32. */
    boolean isSegment() {
        return ordinal() >= ES.ordinal() && ordinal() <= GS.ordinal();
    }
}
