package dev.vwb.machine;

/** The ways a run of the machine ends. */
public enum StopReason {
    /** The guest wrote to the exit device at port 0xF4. */
    EXIT_DEVICE,
    /** HLT with nothing that could wake the CPU. */
    HALTED,
    /** The instruction budget given to {@code run} is used up. */
    INSTRUCTION_LIMIT,
    /** {@link Machine#requestStop()} was called, typically from another thread. */
    STOP_REQUESTED,
    /** A triple fault: the CPU shut down, as a real one does before the chipset resets it. */
    SHUTDOWN,
    /** An exception interceptor asked to stop before the exception was delivered. */
    INTERCEPTED,
    /** An execution hook (a breakpoint) stopped the run before an instruction. */
    BREAKPOINT
}
