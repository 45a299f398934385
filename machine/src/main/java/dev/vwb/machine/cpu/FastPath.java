package dev.vwb.machine.cpu;

/**
 * A specialized implementation of one instruction form (say, {@code ADD r32, r32}), chosen once
 * at decode time by {@link FastPaths}. Why: the generic {@link Interpreter} re-discovers the
 * operand size, the operand kinds and the ALU function on every execution; a fast path has
 * them fixed, so the common instructions of compiled code run with no inner dispatch at all.
 * A fast path must behave exactly as the generic path does (a test runs both and compares).
 */
abstract class FastPath {
    /** Executes the instruction and advances EIP, or throws {@link GuestFault} with nothing changed. */
    abstract void run(Cpu c, Insn i);
}
