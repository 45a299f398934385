package dev.vwb.machine.cpu;

/**
 * A decoded instruction: everything the interpreter needs, worked out once by the
 * {@link Decoder} and cached per physical page, so that re-executing it costs no decoding.
 * Immutable once decoded (fields are written only by the decoder).
 */
final class Insn {
    /** Operation, see {@link Op}. */
    int op;
    /** Length in bytes, prefixes included. */
    int length;
    /** Operand size in bytes: 1, 2 or 4. */
    int size;
    /** 32-bit addressing. */
    boolean a32;
    /** Decoded for a 32-bit code segment (the cache checks this against the current CS). */
    boolean code32;
    /** REP/REPE (F3) or REPNE (F2) prefix, or 0. */
    int rep;
    boolean lock;
    /** Segment of the memory operand (a {@link SegReg} ordinal), overrides applied. */
    int seg;
    /** The ModRM r/m operand is memory (mod != 3). */
    boolean mem;
    /** ModRM.reg, or the register/segment/condition encoded in the opcode. */
    int reg;
    /** ModRM.rm: the register operand when {@link #mem} is false. */
    int rm;
    /** Effective address: disp + base + (index << scale); base/index are -1 when absent. */
    int base = -1;
    int index = -1;
    int scale;
    int disp;
    /** Condition code of Jcc, SETcc and CMOVcc (the opcode's low nibble). */
    int cc;
    /** First and second immediates (ENTER: size, level; far pointers: offset, selector). */
    int imm;
    int imm2;
    /** Destination and source registers of a {@link FastPath}, normalized from reg/rm by direction. */
    int dst;
    int src;
    /** The specialized implementation, or null for the generic interpreter. */
    FastPath fast;
    /** Whether the decode cache holds this instruction, and at which physical address. */
    boolean cached;
    int phys;
    /**
     * The instruction that follows this one on the same physical page, linked by the run loop the
     * first time execution falls through to it; valid as long as the page's decoded code is.
     */
    Insn next;
    /** The last instruction this one transferred control to on the same page (a taken branch), and its EIP. */
    Insn target;
    int targetEip;
    /** Times execution reached this instruction outside a translated block (hotness for {@link BlockCompiler}). */
    int heat;
    /** The translated block that starts here, once it is hot. */
    CompiledBlock compiled;
    /** The opcode bytes, for traces: the first opcode byte (and 0F prefix as 0x0Fxx). */
    int opcode;
}
