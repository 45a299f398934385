package dev.vwb.machine.cpu;

/**
 * Consulted before each instruction while attached (execution breakpoints): returning true stops
 * the run with EIP at that instruction, not executed. The hook decides what resuming means; a
 * debugger typically lets the instruction it stopped at run once before it checks it again.
 * While a hook is attached, nothing is translated or run in translated blocks.
 */
@FunctionalInterface
public interface ExecutionHook {
    /** @param eip the offset in CS of the instruction about to execute */
    boolean stopBefore(Cpu cpu, int eip);
}
