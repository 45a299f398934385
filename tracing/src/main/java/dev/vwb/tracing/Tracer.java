package dev.vwb.tracing;

import dev.vwb.machine.Machine;
import dev.vwb.machine.cpu.Cpu;
import dev.vwb.machine.cpu.ExceptionInterceptor;
import dev.vwb.machine.devices.DebugConsole;
import dev.vwb.machine.devices.Uart16550;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Records what a machine does into sinks, through a {@link TraceFilter}. A tracer is built
 * detached and costs nothing until {@link #attach}: only then does it install the machine hooks
 * its event kinds need (instructions: the execution hook and a retire listener, which keep code
 * out of translated blocks; memory: a memory listener, which sends every access down the slow
 * path; port I/O and console: an I/O listener; exceptions: the exception interceptor, shared).
 * {@link #detach} removes them all; {@link #close} also finishes the sinks.
 *
 * <pre>{@code
 * RingBuffer ring = new RingBuffer(10_000);
 * try (Tracer t = Tracer.builder().kinds(EventKind.INSTRUCTION).sink(ring).build().attach(machine)) {
 *     machine.run(1_000);
 * }
 * ring.last(5).forEach(System.out::println);
 * }</pre>
 */
public final class Tracer implements AutoCloseable {
    /** The UART's line control register (LCR, COM1 + 3) and its divisor latch access bit. */
    private static final int UART_LCR = Uart16550.COM1 + 3;
    private static final int LCR_DLAB = 0x80;
    /** The UART's modem control register (MCR, COM1 + 4) and its loopback bit. */
    private static final int UART_MCR = Uart16550.COM1 + 4;
    private static final int MCR_LOOP = 0x10;

    private final TraceFilter filter;
    private final TraceSink[] sinks;
    private final List<AutoCloseable> handles = new ArrayList<>();
    private Machine machine;
    private int comLineControl;
    private int comModemControl;

    private Tracer(TraceFilter filter, List<TraceSink> sinks) {
        this.filter = filter;
        this.sinks = sinks.toArray(new TraceSink[0]);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link Tracer}. Defaults: every kind, every address, every instruction, no sink. */
    public static final class Builder {
        private Set<EventKind> kinds = EnumSet.allOf(EventKind.class);
        private AddressRange range = AddressRange.ALL;
        private Set<InsnClass> classes = EnumSet.noneOf(InsnClass.class);
        private final List<TraceSink> sinks = new ArrayList<>();

        private Builder() {
        }

        public Builder kinds(EventKind first, EventKind... more) {
            kinds = EnumSet.of(first, more);
            return this;
        }

        public Builder kinds(Set<EventKind> kinds) {
            this.kinds = EnumSet.copyOf(kinds);
            return this;
        }

        /** Keeps instructions and memory accesses whose linear address is in {@code range}. */
        public Builder range(AddressRange range) {
            this.range = range;
            return this;
        }

        /** Keeps only instructions in at least one of these classes. */
        public Builder classes(InsnClass first, InsnClass... more) {
            classes = EnumSet.of(first, more);
            return this;
        }

        public Builder sink(TraceSink sink) {
            sinks.add(sink);
            return this;
        }

        public Builder filter(TraceFilter f) {
            kinds = EnumSet.copyOf(f.kinds().isEmpty() ? EnumSet.noneOf(EventKind.class) : f.kinds());
            range = f.range();
            classes = f.classes().isEmpty() ? EnumSet.noneOf(InsnClass.class) : EnumSet.copyOf(f.classes());
            return this;
        }

        public Tracer build() {
            return new Tracer(new TraceFilter(kinds, range, classes), sinks);
        }
    }

    public TraceFilter filter() {
        return filter;
    }

    public boolean attached() {
        return machine != null;
    }

    /**
     * Installs the hooks on {@code m}; returns this. A tracer traces one machine at a time:
     * attaching an attached one is refused (a one-line IllegalArgumentException).
     */
    public Tracer attach(Machine m) {
        if (machine != null) {
            throw new IllegalArgumentException("this tracer is already attached to a machine; detach it first");
        }
        machine = m;
        Cpu cpu = m.cpu();
        Set<EventKind> kinds = filter.kinds();
        try {
            if (kinds.contains(EventKind.INSTRUCTION)) {
                // The fast path needs the ring to be the only sink and every instruction kept.
                boolean fast = sinks.length == 1 && sinks[0] instanceof RingBuffer && filter.range().equals(AddressRange.ALL)
                        && filter.classes().isEmpty();
                InstructionProbe probe = new InstructionProbe(this, fast ? (RingBuffer) sinks[0] : null, m.memory(),
                        filter.range(), InsnClass.maskOf(filter.classes()));
                handles.add(HookSlots.of(cpu).addExecutionHook(probe));
                handles.add(cpu.addRetireListener(probe));
            }
            if (kinds.contains(EventKind.MEMORY)) {
                handles.add(cpu.addMemoryListener((c, linear, physical, size, value, write) -> {
                    if (filter.range().overlaps(linear, size)) {
                        emit(new TraceEvent.MemoryAccess(c.instructionsRetired(), linear, physical, size, value, write));
                    }
                }));
            }
            if (kinds.contains(EventKind.PORT_IO) || kinds.contains(EventKind.CONSOLE)) {
                comLineControl = m.com1().in(UART_LCR, 1);
                comModemControl = m.com1().in(UART_MCR, 1);
                handles.add(m.io().addListener(this::portAccessed));
            }
            if (kinds.contains(EventKind.VM_EXIT)) {
                handles.add(MachineEvents.subscribe(cpu, e -> {
                    if (e.kind() == EventKind.VM_EXIT) {
                        emit(e);
                    }
                }));
            }
            if (kinds.contains(EventKind.EXCEPTION)) {
                handles.add(HookSlots.of(cpu).addInterceptor((c, e) -> {
                    emit(new TraceEvent.Interrupt(c.instructionsRetired(), e.vector(), e.errorCode(), e.eip(), e.kind()));
                    return ExceptionInterceptor.Decision.DELIVER;
                }));
            }
        } catch (RuntimeException e) {
            detach();
            throw e;
        }
        return this;
    }

    /** Removes every hook this tracer installed; the sinks stay open. */
    public void detach() {
        for (int i = handles.size() - 1; i >= 0; i--) {
            try {
                handles.get(i).close();
            } catch (Exception e) {
                throw new IllegalStateException("removing a machine hook failed: " + e, e);
            }
        }
        handles.clear();
        machine = null;
    }

    /** Detaches, then closes every sink (files are finished). */
    @Override
    public void close() {
        detach();
        for (TraceSink s : sinks) {
            s.close();
        }
    }

    private void portAccessed(int port, int size, int value, boolean write) {
        long retired = machine.cpu().instructionsRetired();
        if (filter.kinds().contains(EventKind.PORT_IO)) {
            emit(new TraceEvent.PortIo(retired, port, size, value, write));
        }
        if (!write || !filter.kinds().contains(EventKind.CONSOLE)) {
            return;
        }
        // The UART's own state is private, so follow the two registers that decide whether a
        // write to 3F8h is a character: LCR.DLAB (the divisor latch instead) and MCR.LOOP.
        switch (port) {
            case DebugConsole.PORT -> emit(console(retired, TraceEvent.Console.E9, value));
            case UART_LCR -> comLineControl = value;
            case UART_MCR -> comModemControl = value;
            case Uart16550.COM1 -> {
                if ((comLineControl & LCR_DLAB) == 0 && (comModemControl & MCR_LOOP) == 0) {
                    emit(console(retired, TraceEvent.Console.COM1, value));
                }
            }
            default -> { }
        }
    }

    private static TraceEvent console(long retired, TraceEvent.Console device, int value) {
        return new TraceEvent.ConsoleOutput(retired, device, String.valueOf((char) (value & 0xFF)));
    }

    private void emit(TraceEvent e) {
        for (TraceSink s : sinks) {
            s.accept(e);
        }
    }

    /** From the probe (not on the fast path), which applied the range and class filters already. */
    void instruction(long retired, int cs, int eip, int linear, int physical, long low, long high, int length,
                     boolean bits32, int[] before, int[] after) {
        List<RegisterChange> changes = new ArrayList<>(2);
        for (int r = 0; r < Register.COUNT; r++) {
            if (before[r] != after[r]) {
                changes.add(new RegisterChange(Register.ALL[r], before[r], after[r]));
            }
        }
        emit(new TraceEvent.Instruction(retired, cs, eip, linear, physical, CodeBytes.unpack(low, high, length), bits32,
                changes));
    }

    @Override
    public String toString() {
        return "Tracer(" + filter + ", " + Arrays.toString(sinks) + (attached() ? ", attached" : ", detached") + ")";
    }
}
