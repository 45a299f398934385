package dev.vwb.workbench;

import dev.vwb.tracing.TextPrinter;
import dev.vwb.tracing.TraceEvent;
import dev.vwb.tracing.TraceTimeline;
import java.util.List;

/**
 * What {@link Vm#record(long)} saw: the run's report and its events (instructions with the
 * registers they changed, interrupts and exceptions, port I/O, console output, VM exits), oldest
 * first. Shown as a timeline ({@link TraceTimeline}); {@link #lines(int)} lists events as text.
 *
 * @param report  how the recorded run ended
 * @param events  the events kept (the newest {@link Vm#RECORDING_CAPACITY} if there were more)
 * @param dropped older events not kept
 */
public record Recording(RunReport report, List<TraceEvent> events, long dropped) implements HtmlRenderable {
    public Recording {
        events = List.copyOf(events);
    }

    /** The events along virtual time, lane by lane. */
    public TraceTimeline timeline() {
        return TraceTimeline.of(events);
    }

    /** The last {@code n} events, one per line. */
    public String lines(int n) {
        return TextPrinter.lines(events.subList(Math.max(0, events.size() - n), events.size()), "");
    }

    @Override
    public String toString() {
        return report + "\n" + (dropped > 0 ? String.format("(%,d older events not kept)%n", dropped) : "") + timeline();
    }

    @Override
    public String toHtml() {
        return report.toHtml() + timeline().toHtml();
    }
}
