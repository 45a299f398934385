package dev.vwb.machine.cpu;

import static dev.vwb.machine.cpu.Op.*;

/**
 * The one-byte opcode map (SDM Vol. 2D, Appendix A, Table A-2), one line per opcode.
 * An entry packs the {@link Op}, the kind of immediate that follows, and decoding flags.
 * Prefix bytes are listed as {@link #PREFIX}; every slot is accounted for (a test checks it).
 * The 0F map is {@link TwoByteOpcodeTable}.
 */
final class OpcodeTable {
    private OpcodeTable() {
    }

    // Immediate kinds (bits 8–11 of an entry).
    static final int I_NONE = 0;
    static final int I_8 = 1 << 8;       // imm8, zero-extended
    static final int I_8S = 2 << 8;      // imm8, sign-extended to the operand size
    static final int I_16 = 3 << 8;      // imm16
    static final int I_Z = 4 << 8;       // imm16 or imm32 by operand size
    static final int I_MOFFS = 5 << 8;   // offset of 16 or 32 bits by address size
    static final int I_FAR = 6 << 8;     // ptr16:16 or ptr16:32 by operand size
    static final int I_ENTER = 7 << 8;   // imm16, imm8
    static final int I_REL8 = 8 << 8;    // rel8
    static final int I_RELZ = 9 << 8;    // rel16 or rel32 by operand size
    static final int I_MASK = 15 << 8;

    // Flags.
    static final int MODRM = 1 << 16;     // a ModRM byte follows
    static final int BYTE = 1 << 17;      // 8-bit operands
    static final int GROUP = 1 << 18;     // the op comes from a group table, by ModRM.reg
    static final int REG_ONLY = 1 << 19;  // ModRM.mod is ignored: always a register (MOV CRn/DRn)
    static final int PREFIX = 1 << 20;    // a prefix byte, not an opcode
    static final int OP_MASK = 0xFF;

    // Group tables, indexed by ModRM.reg (SDM Vol. 2D Table A-6).
    static final int G1 = 0, G2 = 1, G3 = 2, G4 = 3, G5 = 4, G6 = 5, G7 = 6, G8 = 7, G9 = 8, G11 = 9, G1A = 10;
    static final int[][] GROUPS = {
        {ALU_RM_I, ALU_RM_I + 1, ALU_RM_I + 2, ALU_RM_I + 3, ALU_RM_I + 4, ALU_RM_I + 5, ALU_RM_I + 6, ALU_RM_I + 7},
        {ROT, ROT + 1, ROT + 2, ROT + 3, ROT + 4, ROT + 5, ROT + 6, ROT + 7},
        {TEST_RM_I, TEST_RM_I, NOT, NEG, MUL, IMUL_RM, DIV, IDIV},
        {INC_RM, DEC_RM, UD, UD, UD, UD, UD, UD},
        {INC_RM, DEC_RM, CALL_RM, CALL_FAR_M, JMP_RM, JMP_FAR_M, PUSH_RM, UD},
        {SLDT, STR, LLDT, LTR, VERR, VERW, UD, UD},
        {SGDT, SIDT, LGDT, LIDT, SMSW, UD, LMSW, INVLPG},
        {UD, UD, UD, UD, BT_I, BTS_I, BTR_I, BTC_I},
        {UD, CMPXCHG8B, UD, UD, UD, UD, UD, UD},
        {MOV_RM_I, UD, UD, UD, UD, UD, UD, UD},
        {POP_RM, UD, UD, UD, UD, UD, UD, UD},
    };

    static final int[] ONE_BYTE = new int[256];

    private static void d(int opcode, int entry) {
        if (ONE_BYTE[opcode] != 0) {
            throw new IllegalStateException(String.format("opcode %02X listed twice", opcode));
        }
        ONE_BYTE[opcode] = entry;
    }

    static {
        d(0x00, ALU_RM_R + FN_ADD | MODRM | BYTE);
        d(0x01, ALU_RM_R + FN_ADD | MODRM);
        d(0x02, ALU_R_RM + FN_ADD | MODRM | BYTE);
        d(0x03, ALU_R_RM + FN_ADD | MODRM);
        d(0x04, ALU_A_I + FN_ADD | I_8 | BYTE);
        d(0x05, ALU_A_I + FN_ADD | I_Z);
        d(0x06, PUSH_SEG);                      // PUSH ES (segment in the opcode)
        d(0x07, POP_SEG);                       // POP ES
        d(0x08, ALU_RM_R + FN_OR | MODRM | BYTE);
        d(0x09, ALU_RM_R + FN_OR | MODRM);
        d(0x0A, ALU_R_RM + FN_OR | MODRM | BYTE);
        d(0x0B, ALU_R_RM + FN_OR | MODRM);
        d(0x0C, ALU_A_I + FN_OR | I_8 | BYTE);
        d(0x0D, ALU_A_I + FN_OR | I_Z);
        d(0x0E, PUSH_SEG);                      // PUSH CS
        d(0x0F, PREFIX);                        // two-byte escape
        d(0x10, ALU_RM_R + FN_ADC | MODRM | BYTE);
        d(0x11, ALU_RM_R + FN_ADC | MODRM);
        d(0x12, ALU_R_RM + FN_ADC | MODRM | BYTE);
        d(0x13, ALU_R_RM + FN_ADC | MODRM);
        d(0x14, ALU_A_I + FN_ADC | I_8 | BYTE);
        d(0x15, ALU_A_I + FN_ADC | I_Z);
        d(0x16, PUSH_SEG);                      // PUSH SS
        d(0x17, POP_SEG);                       // POP SS
        d(0x18, ALU_RM_R + FN_SBB | MODRM | BYTE);
        d(0x19, ALU_RM_R + FN_SBB | MODRM);
        d(0x1A, ALU_R_RM + FN_SBB | MODRM | BYTE);
        d(0x1B, ALU_R_RM + FN_SBB | MODRM);
        d(0x1C, ALU_A_I + FN_SBB | I_8 | BYTE);
        d(0x1D, ALU_A_I + FN_SBB | I_Z);
        d(0x1E, PUSH_SEG);                      // PUSH DS
        d(0x1F, POP_SEG);                       // POP DS
        d(0x20, ALU_RM_R + FN_AND | MODRM | BYTE);
        d(0x21, ALU_RM_R + FN_AND | MODRM);
        d(0x22, ALU_R_RM + FN_AND | MODRM | BYTE);
        d(0x23, ALU_R_RM + FN_AND | MODRM);
        d(0x24, ALU_A_I + FN_AND | I_8 | BYTE);
        d(0x25, ALU_A_I + FN_AND | I_Z);
        d(0x26, PREFIX);                        // ES:
        d(0x27, DAA);
        d(0x28, ALU_RM_R + FN_SUB | MODRM | BYTE);
        d(0x29, ALU_RM_R + FN_SUB | MODRM);
        d(0x2A, ALU_R_RM + FN_SUB | MODRM | BYTE);
        d(0x2B, ALU_R_RM + FN_SUB | MODRM);
        d(0x2C, ALU_A_I + FN_SUB | I_8 | BYTE);
        d(0x2D, ALU_A_I + FN_SUB | I_Z);
        d(0x2E, PREFIX);                        // CS:
        d(0x2F, DAS);
        d(0x30, ALU_RM_R + FN_XOR | MODRM | BYTE);
        d(0x31, ALU_RM_R + FN_XOR | MODRM);
        d(0x32, ALU_R_RM + FN_XOR | MODRM | BYTE);
        d(0x33, ALU_R_RM + FN_XOR | MODRM);
        d(0x34, ALU_A_I + FN_XOR | I_8 | BYTE);
        d(0x35, ALU_A_I + FN_XOR | I_Z);
        d(0x36, PREFIX);                        // SS:
        d(0x37, AAA);
        d(0x38, ALU_RM_R + FN_CMP | MODRM | BYTE);
        d(0x39, ALU_RM_R + FN_CMP | MODRM);
        d(0x3A, ALU_R_RM + FN_CMP | MODRM | BYTE);
        d(0x3B, ALU_R_RM + FN_CMP | MODRM);
        d(0x3C, ALU_A_I + FN_CMP | I_8 | BYTE);
        d(0x3D, ALU_A_I + FN_CMP | I_Z);
        d(0x3E, PREFIX);                        // DS:
        d(0x3F, AAS);
        for (int r = 0; r < 8; r++) {
            d(0x40 + r, INC_R);                 // INC reg
            d(0x48 + r, DEC_R);                 // DEC reg
            d(0x50 + r, PUSH_R);                // PUSH reg
            d(0x58 + r, POP_R);                 // POP reg
        }
        d(0x60, PUSHA);
        d(0x61, POPA);
        d(0x62, BOUND | MODRM);
        d(0x63, ARPL | MODRM);
        d(0x64, PREFIX);                        // FS:
        d(0x65, PREFIX);                        // GS:
        d(0x66, PREFIX);                        // operand size
        d(0x67, PREFIX);                        // address size
        d(0x68, PUSH_I | I_Z);
        d(0x69, IMUL_R_RM_I | MODRM | I_Z);
        d(0x6A, PUSH_I | I_8S);
        d(0x6B, IMUL_R_RM_I | MODRM | I_8S);
        d(0x6C, INS | BYTE);
        d(0x6D, INS);
        d(0x6E, OUTS | BYTE);
        d(0x6F, OUTS);
        for (int cc = 0; cc < 16; cc++) {
            d(0x70 + cc, JCC | I_REL8);         // Jcc rel8
        }
        d(0x80, GROUP | G1 | MODRM | BYTE | I_8);
        d(0x81, GROUP | G1 | MODRM | I_Z);
        d(0x82, GROUP | G1 | MODRM | BYTE | I_8);   // alias of 80
        d(0x83, GROUP | G1 | MODRM | I_8S);
        d(0x84, TEST_RM_R | MODRM | BYTE);
        d(0x85, TEST_RM_R | MODRM);
        d(0x86, XCHG_RM_R | MODRM | BYTE);
        d(0x87, XCHG_RM_R | MODRM);
        d(0x88, MOV_RM_R | MODRM | BYTE);
        d(0x89, MOV_RM_R | MODRM);
        d(0x8A, MOV_R_RM | MODRM | BYTE);
        d(0x8B, MOV_R_RM | MODRM);
        d(0x8C, MOV_RM_SEG | MODRM);
        d(0x8D, LEA | MODRM);
        d(0x8E, MOV_SEG_RM | MODRM);
        d(0x8F, GROUP | G1A | MODRM);
        d(0x90, NOP);                           // XCHG eAX,eAX
        for (int r = 1; r < 8; r++) {
            d(0x90 + r, XCHG_A_R);              // XCHG eAX,reg
        }
        d(0x98, CBW);                           // CBW / CWDE
        d(0x99, CWD);                           // CWD / CDQ
        d(0x9A, CALL_FAR | I_FAR);
        d(0x9B, WAIT);
        d(0x9C, PUSHF);
        d(0x9D, POPF);
        d(0x9E, SAHF);
        d(0x9F, LAHF);
        d(0xA0, MOV_A_MOFFS | I_MOFFS | BYTE);
        d(0xA1, MOV_A_MOFFS | I_MOFFS);
        d(0xA2, MOV_MOFFS_A | I_MOFFS | BYTE);
        d(0xA3, MOV_MOFFS_A | I_MOFFS);
        d(0xA4, MOVS | BYTE);
        d(0xA5, MOVS);
        d(0xA6, CMPS | BYTE);
        d(0xA7, CMPS);
        d(0xA8, TEST_A_I | I_8 | BYTE);
        d(0xA9, TEST_A_I | I_Z);
        d(0xAA, STOS | BYTE);
        d(0xAB, STOS);
        d(0xAC, LODS | BYTE);
        d(0xAD, LODS);
        d(0xAE, SCAS | BYTE);
        d(0xAF, SCAS);
        for (int r = 0; r < 8; r++) {
            d(0xB0 + r, MOV_R_I | I_8 | BYTE);  // MOV reg8, imm8
            d(0xB8 + r, MOV_R_I | I_Z);         // MOV reg, imm
        }
        d(0xC0, GROUP | G2 | MODRM | BYTE | I_8);
        d(0xC1, GROUP | G2 | MODRM | I_8);
        d(0xC2, RET_NEAR | I_16);
        d(0xC3, RET_NEAR);
        d(0xC4, LOAD_FAR_PTR | MODRM);          // LES
        d(0xC5, LOAD_FAR_PTR | MODRM);          // LDS
        d(0xC6, GROUP | G11 | MODRM | BYTE | I_8);
        d(0xC7, GROUP | G11 | MODRM | I_Z);
        d(0xC8, ENTER | I_ENTER);
        d(0xC9, LEAVE);
        d(0xCA, RET_FAR | I_16);
        d(0xCB, RET_FAR);
        d(0xCC, INT3);
        d(0xCD, INT_I | I_8);
        d(0xCE, INTO);
        d(0xCF, IRET);
        d(0xD0, GROUP | G2 | MODRM | BYTE);     // shift by 1
        d(0xD1, GROUP | G2 | MODRM);            // shift by 1
        d(0xD2, GROUP | G2 | MODRM | BYTE);     // shift by CL
        d(0xD3, GROUP | G2 | MODRM);            // shift by CL
        d(0xD4, AAM | I_8);
        d(0xD5, AAD | I_8);
        d(0xD6, SALC);                          // undocumented: AL = CF ? FF : 00
        d(0xD7, XLAT);
        for (int e = 0; e < 8; e++) {
            d(0xD8 + e, ESC | MODRM);           // x87 escape: no FPU here
        }
        d(0xE0, LOOPNE | I_REL8);
        d(0xE1, LOOPE | I_REL8);
        d(0xE2, LOOP | I_REL8);
        d(0xE3, JCXZ | I_REL8);
        d(0xE4, IN_I | I_8 | BYTE);
        d(0xE5, IN_I | I_8);
        d(0xE6, OUT_I | I_8 | BYTE);
        d(0xE7, OUT_I | I_8);
        d(0xE8, CALL_REL | I_RELZ);
        d(0xE9, JMP_REL | I_RELZ);
        d(0xEA, JMP_FAR | I_FAR);
        d(0xEB, JMP_REL | I_REL8);
        d(0xEC, IN_DX | BYTE);
        d(0xED, IN_DX);
        d(0xEE, OUT_DX | BYTE);
        d(0xEF, OUT_DX);
        d(0xF0, PREFIX);                        // LOCK
        d(0xF1, INT1);                          // ICEBP: INT 1 as a trap
        d(0xF2, PREFIX);                        // REPNE
        d(0xF3, PREFIX);                        // REP / REPE
        d(0xF4, HLT);
        d(0xF5, CMC);
        d(0xF6, GROUP | G3 | MODRM | BYTE);     // TEST takes an imm8; the decoder adds it
        d(0xF7, GROUP | G3 | MODRM);
        d(0xF8, CLC);
        d(0xF9, STC);
        d(0xFA, CLI);
        d(0xFB, STI);
        d(0xFC, CLD);
        d(0xFD, STD);
        d(0xFE, GROUP | G4 | MODRM | BYTE);
        d(0xFF, GROUP | G5 | MODRM);
        for (int i = 0; i < 256; i++) {
            if (ONE_BYTE[i] == 0) {
                throw new IllegalStateException(String.format("opcode %02X is not in the table", i));
            }
        }
    }
}
