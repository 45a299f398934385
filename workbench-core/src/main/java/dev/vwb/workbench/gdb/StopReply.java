package dev.vwb.workbench.gdb;

import dev.vwb.tracing.BreakReport;
import dev.vwb.workbench.RunReport;
import dev.vwb.workbench.Vm;

/**
 * What gdb is told when the guest stops: the stop-reply packet, and a line of explanation sent
 * before it as console output (an {@code O} packet) where the signal alone would mislead.
 *
 * <pre>
 *   step done, Z0/Z1 hit, gdb's watchpoint     T05thread:01;  with swbreak:; hwbreak:; watch:ADDR; ...
 *   Ctrl-C (Vm.stop)                           T02thread:01;  (SIGINT)
 *   halted, intercepted, a REPL breakpoint     T05thread:01;  with the reason as a line
 *   an exception loop (no progress)            T0bthread:01;  (SIGSEGV) with the reason
 *   the guest wrote the exit device (F4h)      Wxx  xx = the status QEMU would exit with, (v << 1) | 1
 *   a triple fault shut the CPU down           X0b  (terminated by SIGSEGV) with the reason
 * </pre>
 *
 * @param packet     the stop reply
 * @param message    the line for gdb's console, or "" for none
 * @param guestEnded whether the guest can no longer run (W or X: gdb forgets the process)
 */
record StopReply(String packet, String message, boolean guestEnded) {
    static final int SIGINT = 2;
    static final int SIGTRAP = 5;
    static final int SIGSEGV = 11;
    /** The one thread there is: the CPU. */
    static final String THREAD = "thread:01;";

    /** A stop with {@code signal} and extra stop-reply fields ({@code swbreak:;} ...). */
    static StopReply signal(int signal, String fields, String message) {
        return new StopReply("T" + Hex.byte2(signal) + fields + THREAD, message, false);
    }

    /** The reply to {@code ?} before anything ran: stopped, as by a breakpoint. */
    static StopReply attached() {
        return signal(SIGTRAP, "", "");
    }

    /** The reply for a run that ended with {@code r}; {@code fresh} is the breakpoint report made during it, or null. */
    static StopReply of(RunReport r, BreakReport fresh, GdbPoints points, Vm vm) {
        String where = " at " + r.where();
        return switch (r.outcome()) {
            case COMPLETED, BUDGET_USED, CONDITION_MET -> signal(SIGTRAP, "", "");
            case STOPPED -> signal(SIGINT, "", "");
            case BREAKPOINT -> breakpoint(r, fresh, points);
            case HALTED -> signal(SIGTRAP, "", "vwb: the guest halted (HLT with nothing that could wake the CPU)" + where
                    + "; continuing resumes after the HLT");
            case INTERCEPTED -> signal(SIGTRAP, "", "vwb: an exception interceptor stopped the guest" + where
                    + detail(r));
            case NO_PROGRESS -> signal(SIGSEGV, "", "vwb: " + r.detail() + where);
            case EXITED -> new StopReply("W" + Hex.byte2(vm.machine().exitDevice().exitStatus() & 0xFF),
                    "vwb: the guest powered off: " + r.detail(), true);
            case SHUT_DOWN -> new StopReply("X" + Hex.byte2(SIGSEGV), "vwb: the CPU shut down" + detail(r) + where, true);
        };
    }

    private static StopReply breakpoint(RunReport r, BreakReport fresh, GdbPoints points) {
        String reason = points.reason(fresh);
        if (!reason.isEmpty()) {
            return signal(SIGTRAP, reason, "");
        }
        return signal(SIGTRAP, "", "vwb: stopped by " + (r.detail().isEmpty() ? "a breakpoint" : r.detail()));
    }

    private static String detail(RunReport r) {
        return r.detail().isEmpty() ? "" : ": " + r.detail();
    }
}
