package dev.vwb.machine.cpu;

/**
 * Operation identifiers: what a decoded {@link Insn} does. The decoder maps opcode bytes (and
 * ModRM group fields) to these; the interpreter switches on them. Plain {@code int}s, not an
 * enum, so that the dispatch is one {@code tableswitch} with no ordinal lookup.
 */
final class Op {
    private Op() {
    }

    // The eight ALU functions in encoding order; an ALU op is FORM + function.
    static final int FN_ADD = 0, FN_OR = 1, FN_ADC = 2, FN_SBB = 3, FN_AND = 4, FN_SUB = 5, FN_XOR = 6, FN_CMP = 7;
    static final int ALU_RM_R = 0;   // 00 08 10 ... 38 (and 01 09 ...): r/m op= reg
    static final int ALU_R_RM = 8;   // 02 0A ...: reg op= r/m
    static final int ALU_A_I = 16;   // 04 0C ...: AL/eAX op= imm
    static final int ALU_RM_I = 24;  // 80 81 82 83 /n: r/m op= imm

    // Shifts and rotates: ROT + function (ROL ROR RCL RCR SHL SHR SAL SAR).
    static final int ROT = 32;

    static final int UD = 40;             // invalid opcode: #UD
    static final int INC_R = 41, DEC_R = 42, INC_RM = 43, DEC_RM = 44;
    static final int PUSH_R = 45, POP_R = 46, PUSH_I = 47, PUSH_RM = 48, POP_RM = 49;
    static final int PUSH_SEG = 50, POP_SEG = 51, PUSHA = 52, POPA = 53;
    static final int BOUND = 54, ARPL = 55;
    static final int IMUL_R_RM_I = 56, IMUL_R_RM = 57;
    static final int INS = 58, OUTS = 59;
    static final int JCC = 60;
    static final int TEST_RM_R = 61, TEST_A_I = 62, TEST_RM_I = 63;
    static final int XCHG_RM_R = 64, XCHG_A_R = 65, NOP = 66;
    static final int MOV_RM_R = 67, MOV_R_RM = 68, MOV_RM_SEG = 69, MOV_SEG_RM = 70, LEA = 71;
    static final int MOV_A_MOFFS = 72, MOV_MOFFS_A = 73, MOV_R_I = 74, MOV_RM_I = 75;
    static final int CBW = 76, CWD = 77, CALL_FAR = 78, WAIT = 79;
    static final int PUSHF = 80, POPF = 81, SAHF = 82, LAHF = 83;
    static final int MOVS = 84, CMPS = 85, STOS = 86, LODS = 87, SCAS = 88;
    static final int RET_NEAR = 89, RET_FAR = 90, LOAD_FAR_PTR = 91, ENTER = 92, LEAVE = 93;
    static final int INT3 = 94, INT_I = 95, INTO = 96, IRET = 97;
    static final int AAM = 98, AAD = 99, SALC = 100, XLAT = 101, ESC = 102;
    static final int LOOPNE = 103, LOOPE = 104, LOOP = 105, JCXZ = 106;
    static final int IN_I = 107, OUT_I = 108, IN_DX = 109, OUT_DX = 110;
    static final int CALL_REL = 111, JMP_REL = 112, JMP_FAR = 113, INT1 = 114, HLT = 115, CMC = 116;
    static final int NOT = 117, NEG = 118, MUL = 119, IMUL_RM = 120, DIV = 121, IDIV = 122;
    static final int CLC = 123, STC = 124, CLI = 125, STI = 126, CLD = 127, STD = 128;
    static final int CALL_RM = 129, CALL_FAR_M = 130, JMP_RM = 131, JMP_FAR_M = 132;
    static final int DAA = 133, DAS = 134, AAA = 135, AAS = 136;

    // 0F xx
    static final int SLDT = 140, STR = 141, LLDT = 142, LTR = 143, VERR = 144, VERW = 145;
    static final int SGDT = 146, SIDT = 147, LGDT = 148, LIDT = 149, SMSW = 150, LMSW = 151, INVLPG = 152;
    static final int LAR = 153, LSL = 154, CLTS = 155, INVD = 156, WBINVD = 157;
    static final int MOV_R_CR = 158, MOV_R_DR = 159, MOV_CR_R = 160, MOV_DR_R = 161;
    static final int WRMSR = 162, RDTSC = 163, RDMSR = 164, CPUID = 165;
    static final int CMOV = 166, SETCC = 167;
    static final int BT_RM_R = 168, BTS_RM_R = 169, BTR_RM_R = 170, BTC_RM_R = 171;
    static final int BT_I = 172, BTS_I = 173, BTR_I = 174, BTC_I = 175;
    static final int SHLD = 176, SHRD = 177;
    static final int CMPXCHG = 178, CMPXCHG8B = 179, XADD = 180, BSWAP = 181;
    static final int MOVZX = 182, MOVSX = 183, BSF = 184, BSR = 185;

    static final int COUNT = 186;

    /** The ops LOCK may prefix, when their destination is memory (SDM Vol. 2A, LOCK). */
    static boolean lockable(int op) {
        if (op >= ALU_RM_R && op < ALU_RM_R + 8) return (op & 7) != FN_CMP;
        if (op >= ALU_RM_I && op < ALU_RM_I + 8) return (op & 7) != FN_CMP;
        switch (op) {
            case INC_RM: case DEC_RM: case NOT: case NEG: case XCHG_RM_R:
            case BTS_RM_R: case BTR_RM_R: case BTC_RM_R: case BTS_I: case BTR_I: case BTC_I:
            case CMPXCHG: case CMPXCHG8B: case XADD:
                return true;
            default:
                return false;
        }
    }
}
