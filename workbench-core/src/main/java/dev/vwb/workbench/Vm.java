package dev.vwb.workbench;

import dev.vwb.machine.Machine;
import dev.vwb.machine.RunResult;
import dev.vwb.machine.StopReason;
import dev.vwb.machine.cpu.Cpu;
import dev.vwb.machine.cpu.SegReg;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * A virtual machine made by {@link Workbench}: a guest loaded into a PC, to step, run, inspect,
 * change, snapshot and step back. Every method's value prints readably ({@code toString}) and
 * renders as HTML ({@link HtmlRenderable}).
 *
 * <pre>{@code
 * Vm vm = Workbench.bundled("demo");
 * vm.step(10);                  // RunReport: COMPLETED after 10 instructions, at F000:....
 * vm.registers();               // every register, flags decoded, changes since the last step
 * vm.disassemble();             // around CS:EIP, the current instruction marked
 * vm.stepBack(1);               // one instruction back in time
 * vm.run();                     // until the guest stops: EXITED, with vm.console() its output
 * }</pre>
 *
 * <p>Time is the retired-instruction count ({@link #time()}): the machine is deterministic, so
 * the same steps from the same state always give the same state, which is what
 * {@link #stepBack} relies on. A VM is used from one thread at a time; only {@link #stop()} may
 * be called from another, to end a run in progress.
 *
 * <p>Bad input (an unknown register, an unmapped address, a VM that has shut down) is a
 * {@link WorkbenchException} with a one-line message; the VM is unchanged and still usable.
 */
public final class Vm implements HtmlRenderable {
    /** Instructions a {@link #run()} may take by default: one second of the 100-MIPS virtual CPU. */
    public static final long DEFAULT_BUDGET = 100_000_000;
    /** Runs are cut into chunks this long, where stop requests and checkpoints are looked at. */
    private static final long CHUNK = 100_000;

    private final Guest guest;
    private final Machine machine;
    private final StateStore store;
    private final Timeline timeline = new Timeline();
    private final StringBuilder console = new StringBuilder();
    private final StringBuilder serial = new StringBuilder();
    private final Snapshot boot;
    private long budget = DEFAULT_BUDGET;
    /** Why the machine cannot go on (it exited or shut down), or null. */
    private String ended;
    private Registers before;
    private volatile boolean stopRequested;
    private volatile boolean running;
    /** Set while a condition stops the run, so the breakpoint stop is reported as the condition. */
    private boolean conditionMet;
    private RuntimeException conditionFailure;

    Vm(Guest guest, int ramMiB) {
        this.guest = guest;
        this.machine = guest.newMachine(ramMiB);
        this.store = new MachineStateStore(machine);
        machine.debugConsole().setSink(c -> console.append((char) c));
        machine.com1().setSink(c -> serial.append((char) c));
        this.boot = snapshot();
        timeline.add(boot, 0);
    }

    // ---- running -------------------------------------------------------------------------

    /** Executes one instruction. */
    public RunReport step() {
        return step(1);
    }

    /**
     * Executes {@code n} instructions (fewer if the guest halts, exits or shuts down, or a
     * breakpoint or {@link #stop()} intervenes). Exception deliveries are not instructions:
     * {@code step(1)} on a faulting instruction delivers the fault and runs the handler's first
     * instruction.
     */
    public RunReport step(long n) {
        if (n < 1) {
            throw new WorkbenchException("step takes a positive number of instructions, not " + n);
        }
        return advance(n, null, Outcome.COMPLETED);
    }

    /** Runs until the guest stops (exits, halts, shuts down) or the budget ({@link #budget()}) is used up. */
    public RunReport run() {
        return advance(budget, null, Outcome.BUDGET_USED);
    }

    /** Runs until {@code condition} holds after an instruction, or the guest stops, or the budget is used up. */
    public RunReport runUntil(Condition condition) {
        return advance(budget, condition, Outcome.BUDGET_USED);
    }

    /** As {@link #runUntil(Condition)} with a plain predicate, e.g. {@code vm -> vm.reg("eax") == 5}. */
    public RunReport runUntil(Predicate<Vm> condition) {
        return runUntil(Condition.of("a predicate", condition::test));
    }

    /** Runs until CS:EIP reaches the symbol {@code name}. */
    public RunReport runUntil(String symbol) {
        return runUntil(Condition.at(this, symbol));
    }

    /**
     * Ends a {@link #run()}, {@link #step} or {@link #runUntil} in progress at the next
     * instruction boundary it looks at (within 100,000 instructions); safe from any thread.
     * Without a run in progress it does nothing.
     */
    public void stop() {
        if (running) {
            stopRequested = true;
            machine.cpu().requestStop();
        }
    }

    /** Whether a run is in progress (in some thread). */
    public boolean isRunning() {
        return running;
    }

    /** The instruction budget of {@link #run()} and {@link #runUntil}. */
    public long budget() {
        return budget;
    }

    public void setBudget(long instructions) {
        if (instructions < 1) {
            throw new WorkbenchException("the budget must be at least one instruction, not " + instructions);
        }
        budget = instructions;
    }

    private RunReport advance(long count, Condition condition, Outcome done) {
        checkCanRun();
        before = registers();
        long start = time();
        long target = start + count;
        running = true;
        stopRequested = false;
        conditionMet = false;
        conditionFailure = null;
        AutoCloseable listener = condition == null ? null : watch(condition);
        try {
            checkpointIfDue();
            while (true) {
                if (stopRequested) {
                    return report(Outcome.STOPPED, start, "stopped on request");
                }
                long remaining = target - time();
                if (remaining <= 0) {
                    return report(done, start, "");
                }
                long t0 = time();
                RunResult r = machine.run(Math.min(remaining, Math.min(CHUNK, timeline.minGap)));
                if (conditionFailure != null) {
                    throw new WorkbenchException("the condition threw " + conditionFailure
                            + " at " + where() + "; the run stopped there", conditionFailure);
                }
                if (r.reason() != StopReason.INSTRUCTION_LIMIT) {
                    return stopped(r, start);
                }
                if (time() == t0) {
                    return report(Outcome.NO_PROGRESS, start, "the CPU delivered exceptions without retiring"
                            + " an instruction (an exception loop?)");
                }
                checkpointIfDue();
            }
        } finally {
            running = false;
            stopRequested = false;
            if (listener != null) {
                try {
                    listener.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    /** A retire listener that stops the run, before the next instruction, when the condition holds. */
    private AutoCloseable watch(Condition condition) {
        return machine.cpu().addRetireListener((cpu, eip, length) -> {
            if (conditionMet || conditionFailure != null) {
                return;
            }
            try {
                if (condition.test(this)) {
                    conditionMet = true;
                    cpu.stopAfterInstruction(StopReason.BREAKPOINT, "condition met: " + condition.description());
                }
            } catch (RuntimeException e) {
                conditionFailure = e;
                cpu.stopAfterInstruction(StopReason.BREAKPOINT, "the condition threw");
            }
        });
    }

    private RunReport stopped(RunResult r, long start) {
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
                    + ") at instruction " + String.format("%,d", time());
        }
        return report(o, start, r.detail());
    }

    private RunReport report(Outcome o, long start, String detail) {
        return new RunReport(o, time() - start, time(), where(), detail);
    }

    private void checkCanRun() {
        if (running) {
            throw new WorkbenchException("the VM is running in another thread; stop() it first");
        }
        if (ended != null) {
            throw new WorkbenchException(ended + "; reset(), restore(snapshot) or stepBack(n) to go on");
        }
    }

    /**
     * Puts the VM back in the state it was made in (the guest freshly loaded, time 0, no
     * output), as restoring the snapshot taken then.
     */
    public void reset() {
        restore(boot);
    }

    // ---- state ---------------------------------------------------------------------------

    /** Instructions retired since the VM was made (the virtual clock; restored by snapshots). */
    public long time() {
        return store.time();
    }

    /** The registers now; compared with those before the last step or run (see {@link Registers#changed()}). */
    public Registers registers() {
        Registers now = Registers.capture(machine.cpu(), null);
        return before == null ? now : now.comparedWith(before);
    }

    /** A register by name: {@code eax}, {@code ax}, {@code al}, {@code eip}, {@code eflags}, {@code cs}, {@code cr3}... */
    public long reg(String name) {
        return RegisterNames.read(machine.cpu(), name);
    }

    /** Writes a register by name; segment registers are loaded with MOV's checks in the current mode. */
    public void setReg(String name, long value) {
        checkIdle();
        RegisterNames.write(machine.cpu(), name, value);
        changedByHand();
    }

    public int eip() {
        return machine.cpu().eip();
    }

    /** Where the CPU is: CS:EIP, linear address, symbol. */
    public Where where() {
        Cpu c = machine.cpu();
        int cs = c.segment(SegReg.CS).selector();
        long linear = (c.segment(SegReg.CS).base() + c.eip()) & 0xFFFF_FFFFL;
        String sym = guest.symbols().describe(linear, 0x1000)
                .or(() -> c.isProtectedMode() ? java.util.Optional.empty() : guest.symbols().describe(c.eip() & 0xFFFFL, 0x1000))
                .orElse(null);
        return new Where(cs, c.eip(), linear, sym);
    }

    /** Physical memory. */
    public MemoryView physical() {
        return new MemoryView(machine, false, this::changedByHand);
    }

    /** Virtual (linear) memory, through the guest's page tables as they are in memory now. */
    public MemoryView virtual() {
        return new MemoryView(machine, true, this::changedByHand);
    }

    /** The page walk of a linear address for a supervisor read. */
    public PageWalk walk(long linear) {
        return walk(linear, Access.READ);
    }

    /** The page walk of a linear address for {@code access}: each level, and the physical address or the #PF. */
    public PageWalk walk(long linear, Access access) {
        return PageWalker.walk(machine.cpu(), machine.memory(), linear, access);
    }

    /** A few instructions before and after CS:EIP, the current one marked. */
    public Disassembly disassemble() {
        long here = where().linear();
        return Disassembling.around(virtual(), guest.symbols(), here, 4, 8, bits(), here, csBase());
    }

    /** {@code count} instructions from linear address {@code address}. */
    public Disassembly disassemble(long address, int count) {
        return Disassembling.from(virtual(), guest.symbols(), address, count, bits(), where().linear(), csBase());
    }

    /** {@code count} instructions from a symbol (in real mode its value is an offset in CS). */
    public Disassembly disassemble(String symbol, int count) {
        long a = guest.symbols().address(symbol);
        return disassemble(machine.cpu().isProtectedMode() ? a : a + csBase(), count);
    }

    private int bits() {
        return machine.cpu().segment(SegReg.CS).big() ? 32 : 16;
    }

    private long csBase() {
        return machine.cpu().segment(SegReg.CS).base() & 0xFFFF_FFFFL;
    }

    public Symbols symbols() {
        return guest.symbols();
    }

    /** What the guest printed on the debug console (port E9h). */
    public String console() {
        return console.toString();
    }

    /** What the guest sent through COM1. */
    public String serial() {
        return serial.toString();
    }

    /**
     * This VM's breakpoints and watchpoints (module tracing), made on first use; a hit stops
     * {@link #run} with outcome BREAKPOINT, and {@code breakpoints().report(...)} says which and why.
     * Breakpoints by name use this VM's symbols: {@code breakpoints().atSymbol("loop", symbols().all())}.
     */
    public dev.vwb.tracing.Breakpoints breakpoints() {
        if (breakpoints == null) {
            breakpoints = dev.vwb.tracing.Breakpoints.on(machine);
        }
        return breakpoints;
    }

    private dev.vwb.tracing.Breakpoints breakpoints;

    /**
     * A breakpoint before the instruction at {@code symbol}: its value as a linear address, or,
     * for a real-mode flat binary whose labels are offsets in CS, as an offset in CS.
     */
    public dev.vwb.tracing.Breakpoint breakAt(String symbol) {
        long a = symbols().address(symbol) & 0xFFFF_FFFFL;
        return breakpoints().when("at " + symbol, cpu -> (cpu.eip() & 0xFFFF_FFFFL) == a
                || ((cpu.segment(SegReg.CS).base() + cpu.eip()) & 0xFFFF_FFFFL) == a);
    }

    /** The machine underneath, for tracers and experts; changing it behind the VM's back defeats {@link #stepBack}. */
    public Machine machine() {
        return machine;
    }

    // ---- snapshots and time travel ---------------------------------------------------------

    /** The whole state now. */
    public Snapshot snapshot() {
        checkIdle();
        return new Snapshot(store.save(), store.format(), guest.name(), Registers.capture(machine.cpu(), null),
                console.toString(), serial.toString());
    }

    /**
     * Puts back the state of {@code snapshot}: registers, memory, time and console output. A
     * snapshot this VM cannot take (another RAM size) is refused and nothing changes.
     */
    public void restore(Snapshot snapshot) {
        checkIdle();
        String why = store.cannotRestore(snapshot.image());
        if (why != null) {
            throw new WorkbenchException("cannot restore " + snapshot + ": " + why);
        }
        store.restore(snapshot.image());
        console.setLength(0);
        console.append(snapshot.console());
        serial.setLength(0);
        serial.append(snapshot.serial());
        ended = null;
        before = null;
        if (!isOnTimeline(snapshot)) {
            timeline.clear();
            timeline.add(snapshot, 0);
        }
    }

    /** Whether the snapshot is one of this VM's own checkpoints, so the history before it still holds. */
    private boolean isOnTimeline(Snapshot s) {
        return timeline.atOrBefore(s.time()) == s;
    }

    /** Saves a snapshot of the VM now to {@code file}. */
    public Snapshot save(Path file) {
        Snapshot s = snapshot();
        s.save(file);
        return s;
    }

    /** Restores the snapshot in {@code file}; a bad file is refused and nothing changes. */
    public Snapshot load(Path file) {
        Snapshot s = Snapshot.load(file);
        restore(s);
        return s;
    }

    /**
     * Goes back {@code n} instructions in time: restores the nearest checkpoint before the target
     * and runs forward to it (the machine is deterministic). Output printed after the target is
     * taken back too.
     */
    public RunReport stepBack(long n) {
        checkIdle();
        long now = time();
        long target = now - n;
        if (n < 1) {
            throw new WorkbenchException("stepBack takes a positive number of instructions, not " + n);
        }
        Snapshot from = timeline.atOrBefore(target);
        if (target < 0 || from == null) {
            throw new WorkbenchException(String.format("cannot step back %,d instructions: the history starts at"
                    + " instruction %,d (where the VM was made, reset or restored)", n, timeline.earliest()));
        }
        restore(from);
        long distance = target - time();
        if (distance > 2 * timeline.minGap) {
            advanceQuietly(time() + distance / 2);
            checkpointNow();  // halfway: the next step back starts nearer
        }
        advanceQuietly(target);
        before = null;
        return new RunReport(Outcome.COMPLETED, target - now, time(), where(), "stepped back " + n);
    }

    /**
     * Replays up to {@code target}. Breakpoints do not stop a replay: the execution hook is set
     * aside meanwhile, and a watchpoint's stop is run through (its hit count still counts it).
     */
    private void advanceQuietly(long target) {
        dev.vwb.machine.cpu.ExecutionHook hook = machine.cpu().executionHook();
        machine.cpu().setExecutionHook(null);
        try {
            while (time() < target) {
                long t0 = time();
                RunResult r = machine.run(target - time());
                boolean ranOn = r.reason() == StopReason.INSTRUCTION_LIMIT || r.reason() == StopReason.BREAKPOINT;
                if (!ranOn || time() == t0) {
                    throw new IllegalStateException("replay diverged at " + time() + ": " + r
                            + " (the machine should be deterministic)");
                }
            }
        } finally {
            machine.cpu().setExecutionHook(hook);
        }
    }

    /** The checkpoints kept for {@link #stepBack} (for statistics and tests). */
    public int checkpoints() {
        return timeline.size();
    }

    /**
     * Sets how often checkpoints are taken: at least {@code minInstructions} apart, and no more
     * than 1/{@code costFactor} of the running time spent on them.
     */
    public void setCheckpointPolicy(long minInstructions, int costFactor) {
        if (minInstructions < 1 || costFactor < 0) {
            throw new WorkbenchException("the checkpoint gap must be positive and the cost factor at least 0");
        }
        timeline.minGap = minInstructions;
        timeline.costFactor = costFactor;
    }

    private void checkpointIfDue() {
        if (timeline.due(time())) {
            checkpointNow();
        }
    }

    private void checkpointNow() {
        long t0 = System.nanoTime();
        Snapshot s = new Snapshot(store.save(), store.format(), guest.name(), Registers.capture(machine.cpu(), null),
                console.toString(), serial.toString());
        timeline.add(s, System.nanoTime() - t0);
    }

    /** A register or memory changed by hand: the history from now on is new. */
    private void changedByHand() {
        timeline.changedAt(time());
        checkpointNow();
    }

    private void checkIdle() {
        if (running) {
            throw new WorkbenchException("the VM is running in another thread; stop() it first");
        }
    }

    // ---- printing ------------------------------------------------------------------------

    @Override
    public String toString() {
        return String.format("vm: %s, %d MiB, time %,d, at %s%s", guest, machine.memory().ramSize() >> 20, time(),
                where(), ended == null ? "" : " — " + ended);
    }

    @Override
    public String toHtml() {
        return "<div class=\"vwb-vm\"><p>" + Html.escape(toString()) + "</p>\n" + registers().toHtml() + "\n"
                + disassemble().toHtml() + "</div>";
    }
}
