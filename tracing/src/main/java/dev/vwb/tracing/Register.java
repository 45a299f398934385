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
    /**
     * Ints of a captured state, as {@link #capture} lays it out: the general registers, EFLAGS
     * as the CPU keeps it (lazily, see {@link Cpu#saveEflags}), the selectors, CR0, CR2–CR4.
     * {@link #resolve} turns it into one value per register.
     */
    static final int STATE_SIZE = 8 + Cpu.SAVED_EFLAGS_SIZE + 6 + 4;
    private static final int SELECTORS = 8 + Cpu.SAVED_EFLAGS_SIZE;

    /** Reads the state into {@code into[at..at+STATE_SIZE-1]}: no allocation, no branch, no loop the JIT must keep. */
    static void capture(Cpu cpu, int[] into, int at) {
        cpu.copyGeneralRegisters(into, at);
        cpu.saveEflags(into, at + 8);
        int s = at + SELECTORS;
        into[s] = cpu.selector(SegReg.ES);
        into[s + 1] = cpu.selector(SegReg.CS);
        into[s + 2] = cpu.selector(SegReg.SS);
        into[s + 3] = cpu.selector(SegReg.DS);
        into[s + 4] = cpu.selector(SegReg.FS);
        into[s + 5] = cpu.selector(SegReg.GS);
        into[s + 6] = cpu.cr0();
        into[s + 7] = cpu.cr2();
        into[s + 8] = cpu.cr3();
        into[s + 9] = cpu.cr4();
    }

    /** One value per register ({@link #COUNT}, in this enum's order) from a captured state. */
    static int[] resolve(int[] state, int at) {
        int[] v = new int[COUNT];
        System.arraycopy(state, at, v, 0, 8);
        v[8] = Cpu.savedEflags(state, at + 8);
        System.arraycopy(state, at + SELECTORS, v, 9, 10);
        return v;
    }

    /** Whether the general registers captured at {@code captured[at..]} still hold what the CPU holds. */
    static boolean generalUnchanged(Cpu cpu, int[] captured, int at) {
        return captured[at] == cpu.reg(Reg32.EAX) && captured[at + 1] == cpu.reg(Reg32.ECX)
                && captured[at + 2] == cpu.reg(Reg32.EDX) && captured[at + 3] == cpu.reg(Reg32.EBX)
                && captured[at + 4] == cpu.reg(Reg32.ESP) && captured[at + 5] == cpu.reg(Reg32.EBP)
                && captured[at + 6] == cpu.reg(Reg32.ESI) && captured[at + 7] == cpu.reg(Reg32.EDI);
    }

    /** Segment selectors are 16 bits wide; everything else 32. */
    boolean isSegment() {
        return ordinal() >= ES.ordinal() && ordinal() <= GS.ordinal();
    }
}
