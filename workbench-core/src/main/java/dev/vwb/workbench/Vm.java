package dev.vwb.workbench;

import dev.vwb.machine.Machine;
import dev.vwb.workbench.hv.ExitLog;
import dev.vwb.workbench.hv.Hypervisor;
import dev.vwb.tracing.Breakpoint;
import dev.vwb.tracing.Breakpoints;
import dev.vwb.tracing.EventKind;
import dev.vwb.tracing.RingBuffer;
import dev.vwb.tracing.Tracer;
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
 *
 * <p>The parts: {@link RunLoop} runs, {@link VmState} takes and restores snapshots,
 * {@link TimeTravel} keeps checkpoints and steps back, {@link VmBreakpoints} holds the
 * breakpoints; the VM ties them together with the views.
 */
public final class Vm implements HtmlRenderable {
    /** Instructions a {@link #run()} may take by default: one second of the 100-MIPS virtual CPU. */
    public static final long DEFAULT_BUDGET = 100_000_000;

    private final Guest guest;
    private final Machine machine;
    /** The guest's memory and paging registers as the guest sees them (under the hypervisor: its slice). */
    private final GuestSpace space;
    /** The hypervisor the guest runs under, or null when it runs bare. */
    private final Hypervisor hypervisor;
    private final VmState state;
    private final TimeTravel timeTravel;
    private final VmBreakpoints breakpoints;
    private final RunLoop loop;
    private final Snapshot boot;

    Vm(Guest guest, int ramMiB, Hypervisor.Mode mode) {
        this(guest, ramMiB, mode, Hypervisor.DEFAULT_SHADOW_CACHE, dev.vwb.workbench.hv.Extensions.REFERENCE);
    }

    Vm(Guest guest, int ramMiB, Hypervisor.Mode mode, int shadowCache, dev.vwb.workbench.hv.Extensions extensions) {
        this.guest = guest;
        Machine loaded = guest.newMachine(ramMiB);
        try {
            this.hypervisor = mode == null ? null : Hypervisor.boot(loaded, mode, shadowCache, extensions);
        } catch (IllegalArgumentException e) {
            throw new WorkbenchException(guest.name() + ": " + e.getMessage());
        }
        this.machine = hypervisor == null ? loaded : hypervisor.machine();
        this.space = GuestSpace.of(machine, hypervisor);
        this.state = new VmState(machine, guest.name(), hypervisor);
        this.boot = state.take();
        this.timeTravel = new TimeTravel(machine, state, boot);
        this.breakpoints = new VmBreakpoints(machine, space);
        this.loop = new RunLoop(this, machine, timeTravel, breakpoints);
        FlightRecorder.watch(guest.name(), machine, hypervisor != null);
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
        return loop.run(n, null, Outcome.COMPLETED);
    }

    /** Events {@link #record(long)} keeps at most: the newest. */
    public static final int RECORDING_CAPACITY = 200_000;

    /**
     * Executes up to {@code n} instructions as {@link #step(long)} does, recording what happens:
     * each instruction with the registers it changed, interrupts and exceptions, port I/O,
     * console output and (under the hypervisor) VM exits. The recording shows as a timeline.
     */
    public Recording record(long n) {
        RingBuffer ring = new RingBuffer(RECORDING_CAPACITY);
        Tracer tracer = Tracer.builder().kinds(EventKind.INSTRUCTION, EventKind.EXCEPTION, EventKind.PORT_IO,
                EventKind.CONSOLE, EventKind.VM_EXIT).sink(ring).build().attach(machine);
        RunReport report;
        try {
            report = step(n);
        } finally {
            tracer.detach();
        }
        return new Recording(report, ring.stream().toList(), ring.dropped());
    }

    /** Runs until the guest stops (exits, halts, shuts down) or the budget ({@link #budget()}) is used up. */
    public RunReport run() {
        return loop.run(budget(), null, Outcome.BUDGET_USED);
    }

    /**
     * Runs until {@code condition} holds after an instruction, or the guest stops, or the budget
     * is used up. A condition that throws stops the run there, as a {@link WorkbenchException}.
     */
    public RunReport runUntil(Condition condition) {
        return loop.run(budget(), condition, Outcome.BUDGET_USED);
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
        loop.stop();
    }

    /** Whether a run is in progress (in some thread). */
    public boolean isRunning() {
        return loop.isRunning();
    }

    /** The instruction budget of {@link #run()} and {@link #runUntil}. */
    public long budget() {
        return loop.budget();
    }

    public void setBudget(long instructions) {
        loop.setBudget(instructions);
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
        return state.time();
    }

    /** The CPU as a script reads it: its registers now ({@code vm.cpu().eax()}); the same as {@link #registers()}. */
    public Registers cpu() {
        return registers();
    }

    /** The registers now; compared with those before the last step or run (see {@link Registers#changed()}). */
    public Registers registers() {
        return Registers.capture(machine.cpu(), loop.before());
    }

    /** A register by name: {@code eax}, {@code ax}, {@code al}, {@code eip}, {@code eflags}, {@code cs}, {@code cr3}... */
    public long reg(String name) {
        return RegisterNames.read(machine.cpu(), name);
    }

    /** Writes a register by name; segment registers are loaded with MOV's checks in the current mode. */
    public void setReg(String name, long value) {
        loop.checkIdle();
        RegisterNames.write(machine.cpu(), name, value);
        timeTravel.changedByHand();
    }

    public int eip() {
        return machine.cpu().eip();
    }

    /** Where the CPU is: CS:EIP, linear address, symbol. */
    public Where where() {
        return Where.of(machine.cpu(), guest.symbols());
    }

    /** Physical memory. */
    public MemoryView physical() {
        return new MemoryView(space, false, timeTravel::changedByHand);
    }

    /** Virtual (linear) memory, through the guest's page tables as they are in memory now. */
    public MemoryView virtual() {
        return new MemoryView(space, true, timeTravel::changedByHand);
    }

    /** The page walk of a linear address for a supervisor read. */
    public PageWalk walk(long linear) {
        return walk(linear, Access.READ);
    }

    /** The page walk of a linear address for {@code access}: each level, and the physical address or the #PF. */
    public PageWalk walk(long linear, Access access) {
        return PageWalker.walk(space, linear, access);
    }

    /** A few instructions before and after CS:EIP, the current one marked. */
    public Disassembly disassemble() {
        return Disassembling.around(virtual(), guest.symbols(), machine.cpu(), 4, 8);
    }

    /** {@code count} (0 to 10,000) instructions from linear address {@code address}. */
    public Disassembly disassemble(long address, int count) {
        return Disassembling.from(virtual(), guest.symbols(), machine.cpu(), address, count);
    }

    /** {@code count} instructions from a symbol (in real mode its value is an offset in CS). */
    public Disassembly disassemble(String symbol, int count) {
        return Disassembling.fromSymbol(virtual(), guest.symbols(), machine.cpu(), symbol, count);
    }

    public Symbols symbols() {
        return guest.symbols();
    }

    /** What the guest printed on the debug console (port E9h). */
    public String console() {
        return state.console();
    }

    /** What the guest sent through COM1. */
    public String serial() {
        return state.serial();
    }

    /**
     * This VM's breakpoints and watchpoints (module tracing), made on first use; a hit stops
     * {@link #run} with outcome BREAKPOINT and the breakpoint's report as the detail. Its
     * methods refuse bad input (an unmapped address, a port above FFFFh) with a one-line
     * {@link IllegalArgumentException}; {@link #breakAt} says the same as a {@link WorkbenchException}.
     */
    public Breakpoints breakpoints() {
        return breakpoints.all();
    }

    /**
     * A breakpoint before the instruction at linear address {@code linear}; refused when the
     * current page tables do not map it or it lies outside memory.
     */
    public Breakpoint breakAt(long linear) {
        return breakpoints.at(linear);
    }

    /**
     * A breakpoint before the instruction at {@code symbol}: in protected mode at its value as a
     * linear address (refused when unmapped, as {@link #breakAt(long)}); in real mode at its value
     * as a linear address or as an offset in CS (the labels of a flat real-mode binary).
     */
    public Breakpoint breakAt(String symbol) {
        return breakpoints.at(symbol, guest.symbols());
    }

    /** The machine underneath, for tracers and experts; changing it behind the VM's back defeats {@link #stepBack}. */
    /**
     * The hypervisor this guest runs under: its virtual CPU, its exit log, its mode.
     *
     * @throws WorkbenchException when the guest runs bare
     */
    public Hypervisor hypervisor() {
        if (hypervisor == null) {
            throw new WorkbenchException("this VM runs its guest bare; make it with .hypervisor(Hypervisor.Mode.PATCH)"
                    + " to run it under the hypervisor");
        }
        return hypervisor;
    }

    /** Whether the guest runs under the hypervisor. */
    public boolean virtualized() {
        return hypervisor != null;
    }

    /**
     * A linear address through the guest's page tables, the p2m and the hypervisor's shadow
     * tables, side by side (under the hypervisor; {@link #walk} explains the guest's walk alone).
     */
    public dev.vwb.workbench.hv.Translation translate(long linear) {
        try {
            return hypervisor().translate(linear);
        } catch (IllegalArgumentException e) {
            throw new WorkbenchException(e.getMessage());
        }
    }

    /** The hypervisor's VM exits: counts and times by reason, and the latest exits. */
    public ExitLog exits() {
        return hypervisor().exits();
    }

    public Machine machine() {
        return machine;
    }

    // ---- snapshots and time travel ---------------------------------------------------------

    /** The whole state now. */
    public Snapshot snapshot() {
        loop.checkIdle();
        return state.take();
    }

    /**
     * Puts back the state of {@code snapshot}: registers, memory, time and console output. A
     * snapshot this VM cannot take (another RAM size) is refused and nothing changes.
     */
    public void restore(Snapshot snapshot) {
        loop.checkIdle();
        state.restore(snapshot);
        loop.stateReplaced();
        timeTravel.restored(snapshot);
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
     * taken back too. Going back past where the VM was made, reset or restored is refused.
     */
    public RunReport stepBack(long n) {
        loop.checkIdle();
        long now = time();
        timeTravel.stepBack(n);
        loop.stateReplaced();
        return new RunReport(Outcome.COMPLETED, time() - now, time(), where(), "stepped back " + n);
    }

    /** The checkpoints kept for {@link #stepBack} (for statistics and tests). */
    public int checkpoints() {
        return timeTravel.checkpoints();
    }

    /**
     * Sets how often checkpoints are taken: at least {@code minInstructions} apart, and no more
     * than 1/{@code costFactor} of the running time spent on them.
     */
    public void setCheckpointPolicy(long minInstructions, int costFactor) {
        timeTravel.setPolicy(minInstructions, costFactor);
    }

    // ---- printing ------------------------------------------------------------------------

    @Override
    public String toString() {
        return String.format("vm: %s, %d MiB%s, time %,d, at %s%s", guest, machine.memory().ramSize() >> 20,
                hypervisor == null ? "" : ", under the hypervisor (" + hypervisor.mode().label() + " mode, "
                        + hypervisor.exits().total() + " exits)",
                time(), where(), loop.ended().map(why -> " — " + why).orElse(""));
    }

    @Override
    public String toHtml() {
        return "<div class=\"vwb-vm\"><p>" + Html.escape(toString()) + "</p>\n" + registers().toHtml() + "\n"
                + disassemble().toHtml() + "</div>";
    }
}
