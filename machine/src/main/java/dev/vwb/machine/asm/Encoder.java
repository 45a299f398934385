package dev.vwb.machine.asm;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * Encodes one instruction: tries every {@link InsnTable} row of the mnemonic against the
 * operands and keeps the shortest encoding (the first row among equals), as NASM's optimizer
 * does (NASM manual 2.1.23, -Ox, the default).
 */
final class Encoder {
    private Encoder() {
    }

    /** Why a row did not fit, worst first: later reasons make better messages. */
    enum Reason { NONE, OPERANDS, SIZE, RANGE }

    /** An encoding, or the reason and message of the best failure. */
    record Result(byte[] bytes, Reason reason, String message) {
        boolean ok() {
            return bytes != null;
        }
    }

    /** The operands, evaluated once for every row. */
    record Evaluated(Operand op, Expr.Value value, Expr.Value segment) {
    }

    static Result encode(String mnemonic, List<String> prefixes, List<Evaluated> ops, int bits, long address) {
        Result best = new Result(null, Reason.NONE, null);
        for (Form f : Forms.get().byMnemonic(mnemonic)) {
            if (f.operands().size() != ops.size()) {
                continue;
            }
            Result r = new Match(f, ops, bits, address, prefixes).encode();
            if (r.ok()) {
                if (!best.ok() || r.bytes().length < best.bytes().length) {
                    best = r;
                }
            } else if (!best.ok() && r.reason().ordinal() > best.reason().ordinal()) {
                best = r;
            }
        }
        return best;
    }

    /** One attempt to encode with one row. */
    private static final class Match {
        private final Form f;
        private final List<Evaluated> ops;
        private final int bits;
        private final long address;
        private final List<String> prefixes;
        private int v;
        private Reason reason = Reason.OPERANDS;
        private String message;

        Match(Form f, List<Evaluated> ops, int bits, long address, List<String> prefixes) {
            this.f = f;
            this.ops = ops;
            this.bits = bits;
            this.address = address;
            this.prefixes = prefixes;
        }

        Result encode() {
            for (int i = 0; i < ops.size(); i++) {
                if (!fits(f.operands().get(i), ops.get(i))) {
                    return fail();
                }
            }
            int osize = f.osize() > 0 ? f.osize() : v != 0 ? v : bits;
            if (f.osize() > 0 && v != 0 && v != f.osize()) {
                return fail();
            }
            for (int i = 0; i < ops.size(); i++) {
                if (!sized(i, osize)) {
                    return fail();
                }
            }
            try {
                return new Result(bytes(osize), Reason.NONE, null);
            } catch (MemoryEncoding.Bad e) {
                reason = Reason.RANGE;
                message = e.getMessage();
                return fail();
            }
        }

        private Result fail() {
            return new Result(null, reason, message);
        }

        private boolean setV(int size) {
            if (size != 16 && size != 32 || v != 0 && v != size) {
                return false;
            }
            v = size;
            return true;
        }

        private boolean fits(Form.Spec spec, Evaluated e) {
            Operand op = e.op();
            Kind k = spec.kind();
            String kw = spec.keyword();
            String q = op.qualifier();
            if ("far".equals(kw) != "far".equals(q)) {
                return false;
            }
            if ("short".equals(q) && k != Kind.REL8 || "near".equals(q) && k != Kind.RELV && !f.has(Form.F_OSZ)) {
                return false;
            }
            if ((kw != null && (kw.equals("word") || kw.equals("dword"))) && op.size() != (kw.equals("word") ? 16 : 32)) {
                return false;
            }
            Regs.Reg r = op.reg();
            boolean reg = op.type() == Operand.Type.REG;
            boolean mem = op.type() == Operand.Type.MEM;
            boolean imm = op.type() == Operand.Type.IMM;
            return switch (k) {
                case R8, R16, R32 -> reg && r.size() == k.bits;
                case RV -> reg && setV(r.size());
                case AL -> reg && r.kind().equals("r8") && r.n() == 0;
                case AV -> reg && r.n() == 0 && setV(r.size());
                case CL -> reg && r.kind().equals("r8") && r.n() == 1;
                case DX -> reg && r.kind().equals("r16") && r.n() == 2;
                case CX -> reg && r.kind().equals("r16") && r.n() == 1;
                case ECX -> reg && r.kind().equals("r32") && r.n() == 1;
                case ES, CS, SS, DS, FS, GS -> reg && r.kind().equals("sreg") && r.n() == k.segNumber();
                case SREG -> reg && r.kind().equals("sreg");
                case CR -> reg && r.kind().equals("cr") && (r.n() == 0 || r.n() >= 2 && r.n() <= 4);
                case DR -> reg && r.kind().equals("dr");
                case RM8, RM16, RM32 -> reg ? r.size() == k.bits : mem && (op.size() == 0 || op.size() == k.bits);
                case RMV -> reg ? setV(r.size()) : mem && (op.size() == 0 || setV(op.size()));
                case M -> mem;
                case M16, M32, M64 -> mem && (op.size() == 0 || op.size() == k.bits);
                case MV -> mem && (op.size() == 0 || setV(op.size()));
                case MOFF8 -> mem && e.value().constant() && (op.size() == 0 || op.size() == 8);
                case MOFFV -> mem && e.value().constant() && (op.size() == 0 || setV(op.size()));
                case ONE -> imm && e.value().known() && e.value().k() == 1 && op.size() == 0;
                case IB, XB -> imm && (op.size() == 0 || op.size() == 8);
                case IW -> imm && (op.size() == 0 || op.size() == 16);
                case IV, XV -> imm && (op.size() == 0 || setV(op.size()));
                case SB -> imm && (op.size() == 0 || op.size() == 8 || kw != null || f.osize() != 0 && setV(op.size())
                        || f.osize() == 0 && op.size() == bits);
                case REL8 -> imm && op.size() == 0;
                case RELV -> imm && !"short".equals(q) && (op.size() == 0 || setV(op.size()));
                case PTR -> op.type() == Operand.Type.FAR && (op.size() == 0 || setV(op.size()));
            };
        }

        /** Checks what needs the final operand size: unsized memory, sign-extended bytes. */
        private boolean sized(int i, int osize) {
            Form.Spec spec = f.operands().get(i);
            Kind k = spec.kind();
            Evaluated e = ops.get(i);
            if (k == Kind.SB && e.value().known()) {
                long x = e.value().k();
                long m = osize == 16 ? 0xFFFF : 0xFFFF_FFFFL;
                long sx = osize == 16 ? (short) (x & m) : (int) (x & m);
                boolean inRange = osize == 16 ? x >= -0x8000 && x <= 0xFFFF : x >= -0x8000_0000L && x <= 0xFFFF_FFFFL;
                return inRange && sx >= -128 && sx <= 127;
            }
            if (e.op().type() != Operand.Type.MEM || e.op().size() != 0 || k == Kind.M || k.bits < 0) {
                return true;
            }
            if (f.has(Form.F_OSZ)) {
                return true;
            }
            int want = k.size(osize);
            for (int j = 0; j < ops.size(); j++) {
                Operand o = ops.get(j).op();
                if (j != i && o.type() == Operand.Type.REG && o.reg().size() == want) {
                    return true;
                }
            }
            if (Sizes.uniqueMemorySize(f.mnemonic(), ops.size(), i)) {
                return true;
            }
            reason = Reason.SIZE;
            message = "operand size not specified (write byte, word or dword before the memory operand)";
            return false;
        }

        private byte[] bytes(int osize) throws MemoryEncoding.Bad {
            ByteArrayOutputStream out = new ByteArrayOutputStream(16);
            Evaluated memOp = null;
            for (Evaluated e : ops) {
                if (e.op().type() == Operand.Type.MEM) {
                    memOp = e;
                }
            }
            int asize = f.asize() != 0 ? f.asize() : bits;
            if (memOp != null) {
                asize = MemoryEncoding.addressSize(memOp.value(), memOp.op().dispSize() == 16 || memOp.op().dispSize() == 32
                        && memOp.value().constant() ? memOp.op().dispSize() : bits);
            }
            for (String p : prefixes) {
                switch (p) {
                    case "lock" -> out.write(0xF0);
                    case "rep", "repe", "repz" -> out.write(0xF3);
                    case "repne", "repnz" -> out.write(0xF2);
                    default -> { }
                }
            }
            if (memOp != null && memOp.op().segReg() >= 0) {
                out.write(new int[] {0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65}[memOp.op().segReg()]);
            }
            if (f.osize() != 0 && osize != bits || prefixes.contains(bits == 16 ? "o32" : "o16")) {
                out.write(0x66);
            }
            if (asize != bits || prefixes.contains(bits == 16 ? "a32" : "a16")) {
                out.write(0x67);
            }
            byte[] opc = f.opcode();
            for (int i = 0; i < opc.length; i++) {
                int b = opc[i] & 0xFF;
                if (i == opc.length - 1 && f.plusR()) {
                    b |= ops.get(f.plusROperand()).op().reg().n();
                }
                out.write(b);
            }
            if (f.modrm() != Form.NO_MODRM) {
                int rmIndex = f.rmOperand();
                int regIndex = f.regOperand();
                int regField = f.modrm() >= 0 ? f.modrm() : regIndex >= 0 ? ops.get(regIndex).op().reg().n() : 0;
                if (f.has(Form.F_TWICE)) {
                    regField = ops.get(0).op().reg().n();
                }
                Evaluated rm = ops.get(rmIndex);
                if (rm.op().type() == Operand.Type.REG) {
                    out.write(0xC0 | regField << 3 | rm.op().reg().n());
                } else {
                    int dispSize = rm.value().constant() ? 0 : rm.op().dispSize();
                    MemoryEncoding.write(out, regField, rm.value(), asize, dispSize);
                }
            }
            int relAt = -1;
            int relSize = 0;
            long target = 0;
            for (int i = 0; i < ops.size(); i++) {
                Kind k = f.operands().get(i).kind();
                Evaluated e = ops.get(i);
                long x = e.value() == null ? 0 : e.value().k();
                switch (k) {
                    case IB, XB, SB -> MemoryEncoding.le(out, x, 1);
                    case IW -> MemoryEncoding.le(out, x, 2);
                    case IV, XV -> MemoryEncoding.le(out, x, osize / 8);
                    case MOFF8, MOFFV -> MemoryEncoding.le(out, x, asize / 8);
                    case PTR -> {
                        MemoryEncoding.le(out, x, osize / 8);
                        MemoryEncoding.le(out, e.segment().k(), 2);
                    }
                    case REL8, RELV -> {
                        relAt = out.size();
                        relSize = k == Kind.REL8 ? 1 : osize / 8;
                        target = x;
                        MemoryEncoding.le(out, 0, relSize);
                    }
                    default -> { }
                }
            }
            byte[] b = out.toByteArray();
            if (relAt >= 0) {
                long rel = target - (address + b.length);
                boolean known = ops.stream().allMatch(e -> e.value() == null || e.value().known());
                if (relSize == 1 && known && (rel < -128 || rel > 127)) {
                    throw new MemoryEncoding.Bad("short jump out of range (the target is " + Math.abs(rel)
                            + " bytes " + (rel < 0 ? "back" : "ahead") + "; a short jump reaches 128 back, 127 ahead)");
                }
                for (int i = 0; i < relSize; i++) {
                    b[relAt + i] = (byte) (rel >>> (8 * i));
                }
            }
            return b;
        }
    }
}
