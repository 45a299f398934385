package dev.vwb.machine.cpu;

import static dev.vwb.machine.cpu.OpcodeTable.*;

/**
 * Decodes one instruction from guest memory (SDM Vol. 2A ch. 2: prefixes, opcode, ModRM, SIB,
 * displacement, immediate). Decoding is done once per instruction address and cached, so this
 * class is written for clarity rather than speed.
 */
final class Decoder {
    /** Reads one code byte at an offset from CS, applying the CS limit and paging. */
    interface CodeBytes {
        int fetch(int offset);
    }

    private static final int MAX_LENGTH = 15;

    // 16-bit addressing forms (SDM Vol. 2A Table 2-1): base and index per ModRM.rm.
    private static final int[] BASE16 = {3, 3, 5, 5, -1, -1, 5, 3};   // BX BX BP BP - - BP BX
    private static final int[] INDEX16 = {6, 7, 6, 7, 6, 7, -1, -1};   // SI DI SI DI SI DI - -

    /** Whether decoded instructions get a {@link FastPath} (off: everything takes the generic interpreter). */
    boolean fastPaths = true;
    private CodeBytes code;
    private int start;
    private int pos;

    private int next() {
        if (pos - start >= MAX_LENGTH) {
            throw new GuestFault(Vectors.GP, 0);  // longer than 15 bytes (SDM Vol. 2A §2.3.11)
        }
        return code.fetch(pos++) & 0xFF;
    }

    private int next16() {
        int lo = next();
        return lo | next() << 8;
    }

    private int next32() {
        int lo = next16();
        return lo | next16() << 16;
    }

    /** Decodes the instruction at {@code eip}; code32 is the CS default size. */
    Insn decode(CodeBytes code, int eip, boolean code32) {
        this.code = code;
        this.start = eip;
        this.pos = eip;
        Insn in = new Insn();
        in.code32 = code32;
        boolean o32 = code32;
        boolean a32 = code32;
        int segOverride = -1;
        int b;
        int entry;
        // Prefixes: any number, any order, until the 15-byte limit.
        while (true) {
            b = next();
            entry = ONE_BYTE[b];
            if ((entry & PREFIX) == 0 || b == 0x0F) {
                break;
            }
            switch (b) {
                case 0x26: segOverride = 0; break;
                case 0x2E: segOverride = 1; break;
                case 0x36: segOverride = 2; break;
                case 0x3E: segOverride = 3; break;
                case 0x64: segOverride = 4; break;
                case 0x65: segOverride = 5; break;
                case 0x66: o32 = !code32; break;
                case 0x67: a32 = !code32; break;
                case 0xF0: in.lock = true; break;
                case 0xF2: case 0xF3: in.rep = b; break;
                default: throw new IllegalStateException("prefix " + b);
            }
        }
        in.opcode = b;
        if (b == 0x0F) {
            b = next();
            in.opcode = 0x0F00 | b;
            entry = TwoByteOpcodeTable.TWO_BYTE[b];
        }
        in.a32 = a32;
        in.size = (entry & BYTE) != 0 ? 1 : o32 ? 4 : 2;
        int op = entry & OP_MASK;
        in.reg = b & 7;  // register, segment or condition in the opcode's low bits
        if ((entry & MODRM) != 0) {
            int modrm = next();
            int mod = modrm >>> 6;
            in.reg = (modrm >>> 3) & 7;
            in.rm = modrm & 7;
            in.mem = mod != 3 && (entry & REG_ONLY) == 0;
            if (in.mem) {
                decodeAddress(in, mod, segOverride);
            }
            if ((entry & GROUP) != 0) {
                op = GROUPS[entry & OP_MASK][in.reg];
                if ((entry & OP_MASK) == G3 && in.reg < 2) {
                    entry |= (entry & BYTE) != 0 ? I_8 : I_Z;  // TEST r/m, imm
                }
            }
        }
        if ((in.opcode & 0xFF00) == 0 && (b & 0xF0) == 0x70 || (in.opcode & 0xFFF0) == 0x0F80
                || (in.opcode & 0xFFF0) == 0x0F90 || (in.opcode & 0xFFF0) == 0x0F40) {
            in.cc = b & 0xF;
        }
        readImmediate(in, entry & I_MASK, o32, a32);
        in.op = op;
        in.length = pos - start;
        if (!in.mem) {
            in.seg = segOverride < 0 ? SegReg.DS.ordinal() : segOverride;  // string ops, XLAT, moffs
        }
        validate(in);
        if (fastPaths && !in.lock) {
            in.fast = FastPaths.select(in);
        }
        return in;
    }

    private void decodeAddress(Insn in, int mod, int segOverride) {
        int defaultSeg = SegReg.DS.ordinal();
        if (!in.a32) {
            if (mod == 0 && in.rm == 6) {
                in.disp = next16();
            } else {
                in.base = BASE16[in.rm];
                in.index = INDEX16[in.rm];
                if (in.base == 5) {
                    defaultSeg = SegReg.SS.ordinal();  // BP-based forms use SS
                }
                in.disp = mod == 1 ? (byte) next() : mod == 2 ? (short) next16() : 0;
            }
        } else {
            int rm = in.rm;
            if (rm == 4) {
                int sib = next();
                int scale = sib >>> 6;
                int index = (sib >>> 3) & 7;
                int base = sib & 7;
                in.index = index == 4 ? -1 : index;
                in.scale = scale;
                if (base == 5 && mod == 0) {
                    in.base = -1;
                    in.disp = next32();
                } else {
                    in.base = base;
                }
            } else if (rm == 5 && mod == 0) {
                in.base = -1;
                in.disp = next32();
            } else {
                in.base = rm;
            }
            if (in.base == 4 || in.base == 5) {
                defaultSeg = SegReg.SS.ordinal();  // ESP- and EBP-based forms use SS
            }
            if (mod == 1) {
                in.disp = (byte) next();
            } else if (mod == 2) {
                in.disp = next32();
            }
        }
        in.seg = segOverride >= 0 ? segOverride : defaultSeg;
    }

    private void readImmediate(Insn in, int kind, boolean o32, boolean a32) {
        switch (kind) {
            case I_NONE: break;
            case I_8: in.imm = next(); break;
            case I_8S: in.imm = (byte) next(); break;
            case I_16: in.imm = next16(); break;
            case I_Z: in.imm = o32 ? next32() : (in.size == 1 ? next() : next16()); break;
            case I_MOFFS: in.disp = a32 ? next32() : next16(); break;
            case I_FAR:
                in.imm = o32 ? next32() : next16();
                in.imm2 = next16();
                break;
            case I_ENTER:
                in.imm = next16();
                in.imm2 = next();
                break;
            case I_REL8: in.imm = (byte) next(); break;
            case I_RELZ: in.imm = o32 ? next32() : (short) next16(); break;
            default: throw new IllegalStateException("immediate kind " + kind);
        }
    }

    /** Encodings the opcode map allows but the instruction forbids become #UD (SDM Vol. 2). */
    private static void validate(Insn in) {
        switch (in.op) {
            case Op.LEA: case Op.BOUND: case Op.LOAD_FAR_PTR: case Op.CALL_FAR_M: case Op.JMP_FAR_M:
            case Op.SGDT: case Op.SIDT: case Op.LGDT: case Op.LIDT: case Op.INVLPG: case Op.CMPXCHG8B:
                if (!in.mem) in.op = Op.UD;   // memory-only operands
                break;
            case Op.MOV_SEG_RM:
                if (in.reg == 1 || in.reg > 5) in.op = Op.UD;  // no MOV CS; only six segment registers
                break;
            case Op.MOV_RM_SEG:
                if (in.reg > 5) in.op = Op.UD;
                break;
            case Op.MOV_R_CR: case Op.MOV_CR_R:
                if (in.reg == 1 || in.reg > 4) in.op = Op.UD;   // CR0, CR2, CR3, CR4 exist
                break;
            default:
                break;
        }
        if (in.lock && !(in.mem && Op.lockable(in.op))) {
            in.op = Op.UD;  // LOCK on anything but a lockable memory destination (SDM Vol. 2A, LOCK)
        }
    }
}
