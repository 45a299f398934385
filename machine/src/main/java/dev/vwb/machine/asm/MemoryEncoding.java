package dev.vwb.machine.asm;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * ModRM, SIB and displacement for a memory operand (SDM Vol. 2A Tables 2-1 to 2-3), chosen as
 * NASM chooses: the shortest displacement, {@code [bp]}/{@code [ebp]} with a zero disp8, the
 * first register written as the base, and {@code [eax*2]} as {@code [eax+eax]} (NASM 3.3).
 */
final class MemoryEncoding {
    private MemoryEncoding() {
    }

    /** A bad address, with a message for the student. */
    static final class Bad extends Exception {
        Bad(String message) {
            super(message, null, false, false);
        }
    }

    /** The address size a memory value implies: 16 or 32 by its registers, else {@code dflt}. */
    static int addressSize(Expr.Value v, int dflt) throws Bad {
        int size = 0;
        for (Regs.Reg r : v.regs().keySet()) {
            int s = r.size();
            if (s != 16 && s != 32) {
                throw new Bad("'" + r.name() + "' cannot be used in an address");
            }
            if (size != 0 && s != size) {
                throw new Bad("16-bit and 32-bit registers cannot be mixed in one address");
            }
            size = s;
        }
        return size == 0 ? dflt : size;
    }

    /** Writes ModRM (with {@code reg} in bits 5-3), SIB and displacement. */
    static void write(ByteArrayOutputStream out, int reg, Expr.Value v, int asize, int dispSize) throws Bad {
        if (asize == 16) {
            write16(out, reg, v, dispSize);
        } else {
            write32(out, reg, v, dispSize);
        }
    }

    private static void write16(ByteArrayOutputStream out, int reg, Expr.Value v, int dispSize) throws Bad {
        int bx = 0;
        int bp = 0;
        int si = 0;
        int di = 0;
        for (Map.Entry<Regs.Reg, Long> e : v.regs().entrySet()) {
            if (e.getValue() != 1) {
                throw new Bad("16-bit addresses cannot scale a register");
            }
            switch (e.getKey().name()) {
                case "bx" -> bx++;
                case "bp" -> bp++;
                case "si" -> si++;
                case "di" -> di++;
                default -> throw new Bad("'" + e.getKey().name() + "' cannot be used in a 16-bit address (only bx, bp, si, di)");
            }
        }
        if (bx + bp > 1 || si + di > 1) {
            throw new Bad("a 16-bit address has at most one of bx/bp and one of si/di");
        }
        long disp = v.k();
        if (bx + bp + si + di == 0) {
            out.write(0x06 | reg << 3);
            le(out, disp, 2);
            return;
        }
        int rm = bx == 1 ? si == 1 ? 0 : di == 1 ? 1 : 7 : bp == 1 ? si == 1 ? 2 : di == 1 ? 3 : 6 : si == 1 ? 4 : 5;
        int mod = mod(disp, dispSize, rm == 6 && bp == 1 && si + di == 0, 16, v.known());
        out.write(mod << 6 | reg << 3 | rm);
        le(out, disp, mod == 1 ? 1 : mod == 2 ? 2 : 0);
    }

    private static void write32(ByteArrayOutputStream out, int reg, Expr.Value v, int dispSize) throws Bad {
        List<Regs.Reg> regs = new ArrayList<>(v.regs().keySet());
        Regs.Reg base = null;
        Regs.Reg index = null;
        long scale = 1;
        for (Regs.Reg r : regs) {
            long c = v.regs().get(r);
            if (c == 1 && base == null) {
                base = r;
            } else if (index == null) {
                index = r;
                scale = c;
            } else {
                throw new Bad("an address has at most two registers");
            }
        }
        if (base == null && index != null && (scale == 2 || scale == 3 || scale == 5 || scale == 9)) {
            base = index; // [eax*2] is [eax+eax*1]; [eax*3] is [eax+eax*2] (NASM 3.3)
            scale -= 1;
        }
        if (index != null && scale != 1 && scale != 2 && scale != 4 && scale != 8) {
            throw new Bad("an index register can only be scaled by 1, 2, 4 or 8");
        }
        if (index != null && index.n() == 4) {
            if (scale != 1 || base != null && base.n() == 4) {
                throw new Bad("esp cannot be an index register");
            }
            Regs.Reg t = base;
            base = index;
            index = t;
        }
        long disp = v.k();
        if (base == null && index == null) {
            out.write(0x05 | reg << 3);
            le(out, disp, 4);
            return;
        }
        int ss = scale == 8 ? 3 : scale == 4 ? 2 : scale == 2 ? 1 : 0;
        if (base == null) {
            out.write(0x04 | reg << 3);
            out.write(ss << 6 | index.n() << 3 | 5);
            le(out, disp, 4);
            return;
        }
        int mod = mod(disp, dispSize, base.n() == 5, 32, v.known());
        if (index == null && base.n() != 4) {
            out.write(mod << 6 | reg << 3 | base.n());
        } else {
            out.write(mod << 6 | reg << 3 | 4);
            out.write(ss << 6 | (index == null ? 4 : index.n()) << 3 | base.n());
        }
        le(out, disp, mod == 1 ? 1 : mod == 2 ? 4 : 0);
    }

    private static int mod(long disp, int dispSize, boolean bpBase, int asize, boolean known) {
        if (dispSize == 8) {
            return 1;
        }
        if (dispSize == 16 || dispSize == 32) {
            return 2;
        }
        long d = asize == 16 ? (short) disp : (int) disp;
        if (d == 0 && !bpBase && known) {
            return 0;
        }
        return d >= -128 && d <= 127 ? 1 : 2;
    }

    static void le(ByteArrayOutputStream out, long v, int n) {
        for (int i = 0; i < n; i++) {
            out.write((int) (v >>> (8 * i)) & 0xFF);
        }
    }
}
