package dev.vwb.machine.asm;

import java.util.Arrays;
import java.util.List;

/**
 * Turns bytes back into NASM/ndisasm Intel syntax, using the same {@link InsnTable} rows as the
 * assembler. Only instructions the vwb CPU executes are decoded; any other byte (x87, MMX, a
 * reserved ModRM form) comes out as {@code db 0x..} of length 1, or as the name of the prefix it
 * is ({@code o16}, {@code rep}, {@code cs}...), which is what ndisasm prints for such bytes too.
 *
 * <p>Instruction format (SDM Vol. 2A, Chapter 2): prefixes, one or two opcode bytes, ModRM, SIB,
 * displacement, immediates.
 */
public final class Disassembler {
    private static final int MAX_LENGTH = 15; // SDM Vol. 2A 2.3.11: longer raises #GP

    private Disassembler() {
    }

    /**
     * Disassembles the instruction at {@code code[offset]}.
     *
     * @param address the address of that byte, for branch targets and the result
     * @param bits    16 or 32, the code segment's default size
     * @return the instruction; never null (undefined bytes give a one-byte {@code db} line)
     */
    public static Instruction disassemble(byte[] code, int offset, long address, int bits) {
        if (bits != 16 && bits != 32) {
            throw new IllegalArgumentException("bits must be 16 or 32, not " + bits);
        }
        if (offset < 0 || offset >= code.length) {
            throw new IllegalArgumentException("offset " + offset + " outside the code");
        }
        Decoded d = new Decoded();
        d.bits = bits;
        d.address = address;
        int end = Math.min(code.length, offset + MAX_LENGTH);
        if (decode(code, offset, end, d)) {
            byte[] bytes = Arrays.copyOfRange(code, offset, offset + d.length);
            return new Instruction(address, bytes, DisasmText.format(d), true);
        }
        int first = code[offset] & 0xFF;
        // WAIT is an instruction of its own when what follows it is not one (SDM Vol. 2B WAIT/FWAIT).
        return new Instruction(address, new byte[] {code[offset]}, DisasmText.undefined(first, bits), first == 0x9B);
    }

    /** Disassembles every instruction of {@code code}, the first at {@code address}. */
    public static List<Instruction> disassembleAll(byte[] code, long address, int bits) {
        List<Instruction> out = new java.util.ArrayList<>();
        int off = 0;
        while (off < code.length) {
            Instruction i = disassemble(code, off, address + off, bits);
            out.add(i);
            off += i.length();
        }
        return out;
    }

    private static boolean decode(byte[] code, int start, int end, Decoded d) {
        int p = start;
        for (;; p++) {
            if (p >= end) {
                return false;
            }
            int b = code[p] & 0xFF;
            switch (b) {
                case 0x66 -> d.opsz = true;
                case 0x67 -> d.adsz = true;
                case 0xF0 -> d.lock = true;
                case 0x9B -> d.wait = true;
                case 0xF2, 0xF3 -> d.rep = b;
                case 0x26, 0x2E, 0x36, 0x3E -> d.seg = (b >> 3) & 3;
                case 0x64, 0x65 -> d.seg = b - 0x60;
                default -> {
                    return decodeOpcode(code, p, end, d, start);
                }
            }
        }
    }

    private static boolean decodeOpcode(byte[] code, int p, int end, Decoded d, int start) {
        d.osize = d.opsz ? 48 - d.bits : d.bits;
        d.asize = d.adsz ? 48 - d.bits : d.bits;
        int key = code[p] & 0xFF;
        if (key == 0x0F) {
            if (p + 1 >= end) {
                return false;
            }
            key = 0x100 | (code[p + 1] & 0xFF);
        }
        for (Form f : Forms.get().byOpcode(key)) {
            if (matches(f, code, p, end, d)) {
                int q = p + f.opcode().length;
                q = f.modrm() == Form.NO_MODRM ? q : readModrm(code, q, end, d);
                if (q < 0) {
                    return false;
                }
                q = readImmediates(f, code, q, end, d);
                if (q < 0) {
                    return false;
                }
                d.form = f;
                d.length = q - start;
                return true;
            }
        }
        return false;
    }

    private static boolean matches(Form f, byte[] code, int p, int end, Decoded d) {
        byte[] op = f.opcode();
        if (p + op.length > end) {
            return false;
        }
        for (int i = 0; i < op.length; i++) {
            int want = op[i] & 0xFF;
            int got = code[p + i] & 0xFF;
            if (i == op.length - 1 && f.plusR()) {
                if ((got & ~7) != want) {
                    return false;
                }
                d.opcodeLow = got & 7;
            } else if (got != want) {
                return false;
            }
        }
        if (f.osize() > 0 && f.osize() != d.osize || f.asize() != 0 && f.asize() != d.asize) {
            return false;
        }
        if (f.has(Form.F_NO66) && d.opsz || f.has(Form.F_NO67) && d.adsz) {
            return false;
        }
        if (f.modrm() == Form.NO_MODRM) {
            return true;
        }
        int q = p + op.length;
        if (q >= end) {
            return false;
        }
        int modrm = code[q] & 0xFF;
        int mod = modrm >> 6;
        int reg = (modrm >> 3) & 7;
        if (f.modrm() >= 0 && reg != f.modrm()) {
            return false;
        }
        int rmIndex = f.rmOperand();
        Kind rmKind = rmIndex < 0 ? null : f.operands().get(rmIndex).kind();
        if (rmKind != null && rmKind.isMem() && mod == 3) {
            return false;
        }
        if (rmKind != null && rmKind.isReg() && mod != 3) {
            return false;
        }
        int regIndex = f.regOperand();
        if (regIndex >= 0) {
            Kind k = f.operands().get(regIndex).kind();
            if (k == Kind.SREG && reg > 5 || k == Kind.CR && (reg == 1 || reg > 4)) {
                return false;
            }
        }
        return true;
    }

    /** Reads ModRM, SIB and displacement (SDM Vol. 2A Tables 2-1 to 2-3); returns the next index or -1. */
    private static int readModrm(byte[] code, int q, int end, Decoded d) {
        int modrm = code[q++] & 0xFF;
        d.mod = modrm >> 6;
        d.reg = (modrm >> 3) & 7;
        d.rm = modrm & 7;
        if (d.mod == 3) {
            return q;
        }
        if (d.asize == 16) {
            d.dispSize = d.mod == 1 ? 1 : d.mod == 2 || d.mod == 0 && d.rm == 6 ? 2 : 0;
        } else {
            if (d.rm == 4) {
                if (q >= end) {
                    return -1;
                }
                int sib = code[q++] & 0xFF;
                d.hasSib = true;
                d.scale = sib >> 6;
                d.index = (sib >> 3) & 7;
                d.base = sib & 7;
            }
            boolean noBase = d.mod == 0 && (d.hasSib ? d.base == 5 : d.rm == 5);
            d.dispSize = d.mod == 1 ? 1 : d.mod == 2 || noBase ? 4 : 0;
        }
        if (q + d.dispSize > end) {
            return -1;
        }
        d.disp = signed(readLe(code, q, d.dispSize), d.dispSize);
        return q + d.dispSize;
    }

    private static int readImmediates(Form f, byte[] code, int q, int end, Decoded d) {
        List<Form.Spec> ops = f.operands();
        for (int i = 0; i < ops.size(); i++) {
            int n = switch (ops.get(i).kind()) {
                case IB, XB, SB, REL8 -> 1;
                case IW -> 2;
                case IV, XV, RELV -> d.osize / 8;
                case PTR -> d.osize / 8 + 2;
                case MOFF8, MOFFV -> d.asize / 8;
                default -> 0;
            };
            if (n == 0) {
                continue;
            }
            if (q + n > end) {
                return -1;
            }
            d.imm[i] = readLe(code, q, n);
            q += n;
        }
        return q;
    }

    static long readLe(byte[] code, int q, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (code[q + i] & 0xFF);
        }
        return v;
    }

    static long signed(long v, int bytes) {
        return switch (bytes) {
            case 1 -> (byte) v;
            case 2 -> (short) v;
            case 4 -> (int) v;
            default -> v;
        };
    }
}
