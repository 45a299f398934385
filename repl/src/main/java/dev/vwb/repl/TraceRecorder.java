package dev.vwb.repl;

import dev.vwb.tracing.EventKind;
import dev.vwb.tracing.RingBuffer;
import dev.vwb.tracing.TextPrinter;
import dev.vwb.tracing.Tracer;
import dev.vwb.workbench.Vm;

/**
 * The {@code trace} command: a tracer recording instructions (with the registers they changed),
 * exceptions and interrupts, port I/O and VM exits into a ring buffer, attached to the session's
 * machine while on, and moved to the new machine when another guest is loaded.
 */
final class TraceRecorder {
    /** Events kept: the most recent ones. */
    static final int CAPACITY = 100_000;

    private final RingBuffer ring = new RingBuffer(CAPACITY);
    private Tracer tracer;
    private Vm vm;

    boolean on() {
        return tracer != null;
    }

    /** Starts recording {@code vm}; says what it records. */
    String start(Vm target) {
        if (tracer != null && vm == target) {
            return "tracing is already on (" + ring.size() + " events recorded)";
        }
        stop();
        tracer = Tracer.builder().kinds(EventKind.INSTRUCTION, EventKind.EXCEPTION, EventKind.PORT_IO, EventKind.VM_EXIT)
                .sink(ring).build().attach(target.machine());
        vm = target;
        return "tracing on: instructions, exceptions, port I/O and VM exits, the last " + String.format("%,d", CAPACITY)
                + " kept (trace show [N] lists them)";
    }

    /** Stops recording; the events stay for {@code trace show}. */
    String stop() {
        if (tracer == null) {
            return "tracing is off";
        }
        tracer.detach();
        tracer = null;
        return "tracing off (" + ring.size() + " events kept)";
    }

    /** After {@code load}: records the new VM if tracing was on. */
    void follow(Vm next) {
        if (tracer != null && vm != next) {
            stop();
            ring.clear();
            start(next);
        }
    }

    /** The timeline of what was recorded, if anything was. */
    java.util.Optional<dev.vwb.tracing.TraceTimeline> timelineView() {
        return ring.size() == 0 ? java.util.Optional.empty() : java.util.Optional.of(ring.timeline());
    }

    /** Everything recorded along virtual time, lane by lane. */
    String timeline() {
        if (ring.size() == 0) {
            return tracer == null ? "nothing recorded: trace on starts recording\n" : "nothing recorded yet\n";
        }
        return ring.timeline().toString();
    }

    /** The last {@code n} events, one per line. */
    String show(int n) {
        if (ring.size() == 0) {
            return tracer == null ? "nothing recorded: trace on starts recording\n" : "nothing recorded yet\n";
        }
        return TextPrinter.lines(ring.last(n), "");
    }
}
