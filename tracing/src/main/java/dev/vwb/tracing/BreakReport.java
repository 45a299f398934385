package dev.vwb.tracing;

import java.util.Optional;

/**
 * Why and where a run stopped at a breakpoint.
 *
 * @param breakpoint  the breakpoint's number
 * @param condition   its condition, as text
 * @param cs          the CS selector of the instruction
 * @param eip         the instruction's offset in CS: for execution breakpoints the one about to
 *                    run; for watchpoints the one that made the access; for vectors the EIP the
 *                    delivery pushes
 * @param linear      CS base + EIP
 * @param instruction the instruction's disassembly
 * @param access      for watchpoints: the access that fired it
 * @param exception   for vector breakpoints: the exception or interrupt
 * @param error       when a predicate threw: what it threw (the breakpoint is then disabled)
 */
public record BreakReport(int breakpoint, String condition, int cs, int eip, int linear, String instruction,
                          Optional<WatchedAccess> access, Optional<String> exception,
                          Optional<String> error) {

    /** A memory or port access that fired a watchpoint. */
    public record WatchedAccess(boolean port, int address, int size, int value, boolean write) {
        @Override
        public String toString() {
            String what = port ? String.format("port %04X", address) : String.format("[%08X]", address);
            return String.format("%s of %s %0" + 2 * size + "X at %s", write ? (port ? "out" : "write") : (port ? "in" : "read"),
                    TextPrinter.sizeName(size), value, what);
        }
    }

    @Override
    public String toString() {
        return "breakpoint " + breakpoint + " (" + condition + ")"
                + access.map(a -> ": " + a).orElse("")
                + exception.map(e -> ": " + e).orElse("")
                + error.map(e -> ": " + e).orElse("")
                + String.format(" at %04X:%08X (linear %08X): %s", cs, eip, linear, instruction);
    }
}
