package dev.vwb.tracing;

import dev.vwb.machine.asm.Disassembler;

/**
 * Mnemonics and classes of instruction encodings, remembered in a small direct-mapped table:
 * a class filter or a mnemonic breakpoint asks before every instruction, and a loop repeats the
 * same few encodings, so each is disassembled about once.
 */
final class ClassMemo {
    private static final int ENTRIES = 4096;
    private final long[] lows = new long[ENTRIES];
    private final long[] highs = new long[ENTRIES];
    private final int[] keys = new int[ENTRIES];  // length | bits32 << 5, 0 for an empty entry
    private final int[] masks = new int[ENTRIES];
    private final String[] mnemonics = new String[ENTRIES];

    /** The {@link InsnClass} mask of the encoding. */
    int classMask(long low, long high, int length, boolean bits32) {
        return masks[lookup(low, high, length, bits32)];
    }

    String mnemonic(long low, long high, int length, boolean bits32) {
        return mnemonics[lookup(low, high, length, bits32)];
    }

    private int lookup(long low, long high, int length, boolean bits32) {
        int key = length | (bits32 ? 1 << 5 : 0);
        long h = (low * 0x9E3779B97F4A7C15L) ^ high ^ key;
        int i = (int) (h >>> 52) & (ENTRIES - 1);
        if (keys[i] != key || lows[i] != low || highs[i] != high) {
            // Relative branch targets depend on the address, but mnemonics and classes do not.
            String text = Disassembler.disassemble(CodeBytes.unpack(low, high, Math.max(1, length)), 0, 0,
                    bits32 ? 32 : 16).text();
            keys[i] = key;
            lows[i] = low;
            highs[i] = high;
            masks[i] = InsnClass.mask(text);
            mnemonics[i] = InsnClass.mnemonic(text);
        }
        return i;
    }
}
