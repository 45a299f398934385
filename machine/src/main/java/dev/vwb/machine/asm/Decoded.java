package dev.vwb.machine.asm;

/**
 * What the disassembler learned about one instruction: prefixes, the matching table row and
 * the fields after the opcode. Mutable scratch state, filled by {@link Disassembler}, read by
 * {@link DisasmText}.
 */
final class Decoded {
    int bits;
    long address;
    boolean opsz;         // 66h seen
    boolean adsz;         // 67h seen
    boolean lock;
    boolean wait;         // 9Bh seen: ndisasm prints WAIT as a prefix
    int rep;              // 0, 0xF2 or 0xF3
    int seg = -1;         // last segment prefix, 0-5
    int osize;
    int asize;
    Form form;
    int opcodeLow;        // the register of a +r opcode
    int mod = -1;
    int reg;
    int rm;
    boolean hasSib;
    int scale;
    int index;
    int base;
    long disp;
    int dispSize;         // 0, 1, 2 or 4 bytes
    final long[] imm = new long[3];
    int length;

    boolean memory() {
        return mod >= 0 && mod != 3;
    }
}
