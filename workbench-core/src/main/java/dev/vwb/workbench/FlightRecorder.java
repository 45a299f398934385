package dev.vwb.workbench;

import dev.vwb.machine.Machine;
import dev.vwb.tracing.EventKind;
import dev.vwb.tracing.RingBuffer;
import dev.vwb.tracing.TextPrinter;
import dev.vwb.tracing.TraceEvent;
import dev.vwb.tracing.Tracer;
import java.util.List;
import java.util.Optional;

/**
 * The last moments of the most recent VM, for explaining a failed graded test: the last
 * instructions it executed and the last VM exits of its hypervisor.
 *
 * <p>Off unless the system property {@value #PROPERTY} is set (the grader's sandbox sets it):
 * recording every instruction costs a tracer on the hot loop, which nobody else should pay. When
 * on, every {@link Vm} made attaches two tracers to its machine — instructions into one ring, VM
 * exits into another, so the instruction ring keeps the tracer's fast path — and becomes "the
 * most recent VM"; {@link #dump} reads them. The property's value is how many instructions to
 * keep ({@value #DEFAULT_INSTRUCTIONS} if it is not a number); exits keep a quarter of that.
 *
 * <pre>{@code
 * FlightRecorder.clear();                 // before a test
 * ... the test makes and runs VMs ...
 * FlightRecorder.dump(20, 10)             // after it failed: Optional of a text excerpt
 * }</pre>
 *
 * <p>An observer only: it cannot change a run. Thread-safe in the one way a test runner needs: a
 * VM made on a test's thread is dumped from the runner's.
 */
public final class FlightRecorder {
    /** The system property that turns recording on; its value is the instructions kept. */
    public static final String PROPERTY = "vwb.flightRecorder";
    static final int DEFAULT_INSTRUCTIONS = 256;

    /** The latest VM's recording, or null: replaced by each VM made, so it never holds more than one machine's rings. */
    private static volatile Recording latest;

    private FlightRecorder() {
    }

    /** Whether VMs made now are recorded. */
    public static boolean enabled() {
        return System.getProperty(PROPERTY) != null;
    }

    /** Forgets the recording of the most recent VM (the next VM made starts a new one). */
    public static void clear() {
        latest = null;
    }

    /**
     * The last {@code instructions} instructions and the last {@code exits} VM exits of the most
     * recent VM made since {@link #clear()}, as lines of text under two headings; empty if no
     * VM was made (or recording is off).
     */
    public static Optional<String> dump(int instructions, int exits) {
        Recording r = latest;
        return r == null ? Optional.empty() : Optional.of(r.text(instructions, exits));
    }

    /**
     * Records {@code machine} as the most recent VM when recording is on (each {@link Vm} made
     * calls this; so does {@code KernelRun}, the exercises' whole-guest runs).
     */
    public static void watch(String guest, Machine machine, boolean virtualized) {
        if (!enabled()) {
            return;
        }
        int size = capacity();
        RingBuffer instructions = new RingBuffer(size);
        RingBuffer exits = new RingBuffer(Math.max(16, size / 4));
        Tracer.builder().kinds(EventKind.INSTRUCTION).sink(instructions).build().attach(machine);
        if (virtualized) {
            Tracer.builder().kinds(EventKind.VM_EXIT).sink(exits).build().attach(machine);
        }
        latest = new Recording(guest, virtualized, instructions, exits);
    }

    private static int capacity() {
        try {
            return Math.max(16, Math.min(1 << 16, Integer.parseInt(System.getProperty(PROPERTY).trim())));
        } catch (NumberFormatException e) {
            return DEFAULT_INSTRUCTIONS;
        }
    }

    /** One VM's rings. Reading a ring while its VM runs on another thread may see a torn event; a dump comes after the test. */
    private record Recording(String guest, boolean virtualized, RingBuffer instructions, RingBuffer exits) {
        String text(int lastInstructions, int lastExits) {
            StringBuilder b = new StringBuilder();
            List<TraceEvent> insns = instructions.last(lastInstructions);
            b.append("Last ").append(insns.size()).append(" instructions of guest ").append(guest)
                    .append(" (of ").append(instructions.recorded()).append(" executed):\n");
            b.append(TextPrinter.lines(insns, "  "));
            if (virtualized) {
                List<TraceEvent> ex = exits.last(lastExits);
                b.append("Last ").append(ex.size()).append(" VM exits (of ").append(exits.recorded()).append("):\n");
                b.append(TextPrinter.lines(ex, "  "));
            } else {
                b.append("No VM exits: the guest ran bare.\n");
            }
            return b.toString();
        }
    }
}
