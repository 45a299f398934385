package dev.vwb.machine.difftest;

import java.util.StringJoiner;

/** EFLAGS bits and the condition codes' flag reads. */
final class Flags {

    static final int CF = 1 << 0;
    static final int BIT1 = 1 << 1;
    static final int PF = 1 << 2;
    static final int AF = 1 << 4;
    static final int ZF = 1 << 6;
    static final int SF = 1 << 7;
    static final int TF = 1 << 8;
    static final int IF = 1 << 9;
    static final int DF = 1 << 10;
    static final int OF = 1 << 11;
    static final int IOPL = 3 << 12;
    static final int NT = 1 << 14;
    static final int RF = 1 << 16;
    static final int VM = 1 << 17;
    static final int AC = 1 << 18;
    static final int ID = 1 << 21;

    /** The six status flags. */
    static final int STATUS = CF | PF | AF | ZF | SF | OF;
    /** What LAHF/SAHF transfer. */
    static final int SZAPC = SF | ZF | AF | PF | CF;
    /** Result flags of AND/OR/XOR/TEST (AF is undefined). */
    static final int LOGIC = CF | PF | ZF | SF | OF;

    private Flags() {
    }

    /** Flags read by condition code cc (low nibble of Jcc/SETcc/CMOVcc). */
    static int readBy(int cc) {
        return switch ((cc & 15) >> 1) {
            case 0 -> OF;            // O / NO
            case 1 -> CF;            // B / AE
            case 2 -> ZF;            // E / NE
            case 3 -> CF | ZF;       // BE / A
            case 4 -> SF;            // S / NS
            case 5 -> PF;            // P / NP
            case 6 -> SF | OF;       // L / GE
            default -> ZF | SF | OF; // LE / G
        };
    }

    static String names(int mask) {
        String[] names = {"CF", "1", "PF", "3", "AF", "5", "ZF", "SF", "TF", "IF", "DF", "OF", "IOPL0", "IOPL1",
            "NT", "15", "RF", "VM", "AC", "VIF", "VIP", "ID"};
        StringJoiner j = new StringJoiner(" ");
        for (int bit = 0; bit < 32; bit++) {
            if ((mask & (1 << bit)) != 0) {
                j.add(bit < names.length ? names[bit] : "bit" + bit);
            }
        }
        return j.toString();
    }
}
