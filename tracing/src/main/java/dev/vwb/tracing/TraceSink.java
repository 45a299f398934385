package dev.vwb.tracing;

/**
 * Where a tracer puts the events that pass its filter. Sinks are called on the thread that runs
 * the machine, in event order. Closing a tracer closes its sinks (files are finished: a Chrome
 * trace gets its closing bracket).
 */
public interface TraceSink extends AutoCloseable {
    void accept(TraceEvent event);

    /** Finishes the output; the default does nothing. Errors are unchecked (one-line messages). */
    @Override
    default void close() {
    }
}
