package dev.vwb.machine;

/**
 * Why {@link Machine#run} returned, and how far it got.
 *
 * @param reason       why the run stopped
 * @param instructions instructions retired during this run
 * @param detail       a one-line human explanation (the exit value, the exception, ...)
 */
public record RunResult(StopReason reason, long instructions, String detail) {
    @Override
    public String toString() {
        return reason + " after " + instructions + " instructions" + (detail.isEmpty() ? "" : ": " + detail);
    }
}
