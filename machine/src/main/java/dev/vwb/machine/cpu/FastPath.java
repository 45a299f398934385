package dev.vwb.machine.cpu;

/**
 * A specialized implementation of one instruction form (say, {@code ADD r32, r32}), chosen once
 * at decode time by {@link FastPaths}. Why: the generic {@link Interpreter} re-discovers the
 * operand size, the operand kinds and the ALU function on every execution; a fast path has
 * them fixed, so the common instructions of compiled code run with no inner dispatch at all.
 * A fast path must behave exactly as the generic path does (a test runs both and compares).
 *
 * <p>Each fast path is backed by a static <em>kernel</em> method {@code (Cpu, Insn) -> void}
 * in {@link FastPaths}, which the {@link BlockCompiler} calls directly from translated code.
 */
abstract class FastPath {
    /** Whether it may move EIP anywhere but to the next instruction (it then ends a block). */
    final boolean branch;
    /** The name of its static kernel method in {@link FastPaths}. */
    final String kernel;

    FastPath(boolean branch, String kernel) {
        this.branch = branch;
        this.kernel = kernel;
    }

    /** Executes the instruction and advances EIP, or throws {@link GuestFault} with nothing changed. */
    abstract void run(Cpu c, Insn i);
}
