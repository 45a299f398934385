package dev.vwb.workbench;

import dev.vwb.machine.Machine;
import dev.vwb.machine.RunResult;
import dev.vwb.machine.StopReason;
import dev.vwb.tracing.BreakReport;
import java.util.Optional;

/**
 * The run loop behind {@link Vm#step}, {@link Vm#run} and {@link Vm#runUntil}: it runs the
 * machine in chunks, and between chunks looks at stop requests and lets {@link TimeTravel} take
 * checkpoints; it checks a {@code runUntil} condition after every instruction (a retire
 * listener); and it turns the machine's stop reason into an {@link Outcome}, remembering when the
 * machine cannot go on (it powered off or shut down) and the registers before the run (which
 * {@link Vm#registers()} compares with). It also holds the budget of {@code run} and
 * {@code runUntil}.
 *
 * <p>It exists apart from {@link Vm} because it holds all of the VM's state that another thread
 * may touch ({@link #stop()} is the one call allowed while a run is in progress) and its
 * per-instruction callback; the VM around it only reads and changes state between runs.
 */
final class RunLoop {
    /** Runs are cut into chunks this long, where stop requests and checkpoints are looked at. */
    private static final long CHUNK = 100_000;
    /** Steps in a row that retire nothing before a run is called an exception loop. */
    private static final long NO_PROGRESS_STEPS = 10_000;

    private final Vm vm;
    private final Machine machine;
    private final TimeTravel timeTravel;
    private final VmBreakpoints breakpoints;
    private long budget = Vm.DEFAULT_BUDGET;
    private volatile boolean stopRequested;
    private volatile boolean running;
    /** Set while a condition stops the run, so the breakpoint stop is reported as the condition. */
    private boolean conditionMet;
    private RuntimeException conditionFailure;
    /** Why the machine cannot go on (it exited or shut down), or null. */
    private String ended;
    /** The registers before the last run, or null after the state was replaced. */
    private Registers before;

    RunLoop(Vm vm, Machine machine, TimeTravel timeTravel, VmBreakpoints breakpoints) {
        this.vm = vm;
        this.machine = machine;
        this.timeTravel = timeTravel;
        this.breakpoints = breakpoints;
    }

    /** Instructions {@code run} and {@code runUntil} may take. */
    long budget() {
        return budget;
    }

    void setBudget(long instructions) {
        if (instructions < 1) {
            throw new WorkbenchException("the budget must be at least one instruction, not " + instructions);
        }
        budget = instructions;
    }

    /**
     * Runs {@code count} instructions, or until the condition (if any) holds, the guest stops, a
     * breakpoint or a stop request intervenes; {@code done} is the outcome when the count runs out.
     */
    RunReport run(long count, Condition condition, Outcome done) {
        checkCanRun();
        before = Registers.capture(machine.cpu(), null);
        long start = vm.time();
        long target = start + count;
        running = true;
        stopRequested = false;
        conditionMet = false;
        conditionFailure = null;
        AutoCloseable listener = condition == null ? null : watch(condition);
        try {
            timeTravel.checkpointIfDue();
            long idleSteps = 0;
            while (true) {
                if (stopRequested) {
                    return report(Outcome.STOPPED, start, "stopped on request");
                }
                long remaining = target - vm.time();
                if (remaining <= 0) {
                    if (done == Outcome.BUDGET_USED && vm.virtualized()) {
                        // The watchdog: a guest that used up its budget with its interrupts off is a contained exit.
                        vm.hypervisor().afterRun(new RunResult(StopReason.INSTRUCTION_LIMIT, vm.time() - start, ""));
                    }
                    return report(done, start, "");
                }
                long t0 = vm.time();
                BreakReport seen = breakpoints.last();
                RunResult r = machine.run(Math.min(remaining, Math.min(CHUNK, timeTravel.minGap())));
                if (conditionFailure != null) {
                    throw new WorkbenchException("the condition threw " + conditionFailure
                            + " at " + vm.where() + "; the run stopped there", conditionFailure);
                }
                if (r.reason() != StopReason.INSTRUCTION_LIMIT) {
                    return stopped(r, start, seen);
                }
                if (vm.time() == t0) {
                    // Steps that retire nothing: deliveries, or a hypervisor's exits (a shadow page
                    // filled, then the instruction again). Many in a row are an exception loop.
                    idleSteps += r.instructions();
                    if (idleSteps > NO_PROGRESS_STEPS) {
                        return report(Outcome.NO_PROGRESS, start, "the CPU delivered exceptions without retiring"
                                + " an instruction (an exception loop?)");
                    }
                    continue;
                }
                idleSteps = 0;
                timeTravel.checkpointIfDue();
            }
        } finally {
            running = false;
            stopRequested = false;
            close(listener);
        }
    }

    /** A retire listener that stops the run, before the next instruction, when the condition holds. */
    private AutoCloseable watch(Condition condition) {
        return machine.cpu().addRetireListener((cpu, eip, length) -> {
            if (conditionMet || conditionFailure != null) {
                return;
            }
            try {
                if (condition.test(vm)) {
                    conditionMet = true;
                    cpu.stopAfterInstruction(StopReason.BREAKPOINT, "condition met: " + condition.description());
                }
            } catch (RuntimeException e) {
                conditionFailure = e;
                cpu.stopAfterInstruction(StopReason.BREAKPOINT, "the condition threw");
            }
        });
    }

    private static void close(AutoCloseable listener) {
        if (listener == null) {
            return;
        }
        try {
            listener.close();
        } catch (Exception e) {
            throw new IllegalStateException("removing the condition's listener failed: " + e, e);
        }
    }

    /** {@code seen}: the breakpoints' last report before the chunk, so that only a fresh one explains the stop. */
    private RunReport stopped(RunResult r, long start, BreakReport seen) {
        Outcome o = switch (r.reason()) {
            case EXIT_DEVICE -> Outcome.EXITED;
            case HALTED -> Outcome.HALTED;
            case STOP_REQUESTED -> Outcome.STOPPED;
            case SHUTDOWN -> Outcome.SHUT_DOWN;
            case INTERCEPTED -> Outcome.INTERCEPTED;
            case BREAKPOINT -> conditionMet ? Outcome.CONDITION_MET : Outcome.BREAKPOINT;
            case INSTRUCTION_LIMIT -> Outcome.BUDGET_USED;
        };
        if (!o.resumable()) {
            ended = (o == Outcome.EXITED ? "the guest powered off (" : "the CPU shut down (") + r.detail()
                    + ") at instruction " + String.format("%,d", vm.time());
        }
        BreakReport hit = o == Outcome.BREAKPOINT ? breakpoints.reportSince(seen) : null;
        if (o == Outcome.SHUT_DOWN && vm.virtualized()) {
            String contained = vm.hypervisor().afterRun(r);  // logs the triple fault as an exit
            if (!contained.isEmpty()) {
                return report(o, start, contained);
            }
        }
        return report(o, start, hit != null ? hit.toString() : r.detail());
    }

    private RunReport report(Outcome o, long start, String detail) {
        return new RunReport(o, vm.time() - start, vm.time(), vm.where(), detail);
    }

    /**
     * Ends a run in progress at the next instruction boundary it looks at; safe from any thread.
     * Without a run in progress it does nothing.
     */
    void stop() {
        if (running) {
            stopRequested = true;
            machine.cpu().requestStop();
        }
    }

    boolean isRunning() {
        return running;
    }

    /** Why the machine cannot go on, or empty. */
    Optional<String> ended() {
        return Optional.ofNullable(ended);
    }

    /** The registers before the last run, or null after the state was replaced. */
    Registers before() {
        return before;
    }

    /**
     * The machine's state was put back (a restore or a step back): whatever ended it is undone,
     * and the registers before the last run no longer lead to the present.
     */
    void stateReplaced() {
        ended = null;
        before = null;
    }

    /** Refuses to change the VM while another thread runs it. */
    void checkIdle() {
        if (running) {
            throw new WorkbenchException("the VM is running in another thread; stop() it first");
        }
    }

    /** Refuses to run a VM that is running already or that cannot go on. */
    void checkCanRun() {
        checkIdle();
        if (ended != null) {
            throw new WorkbenchException(ended + "; reset(), restore(snapshot) or stepBack(n) to go on");
        }
    }
}
