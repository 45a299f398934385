package dev.vwb.workbench;

import dev.vwb.machine.Machine;
import dev.vwb.tracing.BreakReport;
import dev.vwb.tracing.Breakpoint;
import dev.vwb.tracing.Breakpoints;

/**
 * A VM's breakpoints: the tracing module's {@link Breakpoints}, made on first use (so a VM
 * without breakpoints installs no hook), with the workbench's conventions on top: symbols are
 * reached as {@link Symbols#reached} says, refusals are one-line {@link WorkbenchException}s,
 * and a run that a breakpoint stopped is explained by that breakpoint's report.
 *
 * <p>It exists apart from {@link Vm} and {@link RunLoop} because those conventions are the
 * one place where the object model and the tracing module meet.
 */
final class VmBreakpoints {
    private final Machine machine;
    private final GuestSpace space;
    private Breakpoints breakpoints;

    VmBreakpoints(Machine machine, GuestSpace space) {
        this.machine = machine;
        this.space = space;
    }

    /** The set, made on first use. */
    Breakpoints all() {
        if (breakpoints == null) {
            breakpoints = Breakpoints.on(machine);
        }
        return breakpoints;
    }

    /** Before the instruction at {@code linear}; refused when it is unmapped now or outside memory. */
    Breakpoint at(long linear) {
        try {
            if (space instanceof GuestSpace.Virtualized) {
                // The real page tables are the hypervisor's shadows, filled as the guest runs:
                // whether the guest maps the address is a question for the guest's own tables.
                PageWalk w = PageWalker.walk(space, linear & 0xFFFF_FFFFL, Access.READ);
                if (w.faults()) {
                    throw new WorkbenchException(String.format("no breakpoint at %08X: the guest's page tables do not map it",
                            linear & 0xFFFF_FFFFL));
                }
                return all().atLinear(linear);
            }
            return all().atAddress(linear);
        } catch (IllegalArgumentException e) {
            throw new WorkbenchException(e.getMessage());
        }
    }

    /**
     * Before the instruction at {@code symbol}'s value: in protected mode a linear address (as
     * {@link #at}); in real mode a linear address or an offset in CS.
     */
    Breakpoint at(String symbol, Symbols symbols) {
        long a = symbols.address(symbol) & 0xFFFF_FFFFL;
        if (machine.cpu().isProtectedMode()) {
            return at(a);
        }
        return all().when("at " + symbol, cpu -> Symbols.reached(cpu, a));
    }

    /** The report of the last hit, or null: taken before a run, so that {@link #reportSince} knows what is new. */
    BreakReport last() {
        return breakpoints == null ? null : breakpoints.lastReport().orElse(null);
    }

    /** The report of a hit after {@code seen} was the last, or null if there was none. */
    BreakReport reportSince(BreakReport seen) {
        BreakReport now = last();
        return now != seen ? now : null;
    }
}
