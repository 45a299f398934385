package dev.vwb.machine.cpu;

import static dev.vwb.machine.cpu.Eflags.AF;
import static dev.vwb.machine.cpu.Eflags.ARITH;
import static dev.vwb.machine.cpu.Eflags.CF;
import static dev.vwb.machine.cpu.Eflags.OF;
import static dev.vwb.machine.cpu.Eflags.PF;
import static dev.vwb.machine.cpu.Eflags.SF;
import static dev.vwb.machine.cpu.Eflags.ZF;

/**
 * EFLAGS with lazily computed arithmetic flags.
 *
 * <p>Why lazy: most instructions write all six status flags and the next flag-writing
 * instruction overwrites them unread. So an ALU op only records its operands, result, kind and
 * width (four field stores); the flags are derived when something reads them (Jcc, PUSHF, ...).
 * Instructions whose flag rules are irregular (shifts, multiply, BCD) set them eagerly with
 * {@link #setArith}.
 */
final class Flags {
    // Kinds of the last flag-setting operation.
    static final int EAGER = 0;  // all six flags are in `stored`
    static final int ADD = 1;
    static final int ADC = 2;
    static final int SUB = 3;
    static final int SBB = 4;
    static final int LOGIC = 5;
    static final int INC = 6;    // CF is in `stored`
    static final int DEC = 7;    // CF is in `stored`
    static final int NEG = 8;

    private static final byte[] PARITY = new byte[256];

    static {
        for (int i = 0; i < 256; i++) {
            PARITY[i] = (byte) ((Integer.bitCount(i) & 1) == 0 ? PF : 0);
        }
    }

    /** Every EFLAGS bit; the ARITH bits are valid only when {@code kind == EAGER} (CF also for INC/DEC). */
    int stored = Eflags.FIXED_1;
    int kind = EAGER;
    /** Operand width of the lazy operation in bits: 8, 16 or 32. */
    int bits = 32;
    int a;
    int b;
    int r;
    /** Carry-in of ADC/SBB. */
    int cin;

    /** Ints {@link #save} writes. */
    static final int SAVED_SIZE = 7;

    /** Copies the lazy state as it is, without working out the flags (cheap: no branch on the kind). */
    void save(int[] into, int at) {
        into[at] = stored;
        into[at + 1] = kind;
        into[at + 2] = bits;
        into[at + 3] = a;
        into[at + 4] = b;
        into[at + 5] = r;
        into[at + 6] = cin;
    }

    /** EFLAGS from a state {@link #save} wrote. */
    static int evaluate(int[] saved, int at) {
        Flags f = new Flags();
        f.stored = saved[at];
        f.kind = saved[at + 1];
        f.bits = saved[at + 2];
        f.a = saved[at + 3];
        f.b = saved[at + 4];
        f.r = saved[at + 5];
        f.cin = saved[at + 6];
        return f.get();
    }

    // ---- recording (the hot path) ---------------------------------------------------------

    void set(int kind, int bits, int a, int b, int r) {
        this.kind = kind;
        this.bits = bits;
        this.a = a;
        this.b = b;
        this.r = r;
    }

    void setWithCarry(int kind, int bits, int a, int b, int r, int cin) {
        this.cin = cin;
        set(kind, bits, a, b, r);
    }

    /** INC and DEC leave CF alone: fix its current value before the lazy state changes. */
    void setIncDec(int kind, int bits, int a, int r) {
        if (this.kind != EAGER && this.kind != INC && this.kind != DEC) {
            stored = (stored & ~CF) | (cf() ? CF : 0);
        }
        set(kind, bits, a, 1, r);
    }

    /** Sets the six status flags directly from a mask of those that are set. */
    void setArith(int flagsSet) {
        stored = (stored & ~ARITH) | (flagsSet & ARITH);
        kind = EAGER;
    }

    /** ZF, SF and PF of a result of the given width, as a flag mask. */
    static int szp(int bits, int result) {
        int shift = 32 - bits;
        int v = result << shift;
        return (v == 0 ? ZF : 0) | (v < 0 ? SF : 0) | PARITY[result & 0xFF];
    }

    static int parity(int value) {
        return PARITY[value & 0xFF];
    }

    // ---- reading ---------------------------------------------------------------------------

    private int mask() {
        return bits == 32 ? -1 : (1 << bits) - 1;
    }

    boolean cf() {
        switch (kind) {
            case EAGER:
            case INC:
            case DEC:
                return (stored & CF) != 0;
            case ADD: {
                int m = mask();
                return Integer.compareUnsigned(r & m, a & m) < 0;
            }
            case ADC: {
                int m = mask();
                int rm = r & m;
                int am = a & m;
                return Integer.compareUnsigned(rm, am) < 0 || (cin != 0 && rm == am);
            }
            case SUB: {
                int m = mask();
                return Integer.compareUnsigned(a & m, b & m) < 0;
            }
            case SBB: {
                int m = mask();
                int am = a & m;
                int bm = b & m;
                return Integer.compareUnsigned(am, bm) < 0 || (cin != 0 && am == bm);
            }
            case LOGIC:
                return false;
            case NEG:
                return (b & mask()) != 0;
            default:
                throw new IllegalStateException("flag kind " + kind);
        }
    }

    boolean zf() {
        if (kind == EAGER) {
            return (stored & ZF) != 0;
        }
        return (r << (32 - bits)) == 0;
    }

    boolean sf() {
        if (kind == EAGER) {
            return (stored & SF) != 0;
        }
        return (r << (32 - bits)) < 0;
    }

    boolean pf() {
        if (kind == EAGER) {
            return (stored & PF) != 0;
        }
        return PARITY[r & 0xFF] != 0;
    }

    boolean af() {
        switch (kind) {
            case EAGER:
                return (stored & AF) != 0;
            case LOGIC:
                return false;
            default:
                return ((a ^ b ^ r) & 0x10) != 0;
        }
    }

    boolean of() {
        int sign = 1 << (bits - 1);
        switch (kind) {
            case EAGER:
                return (stored & OF) != 0;
            case ADD:
            case ADC:
                return ((a ^ r) & (b ^ r) & sign) != 0;
            case SUB:
            case SBB:
                return ((a ^ b) & (a ^ r) & sign) != 0;
            case INC:
                return (r & mask()) == sign;
            case DEC:
                return (a & mask()) == sign;
            case NEG:
                return (b & mask()) == sign;
            case LOGIC:
                return false;
            default:
                throw new IllegalStateException("flag kind " + kind);
        }
    }

    /** The full EFLAGS value, worked out in one pass for the lazy kind. */
    int get() {
        if (kind == EAGER) {
            return stored;
        }
        int f = (stored & ~ARITH) | szp(bits, r);
        int sign = 1 << (bits - 1);
        int m = mask();
        switch (kind) {
            case ADD:
            case ADC: {
                int rm = r & m;
                int am = a & m;
                boolean carry = Integer.compareUnsigned(rm, am) < 0 || (kind == ADC && cin != 0 && rm == am);
                return f | (carry ? CF : 0) | ((a ^ b ^ r) & AF) | (((a ^ r) & (b ^ r) & sign) != 0 ? OF : 0);
            }
            case SUB:
            case SBB: {
                int am = a & m;
                int bm = b & m;
                boolean borrow = Integer.compareUnsigned(am, bm) < 0 || (kind == SBB && cin != 0 && am == bm);
                return f | (borrow ? CF : 0) | ((a ^ b ^ r) & AF) | (((a ^ b) & (a ^ r) & sign) != 0 ? OF : 0);
            }
            case LOGIC:
                return f;
            case INC:
                return f | (stored & CF) | ((a ^ b ^ r) & AF) | ((r & m) == sign ? OF : 0);
            case DEC:
                return f | (stored & CF) | ((a ^ b ^ r) & AF) | ((a & m) == sign ? OF : 0);
            case NEG:
                return f | ((b & m) != 0 ? CF : 0) | ((a ^ b ^ r) & AF) | ((b & m) == sign ? OF : 0);
            default:
                throw new IllegalStateException("flag kind " + kind);
        }
    }

    /** Replaces every bit (the caller has already applied which bits may change). */
    void put(int eflags) {
        stored = (eflags & Eflags.IMPLEMENTED) | Eflags.FIXED_1;
        kind = EAGER;
    }

    /** Materializes the lazy flags, so that single bits of {@code stored} can be edited. */
    void materialize() {
        if (kind != EAGER) {
            stored = get();
            kind = EAGER;
        }
    }

    void setBit(int bit, boolean on) {
        materialize();
        stored = on ? stored | bit : stored & ~bit;
    }

    /**
     * Evaluates condition code {@code cc} (the low nibble of Jcc/SETcc/CMOVcc), SDM Vol. 1 Appendix B.
     * The comparison kinds take a shortcut: after CMP/SUB the condition is a direct comparison.
     */
    boolean condition(int cc) {
        boolean v;
        if ((cc >> 1) == 2) {
            v = kind == EAGER ? (stored & ZF) != 0 : (r << (32 - bits)) == 0;  // Z/NZ, the commonest
        } else if (kind == SUB) {
            int shift = 32 - bits;
            int x = a << shift;
            int y = b << shift;
            switch (cc >> 1) {
                case 1: v = Integer.compareUnsigned(x, y) < 0; break;      // B
                case 2: v = x == y; break;                                  // Z
                case 3: v = Integer.compareUnsigned(x, y) <= 0; break;     // BE
                case 6: v = x < y; break;                                   // L
                case 7: v = x <= y; break;                                  // LE
                default: v = slowCondition(cc >> 1);
            }
        } else {
            v = slowCondition(cc >> 1);
        }
        return v ^ ((cc & 1) != 0);
    }

    private boolean slowCondition(int c) {
        switch (c) {
            case 0: return of();
            case 1: return cf();
            case 2: return zf();
            case 3: return cf() || zf();
            case 4: return sf();
            case 5: return pf();
            case 6: return sf() != of();
            default: return zf() || sf() != of();
        }
    }
}
