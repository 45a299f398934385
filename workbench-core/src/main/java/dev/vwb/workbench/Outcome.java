package dev.vwb.workbench;

/** Why a step or run of a {@link Vm} ended. */
public enum Outcome {
    /** {@code step(n)} retired the n instructions it was asked for. */
    COMPLETED,
    /** {@code run()} used up its instruction budget ({@link Vm#budget()}). */
    BUDGET_USED,
    /** The condition of {@code runUntil} became true. */
    CONDITION_MET,
    /** {@link Vm#stop()} was called (from another thread). */
    STOPPED,
    /** HLT with nothing that could wake the CPU; running again resumes after the HLT. */
    HALTED,
    /** The guest wrote the exit device (port F4h): it powered off. */
    EXITED,
    /** A triple fault shut the CPU down. */
    SHUT_DOWN,
    /**
     * A breakpoint stopped the run: before an instruction (an execution breakpoint), or after one
     * (a watchpoint, or a vector breakpoint at the handler); the report's detail says which.
     */
    BREAKPOINT,
    /** An exception interceptor stopped the run before delivering an exception. */
    INTERCEPTED,
    /** The CPU only delivered exceptions, retiring no instruction (an exception loop). */
    NO_PROGRESS;

    /** Whether the machine can go on after this without a reset or a restore. */
    public boolean resumable() {
        return this != EXITED && this != SHUT_DOWN;
    }
}
