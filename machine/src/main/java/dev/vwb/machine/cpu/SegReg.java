package dev.vwb.machine.cpu;

/** The six segment registers, in the order x86 encodes them (ModRM reg field of 8C/8E). */
public enum SegReg {
    ES, CS, SS, DS, FS, GS;

    private static final SegReg[] BY_NUMBER = values();

    public static SegReg of(int n) {
        return BY_NUMBER[n];
    }
}
