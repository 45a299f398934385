package dev.vwb.machine.asm;

import java.util.List;

/** Prints a {@link Decoded} instruction the way ndisasm (NASM 2.16) does. */
final class DisasmText {
    private DisasmText() {
    }

    private static final String[] PREFIX_NAME = new String[256];

    static {
        PREFIX_NAME[0x26] = "es";
        PREFIX_NAME[0x2E] = "cs";
        PREFIX_NAME[0x36] = "ss";
        PREFIX_NAME[0x3E] = "ds";
        PREFIX_NAME[0x64] = "fs";
        PREFIX_NAME[0x65] = "gs";
        PREFIX_NAME[0xF0] = "lock";
        PREFIX_NAME[0x9B] = "wait";
        PREFIX_NAME[0xF2] = "repne";
        PREFIX_NAME[0xF3] = "rep";
    }

    /** A byte that starts nothing the CPU executes: ndisasm names a prefix, else writes db. */
    static String undefined(int b, int bits) {
        if (b == 0x66) {
            return bits == 16 ? "o32" : "o16";
        }
        if (b == 0x67) {
            return bits == 16 ? "a32" : "a16";
        }
        return PREFIX_NAME[b] != null ? PREFIX_NAME[b] : String.format("db 0x%02x", b);
    }

    static String format(Decoded d) {
        Form f = d.form;
        StringBuilder sb = new StringBuilder();
        boolean memOperand = d.memory() || hasKind(f, Kind.MOFF8) || hasKind(f, Kind.MOFFV);
        if (d.seg >= 0 && !memOperand) {
            sb.append(Regs.SREG[d.seg]).append(' ');
        }
        if (d.wait) {
            sb.append("wait ");
        }
        boolean pause = d.rep == 0xF3 && f.mnemonic().equals("nop"); // SDM Vol. 2B PAUSE: F3 90
        if (d.rep != 0 && !pause) {
            sb.append(repName(d)).append(' ');
        }
        if (d.lock) {
            sb.append("lock ");
        }
        boolean stringLike = f.has(Form.F_STR) || f.mnemonic().equals("xlatb");
        if (d.adsz && !memOperand && f.asize() == 0 && (stringLike || d.asize == 32 && !hasFixedOperand(f)
                || d.asize == 16 && f.operands().isEmpty())) {
            sb.append(d.asize == 16 ? "a16 " : "a32 ");
        }
        if (d.opsz && !f.usesOperandSize()) {
            sb.append(d.osize == 16 ? "o16 " : "o32 ");
        }
        if (pause) {
            return sb.append("pause").toString();
        }
        sb.append(f.mnemonic());
        List<Form.Spec> ops = f.operands();
        for (int i = 0; i < ops.size(); i++) {
            sb.append(i == 0 ? " " : ",").append(operand(d, i));
        }
        return sb.toString();
    }

    /**
     * F2/F3 mean REPNE/REP on most instructions, but ndisasm names them after the later
     * extensions that reuse them: BND before near branches (MPX), XACQUIRE/XRELEASE before
     * locked memory writes (TSX hardware lock elision).
     */
    private static String repName(Decoded d) {
        Form f = d.form;
        String m = f.mnemonic();
        boolean far = hasKind(f, Kind.PTR) || m.startsWith("retf") || !f.operands().isEmpty() && "far".equals(f.operands().get(0).keyword());
        boolean shortJmp = m.equals("jmp") && hasKind(f, Kind.REL8);
        boolean branch = m.startsWith("j") && !m.equals("jcxz") && !m.equals("jecxz") && !shortJmp
                || m.startsWith("call") || m.startsWith("ret");
        if (d.rep == 0xF2 && branch && !far) {
            return "bnd";
        }
        int op = f.opcode()[0] & 0xFF;
        boolean storeToMemory = d.memory() && d.rep == 0xF3 && (op == 0x88 || op == 0x89 || op == 0xC6 || op == 0xC7);
        boolean lockedWrite = d.memory() && (d.lock || m.equals("xchg")) || storeToMemory;
        if (lockedWrite) {
            return d.rep == 0xF2 ? "xacquire" : "xrelease";
        }
        if (d.rep == 0xF2) {
            return "repne";
        }
        return m.startsWith("cmps") || m.startsWith("scas") ? "repe" : "rep";
    }

    /**
     * ndisasm leaves out an unused 67h prefix on instructions with an immediate, a branch target
     * or a fixed register operand; it prints it on the rest (an observed rule, not a documented one).
     */
    private static boolean hasFixedOperand(Form f) {
        for (Form.Spec s : f.operands()) {
            Kind k = s.kind();
            if (!k.isReg() && !k.isRm() && k != Kind.SREG && k != Kind.CR && k != Kind.DR) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasKind(Form f, Kind k) {
        for (Form.Spec s : f.operands()) {
            if (s.kind() == k) {
                return true;
            }
        }
        return false;
    }

    private static String operand(Decoded d, int i) {
        Form f = d.form;
        Form.Spec spec = f.operands().get(i);
        Kind k = spec.kind();
        long v = d.imm[i];
        return switch (k) {
            case R8, R16, R32, RV -> Regs.gpr(k.size(d.osize), registerNumber(d, i));
            case AL -> "al";
            case AV -> Regs.gpr(d.osize, 0);
            case CL -> "cl";
            case DX -> "dx";
            case CX -> "cx";
            case ECX -> "ecx";
            case ONE -> "1";
            case ES, CS, SS, DS, FS, GS -> Regs.SREG[k.segNumber()];
            case SREG -> Regs.SREG[d.reg];
            case CR -> "cr" + d.reg;
            case DR -> "dr" + d.reg;
            case IB, IW, IV -> hex(v);
            case XB -> "byte " + hex(v);
            case XV -> sizeName(d.osize) + " " + hex(v);
            case SB -> "byte " + signedHex((byte) v);
            case REL8, RELV -> branch(d, spec, v);
            case PTR -> (d.opsz ? sizeName(d.osize) + " " : "")
                    + hex(v >>> d.osize) + ":" + hex(v & mask(d.osize));
            case MOFF8, MOFFV -> "[" + segPrefix(d) + (d.adsz ? sizeName(d.asize) + " " : "") + hex(v) + "]";
            default -> d.mod == 3 ? Regs.gpr(k.size(d.osize), d.rm) : memory(d, i);
        };
    }

    private static int registerNumber(Decoded d, int i) {
        if (i == d.form.plusROperand()) {
            return d.opcodeLow;
        }
        return i == d.form.rmOperand() ? d.rm : d.reg;
    }

    private static String branch(Decoded d, Form.Spec spec, long v) {
        long rel = spec.kind() == Kind.REL8 ? (byte) v : Disassembler.signed(v, d.osize / 8);
        // ndisasm keeps 16-bit code's targets in 16 bits even after an o32 prefix on a short jump.
        int width = spec.kind() == Kind.REL8 ? d.bits : d.osize;
        long target = (d.address + d.length + rel) & mask(width);
        String kw = "";
        if (spec.kind() == Kind.RELV && d.opsz) {
            kw = sizeName(d.osize) + " ";
        } else if (spec.keyword() != null) {
            kw = spec.keyword() + " ";
        }
        return kw + hex(target);
    }

    private static String memory(Decoded d, int i) {
        Form f = d.form;
        Kind k = f.operands().get(i).kind();
        StringBuilder sb = new StringBuilder();
        if (k != Kind.M && printSize(d, i)) {
            sb.append(sizeName(k.size(d.osize))).append(' ');
        }
        if ("far".equals(f.operands().get(i).keyword())) {
            sb.append("far ");
        }
        sb.append('[');
        if (wideDisplacement(d)) {
            sb.append(sizeName(d.asize)).append(' ');
        }
        sb.append(segPrefix(d));
        String regs;
        if (d.asize == 16) {
            regs = d.mod == 0 && d.rm == 6 ? "" : Regs.MEM16[d.rm];
        } else if (d.hasSib) {
            String base = d.mod == 0 && d.base == 5 ? "" : Regs.R32[d.base];
            String index = d.index == 4 ? "" : Regs.R32[d.index] + (d.scale == 0 ? "" : "*" + (1 << d.scale));
            regs = base.isEmpty() ? index : index.isEmpty() ? base : base + "+" + index;
        } else {
            regs = d.mod == 0 && d.rm == 5 ? "" : Regs.R32[d.rm];
        }
        sb.append(regs);
        if (regs.isEmpty()) {
            sb.append(hex(d.disp & mask(d.asize)));
        } else if (d.dispSize > 0) {
            sb.append(signedHex(d.disp));
        }
        return sb.append(']').toString();
    }

    /** ndisasm writes "dword" inside the brackets for a 32-bit displacement with no base register. */
    private static boolean wideDisplacement(Decoded d) {
        if (d.asize == 16) {
            return d.bits == 32 && d.mod == 0 && d.rm == 6;
        }
        if (!d.hasSib && d.mod == 0 && d.rm == 5) {
            return true;
        }
        return d.bits == 16 && d.hasSib;
    }

    private static boolean printSize(Decoded d, int i) {
        Form f = d.form;
        if (f.has(Form.F_NOSIZE)) {
            return false;
        }
        if (f.has(Form.F_OSZ)) {
            return d.opsz;
        }
        if (f.has(Form.F_SIZE)) {
            return true;
        }
        List<Form.Spec> ops = f.operands();
        for (int j = 0; j < ops.size(); j++) {
            Kind o = ops.get(j).kind();
            if (j != i && (o.isReg() || o == Kind.AL || o == Kind.AV || o == Kind.SREG || o == Kind.CR || o == Kind.DR)) {
                return false;
            }
        }
        return true;
    }

    private static String segPrefix(Decoded d) {
        return d.seg >= 0 ? Regs.SREG[d.seg] + ":" : "";
    }

    static String sizeName(int bits) {
        return switch (bits) {
            case 8 -> "byte";
            case 16 -> "word";
            case 32 -> "dword";
            default -> "qword";
        };
    }

    private static long mask(int bits) {
        return bits == 32 ? 0xFFFF_FFFFL : bits == 16 ? 0xFFFF : 0xFF;
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    static String signedHex(long v) {
        return v < 0 ? "-0x" + Long.toHexString(-v) : "+0x" + Long.toHexString(v);
    }
}
