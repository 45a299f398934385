package dev.vwb.machine.asm;

/** The operand kinds of {@link InsnTable} rows; see there for the spelling of each. */
enum Kind {
    R8(8), R16(16), R32(32), RV(0),
    RM8(8), RM16(16), RM32(32), RMV(0),
    M(-1), M16(16), M32(32), M64(64), MV(0),
    AL(8), AV(0), CL(8), DX(16), CX(16), ECX(32), ONE(-1),
    ES(-1), CS(-1), SS(-1), DS(-1), FS(-1), GS(-1), SREG(-1), CR(-1), DR(-1),
    IB(8), IW(16), IV(0), XB(8), XV(0), SB(0),
    REL8(8), RELV(0), PTR(0), MOFF8(8), MOFFV(0);

    /** The operand's size in bits: 0 means the operand size (16 or 32), -1 none. */
    final int bits;

    Kind(int bits) {
        this.bits = bits;
    }

    static Kind parse(String s) {
        return valueOf(s.toUpperCase(java.util.Locale.ROOT));
    }

    /** A general register in ModRM.reg or the opcode's low bits. */
    boolean isReg() {
        return this == R8 || this == R16 || this == R32 || this == RV;
    }

    /** A ModRM r/m operand (register or memory, or memory only). */
    boolean isRm() {
        return this == RM8 || this == RM16 || this == RM32 || this == RMV || isMem();
    }

    boolean isMem() {
        return this == M || this == M16 || this == M32 || this == M64 || this == MV;
    }

    boolean isImm() {
        return this == IB || this == IW || this == IV || this == XB || this == XV || this == SB;
    }

    boolean isRel() {
        return this == REL8 || this == RELV;
    }

    boolean isSeg() {
        return ordinal() >= ES.ordinal() && ordinal() <= GS.ordinal();
    }

    /** The segment register number (ES=0 .. GS=5) of a fixed segment kind. */
    int segNumber() {
        return ordinal() - ES.ordinal();
    }

    /** The operand's size for operand size {@code osize}. */
    int size(int osize) {
        return bits == 0 ? osize : bits;
    }
}
