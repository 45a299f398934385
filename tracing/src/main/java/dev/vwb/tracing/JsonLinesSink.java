package dev.vwb.tracing;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Writes one JSON object per line ({@link EventJson}), streamed with Jackson's generator so a
 * long trace never sits in memory. Read it back with {@code ObjectMapper.readTree} per line and
 * {@link EventJson#read}.
 */
public final class JsonLinesSink implements TraceSink {
    private final JsonGenerator g;

    /** Creates (or truncates) {@code file}; a one-line error if it cannot. */
    public static JsonLinesSink toFile(Path file) {
        return new JsonLinesSink(FileErrors.create(file, "the trace"));
    }

    /** Writes to {@code out}, which {@link #close()} closes. */
    public JsonLinesSink(OutputStream out) {
        try {
            g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8);
            g.setPrettyPrinter(new MinimalPrettyPrinter("\n"));  // the separator between root values
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void accept(TraceEvent event) {
        try {
            EventJson.write(g, event);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the JSON Lines trace failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            g.writeRaw('\n');
            g.close();
        } catch (IOException e) {
            throw new UncheckedIOException("finishing the JSON Lines trace failed: " + e.getMessage(), e);
        }
    }
}
