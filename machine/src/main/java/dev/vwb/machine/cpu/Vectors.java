package dev.vwb.machine.cpu;

/** Exception vectors 0–19 (Intel SDM Vol. 3A §6.3.1, Table 6-1). */
public final class Vectors {
    private Vectors() {
    }

    public static final int DE = 0;   // divide error (fault)
    public static final int DB = 1;   // debug (fault or trap)
    public static final int NMI = 2;  // non-maskable interrupt
    public static final int BP = 3;   // breakpoint, INT3 (trap)
    public static final int OF = 4;   // overflow, INTO (trap)
    public static final int BR = 5;   // BOUND range exceeded (fault)
    public static final int UD = 6;   // invalid opcode (fault)
    public static final int NM = 7;   // device not available: no FPU (fault)
    public static final int DF = 8;   // double fault (abort, error code 0)
    public static final int TS = 10;  // invalid TSS (fault, error code)
    public static final int NP = 11;  // segment not present (fault, error code)
    public static final int SS = 12;  // stack-segment fault (fault, error code)
    public static final int GP = 13;  // general protection (fault, error code)
    public static final int PF = 14;  // page fault (fault, error code)
    public static final int MF = 16;  // x87 floating-point error (fault)
    public static final int AC = 17;  // alignment check (fault, error code 0)
    public static final int MC = 18;  // machine check (abort)
    public static final int XM = 19;  // SIMD floating-point (fault)

    private static final String[] MNEMONICS = {
        "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "vector 9",
        "#TS", "#NP", "#SS", "#GP", "#PF", "vector 15", "#MF", "#AC", "#MC", "#XM"};

    /** The manual's mnemonic for an exception vector, or "INT n" for others. */
    public static String name(int vector) {
        return vector >= 0 && vector < MNEMONICS.length ? MNEMONICS[vector] : "INT " + Integer.toHexString(vector) + "h";
    }

    /** Whether delivering this vector as an exception pushes an error code (SDM Table 6-1). */
    public static boolean hasErrorCode(int vector) {
        return vector == DF || (vector >= TS && vector <= PF) || vector == AC;
    }
}
