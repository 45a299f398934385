package dev.vwb.machine.cpu;

/**
 * An exception or interrupt about to be delivered, as an interceptor sees it.
 *
 * @param vector    0–255
 * @param errorCode the error code pushed, or -1 when none is
 * @param eip       the EIP that delivery pushes: the faulting instruction for faults, the next
 *                  instruction for traps and software interrupts
 * @param kind      what raised it
 */
public record ExceptionEvent(int vector, int errorCode, int eip, Kind kind) {
    /** What raised the event. */
    public enum Kind {
        /** A fault or abort the CPU raised while executing an instruction. */
        EXCEPTION,
        /** INT n, INT3 or INTO (INT1, ICEBP, raises #DB as an exception does). */
        SOFTWARE,
        /** A maskable interrupt from the interrupt controller. */
        EXTERNAL
    }

    public boolean hasErrorCode() {
        return errorCode >= 0;
    }

    @Override
    public String toString() {
        return Vectors.name(vector) + (hasErrorCode() ? String.format(" error=%04X", errorCode) : "")
                + String.format(" at EIP=%08X (%s)", eip, kind.name().toLowerCase());
    }
}
