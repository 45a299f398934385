package dev.vwb.machine.cpu;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/**
 * An instruction of the guest as the CPU decoded it, for a monitor that emulates it: what it is,
 * how long, its operands (the memory operand's segment and offset worked out against the
 * registers at decode time). Made by {@link CpuControl#decode()}; the decoder is the CPU's own,
 * so a monitor and the CPU never disagree about what an instruction is.
 */
public final class GuestInstruction {
    /** Operation names by {@link Op} value, read off Op's constants so the two cannot drift apart. */
    private static final String[] NAMES = names();

    private final Insn insn;
    private final byte[] bytes;
    private final int eip;
    private final int offset;

    GuestInstruction(Insn insn, byte[] bytes, int eip, int offset) {
        this.insn = insn;
        this.bytes = bytes;
        this.eip = eip;
        this.offset = offset;
    }

    /**
     * What it does, upper case, as the CPU's operation table names it: {@code CLI}, {@code LGDT},
     * {@code MOV_CR_R} (MOV CRn, r32), {@code MOV_R_CR}, {@code IN_I}, {@code OUT_DX}, {@code IRET},
     * {@code POPF}, {@code MOV_RM_SEG} (MOV r/m, Sreg), {@code PUSH_SEG}, {@code UD} (invalid) ...
     */
    public String op() {
        return NAMES[insn.op];
    }

    /** The opcode: its byte, or 0x0Fxx for two-byte opcodes. */
    public int opcode() {
        return insn.opcode;
    }

    public int length() {
        return insn.length;
    }

    Insn insn() {
        return insn;
    }

    /** The EIP it was decoded at. */
    public int eip() {
        return eip;
    }

    /** The EIP after it. */
    public int nextEip() {
        return insn.code32 ? eip + insn.length : (eip + insn.length) & 0xFFFF;
    }

    /** Operand size in bytes: 1, 2 or 4. */
    public int operandSize() {
        return insn.size;
    }

    public boolean addressSize32() {
        return insn.a32;
    }

    /** The REP prefix byte (F3 or F2), or 0. */
    public int rep() {
        return insn.rep;
    }

    /** Whether the ModRM r/m operand is in memory. */
    public boolean hasMemoryOperand() {
        return insn.mem;
    }

    /** The segment of the memory operand (overrides applied); DS for string sources. */
    public SegReg segment() {
        return SegReg.values()[insn.seg];
    }

    /** The memory operand's offset in {@link #segment()}, as the registers stood at decode time. */
    public int offset() {
        return offset;
    }

    /** ModRM.reg, or the register (segment register, control register) the opcode names. */
    public int reg() {
        return insn.reg;
    }

    /** ModRM.rm: the register operand when there is no memory operand. */
    public int rm() {
        return insn.rm;
    }

    /** The first immediate (a port for IN/OUT imm8, an offset for far pointers). */
    public int immediate() {
        return insn.imm;
    }

    /** The second immediate (the selector of a far pointer). */
    public int immediate2() {
        return insn.imm2;
    }

    /** Whether it was decoded for a 32-bit code segment. */
    public boolean code32() {
        return insn.code32;
    }

    /** Its bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** NASM syntax, as ndisasm prints it. */
    public String text() {
        return dev.vwb.machine.asm.Disassembler.disassemble(bytes, 0, eip, insn.code32 ? 32 : 16).text();
    }

    @Override
    public String toString() {
        return text();
    }

    private static String[] names() {
        String[] names = new String[256];
        for (Field f : Op.class.getDeclaredFields()) {
            if (f.getType() == int.class && Modifier.isStatic(f.getModifiers()) && !f.getName().startsWith("FN_") && !f.getName().equals("COUNT")) {
                try {
                    int v = f.getInt(null);
                    if (v >= 0 && v < names.length && names[v] == null) {
                        names[v] = f.getName();
                    }
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        for (int v = 0; v < names.length; v++) {
            if (names[v] == null) {
                // Families: ALU forms (ALU_RM_R + function ...) and the shifts (ROT + function).
                names[v] = v < Op.ROT ? "ALU" : v < Op.ROT + 8 ? "ROT" : "OP" + v;
            }
        }
        return names;
    }
}
