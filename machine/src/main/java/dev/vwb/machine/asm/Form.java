package dev.vwb.machine.asm;

import java.util.List;

/**
 * One row of {@link InsnTable}, parsed: what the assembler matches operands against and what
 * the disassembler matches bytes against.
 *
 * @param mnemonic    lower case, condition code expanded
 * @param operands    the operand kinds with their keywords
 * @param osize       16 or 32 when fixed ({@code o16}/{@code o32}), {@link #VARIABLE} for
 *                    {@code o}, 0 when the operand size does not matter
 * @param asize       16 or 32 when the address size is fixed, else 0
 * @param opcode      the opcode bytes (the last one without the register for {@code +r})
 * @param modrm       {@link #NO_MODRM}, {@link #REG_MODRM} for /r, or the /digit
 * @param plusR       the register is added to the last opcode byte
 * @param flags       the {@code F_} bits
 */
record Form(String mnemonic, List<Spec> operands, int osize, int asize, byte[] opcode, int modrm,
            boolean plusR, int flags) {

    static final int VARIABLE = -1;
    static final int NO_MODRM = -1;
    static final int REG_MODRM = -2;

    static final int F_ASM = 1;       // assembler only
    static final int F_DIS = 2;       // disassembler only
    static final int F_NO66 = 4;      // disassembler: not with a 66h prefix
    static final int F_NO67 = 8;      // disassembler: not with a 67h prefix
    static final int F_SIZE = 16;     // always print the memory size
    static final int F_NOSIZE = 32;   // never print the memory size
    static final int F_STR = 64;      // string instruction
    static final int F_OSZ = 128;     // indirect branch: size printed only after 66h
    static final int F_TWICE = 256;   // "imul r, imm" means "imul r, r, imm"

    /** An operand of a row: its kind and the keyword written before it, or null. */
    record Spec(Kind kind, String keyword) {
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** Whether some operand's size follows the operand size, so a 66h prefix changes this row. */
    boolean usesOperandSize() {
        if (osize != 0) {
            return true;
        }
        for (Spec s : operands) {
            if (s.kind().bits == 0 && s.kind() != Kind.SB) {
                return true;
            }
        }
        return false;
    }

    /** The index of the operand encoded in ModRM.r/m, or -1. */
    int rmOperand() {
        if (modrm == NO_MODRM) {
            return -1;
        }
        for (int i = 0; i < operands.size(); i++) {
            if (operands.get(i).kind().isRm()) {
                return i;
            }
        }
        // "/digit" forms with a register operand ("sldt rv") and "mov r32,cr" put the register in r/m.
        for (int i = 0; i < operands.size(); i++) {
            if (operands.get(i).kind().isReg()) {
                return i;
            }
        }
        return -1;
    }

    /** The index of the operand encoded in ModRM.reg, or -1 ("/digit" forms have none). */
    int regOperand() {
        if (modrm != REG_MODRM) {
            return -1;
        }
        int rm = rmOperand();
        for (int i = 0; i < operands.size(); i++) {
            Kind k = operands.get(i).kind();
            if (i != rm && (k.isReg() || k == Kind.SREG || k == Kind.CR || k == Kind.DR)) {
                return i;
            }
        }
        return -1;
    }

    /** The index of the operand encoded in the opcode's low bits ({@code +r}), or -1. */
    int plusROperand() {
        if (!plusR) {
            return -1;
        }
        for (int i = 0; i < operands.size(); i++) {
            if (operands.get(i).kind().isReg()) {
                return i;
            }
        }
        return -1;
    }
}
