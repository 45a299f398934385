package dev.vwb.machine.asm;

/**
 * One parsed instruction operand.
 *
 * @param type      what was written
 * @param reg       the register, for {@link Type#REG}
 * @param expr      the value ({@link Type#IMM}), address ({@link Type#MEM}) or offset ({@link Type#FAR})
 * @param segment   the segment part of a {@code seg:offset} immediate ({@link Type#FAR})
 * @param size      8, 16, 32 or 64 from {@code byte word dword qword}, else 0
 * @param qualifier "short", "near" or "far", else null
 * @param segReg    a segment override inside the brackets (0-5), else -1
 * @param dispSize  16 or 32 from {@code [word ...]}/{@code [dword ...]}, else 0
 * @param column    1-based column of the operand's first token
 */
record Operand(Type type, Regs.Reg reg, Expr expr, Expr segment, int size, String qualifier, int segReg,
               int dispSize, int column) {
    enum Type { REG, MEM, IMM, FAR }
}
