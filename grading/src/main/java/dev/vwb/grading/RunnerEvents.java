package dev.vwb.grading;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The grader's side of the runner's JSON lines: every whole line; a line cut short by a kill is skipped. */
final class RunnerEvents {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunnerEvents() {
    }

    static List<JsonNode> read(Path file) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        if (!Files.exists(file)) {
            return events;
        }
        for (String line : Files.readAllLines(file)) {
            try {
                events.add(JSON.readTree(line));
            } catch (IOException e) {
                // the last line of a killed JVM
            }
        }
        return events;
    }
}
