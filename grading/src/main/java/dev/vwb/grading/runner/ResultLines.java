package dev.vwb.grading.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The runner's side of the protocol with the grader: one JSON object a line, flushed as written.
 * Events: {@code plan} (id, name, class, points: one per graded test, before anything runs),
 * {@code started} (id), {@code finished} (id, status {@code passed|failed|timeout}, output),
 * {@code done}. A line is written whole or not at all as far as the grader is concerned: it
 * ignores a last line cut short by a kill.
 */
final class ResultLines {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final OutputStream out;

    ResultLines(Path file) throws IOException {
        this.out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    void plan(String id, String name, String className, double points) {
        write(event("plan", id).with("name", name).with("class", className).with("points", points));
    }

    void started(String id) {
        write(event("started", id));
    }

    void finished(String id, String status, String output, double seconds) {
        write(event("finished", id).with("status", status).with("output", output).with("seconds", seconds));
    }

    void done() {
        write(new Line().with("event", "done"));
    }

    private static Line event(String event, String id) {
        return new Line().with("event", event).with("id", id);
    }

    private synchronized void write(Line line) {
        try {
            out.write(JSON.writeValueAsBytes(line.fields));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A line's fields in order. */
    private static final class Line {
        final Map<String, Object> fields = new LinkedHashMap<>();

        Line with(String key, Object value) {
            fields.put(key, value);
            return this;
        }
    }
}
