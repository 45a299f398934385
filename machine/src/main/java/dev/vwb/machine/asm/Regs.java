package dev.vwb.machine.asm;

import java.util.Locale;

/** Register names by number (SDM Vol. 2A Table 2-1 and 3.1.1.3), shared by both directions. */
final class Regs {
    private Regs() {
    }

    static final String[] R8 = {"al", "cl", "dl", "bl", "ah", "ch", "dh", "bh"};
    static final String[] R16 = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di"};
    static final String[] R32 = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};
    static final String[] SREG = {"es", "cs", "ss", "ds", "fs", "gs"};
    /** The 16-bit ModRM r/m combinations (SDM Vol. 2A Table 2-1). */
    static final String[] MEM16 = {"bx+si", "bx+di", "bp+si", "bp+di", "si", "di", "bp", "bx"};

    static String gpr(int size, int n) {
        return switch (size) {
            case 8 -> R8[n];
            case 16 -> R16[n];
            default -> R32[n];
        };
    }

    /** A parsed register: its class ("r8", "r16", "r32", "sreg", "cr", "dr") and number; null if none. */
    record Reg(String kind, int n, String name) {
        int size() {
            return switch (kind) {
                case "r8" -> 8;
                case "r16" -> 16;
                case "r32" -> 32;
                default -> -1;
            };
        }
    }

    static Reg parse(String name) {
        String s = name.toLowerCase(Locale.ROOT);
        for (int i = 0; i < 8; i++) {
            if (R8[i].equals(s)) {
                return new Reg("r8", i, s);
            }
            if (R16[i].equals(s)) {
                return new Reg("r16", i, s);
            }
            if (R32[i].equals(s)) {
                return new Reg("r32", i, s);
            }
        }
        for (int i = 0; i < 6; i++) {
            if (SREG[i].equals(s)) {
                return new Reg("sreg", i, s);
            }
        }
        if (s.length() == 3 && (s.startsWith("cr") || s.startsWith("dr")) && s.charAt(2) >= '0' && s.charAt(2) <= '7') {
            return new Reg(s.substring(0, 2), s.charAt(2) - '0', s);
        }
        return null;
    }
}
