package dev.vwb.machine.cpu;

/** The eight general registers, in the order x86 encodes them in ModRM and opcode bytes. */
public enum Reg32 {
    EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI;

    private static final Reg32[] BY_NUMBER = values();

    /** The register with encoding {@code n} (0–7). */
    public static Reg32 of(int n) {
        return BY_NUMBER[n];
    }
}
