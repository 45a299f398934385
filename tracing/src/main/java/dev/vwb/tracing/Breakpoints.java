package dev.vwb.tracing;

import dev.vwb.machine.Machine;
import dev.vwb.machine.RunResult;
import dev.vwb.machine.StopReason;
import dev.vwb.machine.asm.Suggest;
import dev.vwb.machine.cpu.Cpu;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The breakpoints and watchpoints of one machine. Hitting one stops {@link Machine#run} with
 * {@link StopReason#BREAKPOINT}; {@link #report(RunResult)} then says which one, where and why.
 * Hooks are installed only for the kinds of breakpoint that are enabled (none: nothing is
 * installed, and the machine runs at full speed); {@link #close()} removes everything.
 *
 * <pre>{@code
 * Breakpoints bps = Breakpoints.on(machine);
 * bps.atAddress(0x100010);
 * bps.onMemory(AddressRange.of(0xB8000, 4000), BreakCondition.Access.WRITE).once();
 * RunResult r = machine.run(1_000_000);
 * bps.report(r).ifPresent(System.out::println);
 * }</pre>
 */
public final class Breakpoints implements AutoCloseable {
    private final Machine machine;
    private final List<Breakpoint> all = new ArrayList<>();
    private final BreakWatcher watcher;
    private int nextId = 1;

    private Breakpoints(Machine machine) {
        this.machine = machine;
        this.watcher = new BreakWatcher(machine, this);
    }

    /** An empty set for {@code machine}; nothing is installed until a breakpoint is added. */
    public static Breakpoints on(Machine machine) {
        return new Breakpoints(machine);
    }

    /**
     * Stops before executing at linear address {@code linear}. Refused (one-line
     * IllegalArgumentException) when the address is unmapped now or maps outside memory.
     */
    public Breakpoint atAddress(long linear) {
        checkAddress(linear);
        Cpu cpu = machine.cpu();
        long physical = PageWalk.physical(cpu, machine.memory(), (int) linear);
        if (physical < 0) {
            throw new IllegalArgumentException(String.format(
                    "no breakpoint at %08X: the current page tables do not map it", linear));
        }
        checkBacked(physical, String.format("%08X", linear));
        return add(new BreakCondition.Address(linear));
    }

    /**
     * Stops before executing at linear address {@code linear}, without asking the page tables
     * whether it is mapped now: for a caller that knows better than the CPU's current tables (a
     * hypervisor's shadow tables are filled only as the guest runs).
     */
    public Breakpoint atLinear(long linear) {
        checkAddress(linear);
        return add(new BreakCondition.Address(linear));
    }

    /** Stops before executing at physical address {@code physical}, whatever linear address maps it. */
    public Breakpoint atPhysical(long physical) {
        checkAddress(physical);
        checkBacked(physical, String.format("physical %08X", physical));
        return add(new BreakCondition.PhysicalAddress(physical));
    }

    /** Stops before executing at a symbol's address (from an assembly's or an ELF file's symbols). */
    public Breakpoint atSymbol(String name, Map<String, Long> symbols) {
        Long address = symbols.get(name);
        if (address == null) {
            String near = Suggest.closest(name, symbols.keySet());
            throw new IllegalArgumentException("no symbol '" + name + "'" + (near == null ? "" : "; did you mean " + near + "?"));
        }
        return atAddress(address);
    }

    /** Stops before every instruction with this mnemonic, e.g. {@code "hlt"}. */
    public Breakpoint onMnemonic(String mnemonic) {
        if (mnemonic.isBlank()) {
            throw new IllegalArgumentException("which mnemonic? e.g. hlt, iret, mov");
        }
        return add(new BreakCondition.Mnemonic(mnemonic.trim().toLowerCase(Locale.ROOT)));
    }

    /** Stops before every instruction of a class, e.g. every privileged one. */
    public Breakpoint onClass(InsnClass c) {
        return add(new BreakCondition.OfClass(c));
    }

    /** Stops before each instruction where {@code predicate} holds; if it throws, the run stops and the report says so. */
    public Breakpoint when(String description, Predicate<Cpu> predicate) {
        return add(new BreakCondition.When(description, predicate));
    }

    /** Stops when an exception or interrupt with this vector is delivered (at the handler's first instruction). */
    public Breakpoint onVector(int vector) {
        return add(new BreakCondition.Vector(vector));
    }

    /**
     * Stops after a hypervisor's VM exit with this reason ("privileged instruction", "port I/O",
     * "guest exception", "halt", ... or "any"), published through {@link MachineEvents}.
     */
    public Breakpoint onVmExit(String reason) {
        return add(new BreakCondition.VmExitReason(reason));
    }

    /** Stops after an instruction that reads or writes (as {@code access} says) a byte of {@code range}. */
    public Breakpoint onMemory(AddressRange range, BreakCondition.Access access) {
        return add(new BreakCondition.Memory(range, access));
    }

    /** Stops after an IN or OUT on {@code port}. */
    public Breakpoint onPort(int port) {
        return onPorts(port, port);
    }

    public Breakpoint onPorts(int first, int last) {
        return add(new BreakCondition.Port(first, last));
    }

    /** Every breakpoint not deleted, by number. */
    public List<Breakpoint> list() {
        return List.copyOf(all);
    }

    public Optional<Breakpoint> get(int id) {
        return all.stream().filter(b -> b.id() == id).findFirst();
    }

    public void delete(Breakpoint b) {
        if (all.remove(b)) {
            b.markDeleted();
            changed();
        }
    }

    public void deleteAll() {
        for (Breakpoint b : List.copyOf(all)) {
            delete(b);
        }
    }

    /** The report of the most recent stop at a breakpoint, if any. */
    public Optional<BreakReport> lastReport() {
        return Optional.ofNullable(watcher.lastReport);
    }

    /** The report for {@code result}: present when it stopped at one of these breakpoints. */
    public Optional<BreakReport> report(RunResult result) {
        return result.reason() == StopReason.BREAKPOINT ? lastReport() : Optional.empty();
    }

    /** Deletes every breakpoint and removes every hook. */
    @Override
    public void close() {
        deleteAll();
        watcher.install(List.of());
    }

    /** After any change: the watcher re-installs exactly the hooks the enabled breakpoints need. */
    void changed() {
        watcher.install(enabled());
    }

    /** A one-shot breakpoint that fired, from inside a hook: deleted now, hooks re-installed when safe. */
    void deleteFired(Breakpoint b) {
        all.remove(b);
        b.markDeleted();
    }

    private List<Breakpoint> enabled() {
        return all.stream().filter(Breakpoint::enabled).toList();
    }

    private Breakpoint add(BreakCondition c) {
        Breakpoint b = new Breakpoint(this, nextId++, c);
        all.add(b);
        changed();
        return b;
    }

    private static void checkAddress(long a) {
        if (a < 0 || a > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(String.format("no breakpoint at %X: addresses are below 4 GiB", a));
        }
    }

    private void checkBacked(long physical, String what) {
        if (!PageWalk.backed(machine.memory(), physical)) {
            throw new IllegalArgumentException(String.format(
                    "no breakpoint at %s: outside memory (RAM is 00000000..%08X, the BIOS ROM ends at FFFFFFFF)",
                    what, machine.memory().ramSize() - 1));
        }
    }

    @Override
    public String toString() {
        return all.isEmpty() ? "no breakpoints" : String.join("\n", all.stream().map(Breakpoint::toString).toList());
    }
}
