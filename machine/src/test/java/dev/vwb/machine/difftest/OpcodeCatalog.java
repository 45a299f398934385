package dev.vwb.machine.difftest;

import dev.vwb.machine.difftest.DiffCase.Mode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The opcode keys the differential test must cover: the 486 user-level integer instruction set (plus
 * the later CMOVcc and CMPXCHG8B), written independently of the generator so coverage gaps show up.
 * Excluded on purpose: system/privileged and I/O instructions (tested elsewhere), CPUID and RDTSC
 * (model-specific), and F6/1 F7/1 (TEST aliases Unicorn does not implement: UNICORN-DIFFERENCES.md).
 */
final class OpcodeCatalog {

    /** Keys only meaningful in real mode (segment loads, far transfers, IRET). */
    static final Set<String> REAL16_ONLY = Set.of("07", "17", "1F", "0F A1", "0F A9", "8E", "9A", "EA", "CA", "CB",
            "FF/3", "FF/5", "CF", "C4", "C5", "0F B2", "0F B4", "0F B5");

    private OpcodeCatalog() {
    }

    static List<String> required(Mode mode) {
        if (mode == Mode.PM32) {
            return List.of(); // the system family has its own, small instruction list
        }
        Set<String> keys = new LinkedHashSet<>();
        for (int op = 0; op < 8; op++) {
            for (int form = 0; form < 6; form++) {
                keys.add(hex(op * 8 + form));
            }
        }
        for (int g = 0x80; g <= 0x83; g++) {
            group(keys, g, 0, 7);
        }
        addHex(keys, 0x27, 0x2F, 0x37, 0x3F, 0xD4, 0xD5);
        range(keys, 0x40, 0x4F);
        group(keys, 0xFE, 0, 1);
        group(keys, 0xFF, 0, 6);
        range(keys, 0x50, 0x5F);
        addHex(keys, 0x68, 0x6A);
        keys.add("8F/0");
        addHex(keys, 0x06, 0x07, 0x0E, 0x16, 0x17, 0x1E, 0x1F);
        add0f(keys, 0xA0, 0xA1, 0xA8, 0xA9);
        addHex(keys, 0x60, 0x61, 0x69, 0x6B);
        add0f(keys, 0xAF);
        for (int g : new int[] {0xF6, 0xF7}) {
            for (int op : new int[] {0, 2, 3, 4, 5, 6, 7}) {
                keys.add(hex(g) + "/" + op);
            }
        }
        addHex(keys, 0x84, 0x85, 0xA8, 0xA9, 0x86, 0x87);
        range(keys, 0x90, 0x97);
        addHex(keys, 0x88, 0x89, 0x8A, 0x8B, 0x8C, 0x8D, 0x8E, 0xA0, 0xA1, 0xA2, 0xA3);
        range(keys, 0xB0, 0xBF);
        keys.add("C6/0");
        keys.add("C7/0");
        addHex(keys, 0x98, 0x99, 0x9C, 0x9D, 0x9E, 0x9F);
        addHex(keys, 0xA4, 0xA5, 0xA6, 0xA7, 0xAA, 0xAB, 0xAC, 0xAD, 0xAE, 0xAF);
        for (int opc : new int[] {0xC0, 0xC1, 0xD0, 0xD1, 0xD2, 0xD3}) {
            group(keys, opc, 0, 7);
        }
        addHex(keys, 0xD7, 0xD6, 0xF5, 0xF8, 0xF9, 0xFC, 0xFD);
        range(keys, 0x70, 0x7F);
        for (int cc = 0; cc < 16; cc++) {
            add0f(keys, 0x80 + cc, 0x90 + cc, 0x40 + cc);
        }
        addHex(keys, 0xEB, 0xE9, 0xE8, 0xC3, 0xC2, 0xE0, 0xE1, 0xE2, 0xE3, 0xC8, 0xC9);
        addHex(keys, 0x9A, 0xEA, 0xCA, 0xCB, 0xCC, 0xCD, 0xCE, 0xCF, 0x62);
        add0f(keys, 0xA3, 0xAB, 0xB3, 0xBB, 0xBC, 0xBD, 0xA4, 0xA5, 0xAC, 0xAD, 0xB6, 0xB7, 0xBE, 0xBF,
                0xC0, 0xC1, 0xB0, 0xB1, 0xB2, 0xB4, 0xB5);
        for (int op = 4; op < 8; op++) {
            keys.add("0F BA/" + op);
        }
        keys.add("0F C7/1");
        for (int r = 0; r < 8; r++) {
            add0f(keys, 0xC8 + r);
        }
        addHex(keys, 0xC4, 0xC5);
        // prefixes: operand/address size, LOCK, REPNE/REP, and the six segment overrides
        addHex(keys, 0x66, 0x67, 0xF0, 0xF2, 0xF3, 0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65);
        List<String> result = new ArrayList<>(keys);
        if (mode == Mode.FLAT32) {
            result.removeAll(REAL16_ONLY);
        }
        return result;
    }

    /** Required keys of {@code mode} not in {@code covered}. */
    static List<String> missing(Mode mode, Collection<String> covered) {
        Set<String> have = new HashSet<>(covered);
        List<String> missing = new ArrayList<>();
        for (String key : required(mode)) {
            if (!have.contains(key)) {
                missing.add(key);
            }
        }
        return missing;
    }

    /**
     * Exception vectors a case may legitimately end with: #DE (0) from DIV/IDIV/AAM, INT3/INT n (any
     * vector for INT n), INTO (4), #BR (5), #UD (6) from UD2.
     */
    static boolean vectorExpected(DiffCase c, int vector) {
        if (c.mode() == Mode.PM32) {
            return true; // the system family aims at faults on purpose (SystemCaseGenerator)
        }
        List<String> ops = c.opcodes();
        return switch (vector) {
            case 0 -> ops.stream().anyMatch(k -> k.equals("F6/6") || k.equals("F6/7") || k.equals("F7/6")
                    || k.equals("F7/7") || k.equals("D4")) || ops.contains("CD");
            case 3 -> ops.contains("CC") || ops.contains("CD");
            case 4 -> ops.contains("CE") || ops.contains("CD");
            case 5 -> ops.contains("62") || ops.contains("CD");
            case 6 -> ops.contains("0F 0B") || ops.contains("CD");
            default -> ops.contains("CD");
        };
    }

    private static String hex(int opcode) {
        return String.format("%02X", opcode);
    }

    private static void addHex(Set<String> keys, int... opcodes) {
        for (int op : opcodes) {
            keys.add(hex(op));
        }
    }

    private static void add0f(Set<String> keys, int... opcodes) {
        for (int op : opcodes) {
            keys.add(String.format("0F %02X", op));
        }
    }

    private static void range(Set<String> keys, int from, int to) {
        for (int op = from; op <= to; op++) {
            keys.add(hex(op));
        }
    }

    private static void group(Set<String> keys, int opcode, int from, int to) {
        for (int r = from; r <= to; r++) {
            keys.add(hex(opcode) + "/" + r);
        }
    }
}
