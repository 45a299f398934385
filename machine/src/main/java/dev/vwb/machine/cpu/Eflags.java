package dev.vwb.machine.cpu;

/** EFLAGS bits, named as in the Intel SDM Vol. 1 §3.4.3. */
public final class Eflags {
    private Eflags() {
    }

    /** Carry: unsigned overflow out of the most significant bit. */
    public static final int CF = 1 << 0;
    /** Reserved, always reads as 1. */
    public static final int FIXED_1 = 1 << 1;
    /** Parity: the low byte of the result has an even number of set bits. */
    public static final int PF = 1 << 2;
    /** Auxiliary carry: carry or borrow out of bit 3 (for BCD). */
    public static final int AF = 1 << 4;
    /** Zero result. */
    public static final int ZF = 1 << 6;
    /** Sign: the result's most significant bit. */
    public static final int SF = 1 << 7;
    /** Trap: single-step, #DB after each instruction. */
    public static final int TF = 1 << 8;
    /** Interrupt enable: maskable interrupts are accepted. */
    public static final int IF = 1 << 9;
    /** Direction: string instructions step downwards. */
    public static final int DF = 1 << 10;
    /** Overflow: signed overflow. */
    public static final int OF = 1 << 11;
    /** I/O privilege level (two bits). */
    public static final int IOPL = 3 << 12;
    public static final int IOPL_SHIFT = 12;
    /** Nested task. */
    public static final int NT = 1 << 14;
    /** Resume: suppress instruction breakpoints for one instruction. */
    public static final int RF = 1 << 16;
    /** Virtual-8086 mode. */
    public static final int VM = 1 << 17;
    /** Alignment check (486+). */
    public static final int AC = 1 << 18;
    /** CPUID available: software can toggle this bit. */
    public static final int ID = 1 << 21;

    /** The six arithmetic status flags. */
    public static final int ARITH = CF | PF | AF | ZF | SF | OF;
    /** The bits this CPU implements; all others read as 0 (except bit 1). */
    public static final int IMPLEMENTED = ARITH | TF | IF | DF | IOPL | NT | RF | VM | AC | ID;

    /** A readable rendering such as {@code [ CF ZF IF ]}. */
    public static String describe(int eflags) {
        StringBuilder sb = new StringBuilder("[");
        String[] names = {"CF", "", "PF", "", "AF", "", "ZF", "SF", "TF", "IF", "DF", "OF"};
        for (int bit = 0; bit < names.length; bit++) {
            if (!names[bit].isEmpty() && (eflags & (1 << bit)) != 0) {
                sb.append(' ').append(names[bit]);
            }
        }
        int iopl = (eflags & IOPL) >>> IOPL_SHIFT;
        if (iopl != 0) {
            sb.append(" IOPL=").append(iopl);
        }
        if ((eflags & NT) != 0) sb.append(" NT");
        if ((eflags & RF) != 0) sb.append(" RF");
        if ((eflags & VM) != 0) sb.append(" VM");
        if ((eflags & AC) != 0) sb.append(" AC");
        if ((eflags & ID) != 0) sb.append(" ID");
        return sb.append(" ]").toString();
    }
}
