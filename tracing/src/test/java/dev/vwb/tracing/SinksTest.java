package dev.vwb.tracing;

import org.junit.jupiter.api.io.TempDir;
import java.nio.file.Path;
import java.nio.file.Files;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SinksTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void jsonLinesRoundTripThroughJackson() throws Exception {
        TestGuest g = TestGuest.divideByZero();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RingBuffer ring = new RingBuffer(1000);
        try (Tracer t = Tracer.builder().sink(new JsonLinesSink(out)).sink(ring).build().attach(g.machine())) {
            g.machine().run(10_000);
        }
        String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertEquals(ring.size(), lines.length);
        List<TraceEvent> read = new ArrayList<>();
        for (String line : lines) {
            read.add(EventJson.read(JSON.readTree(line)));
        }
        assertEquals(ring.stream().toList(), read);
        JsonNode first = JSON.readTree(lines[0]);
        assertEquals("instruction", first.get("kind").asText());
        assertEquals("B8" + "00000100".substring(0, 0), first.get("bytes").asText().substring(0, 2));
        assertTrue(first.get("text").asText().startsWith("mov eax,"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("\"kind\":\"exception\",\"retired\":"));
    }

    @Test
    void chromeTraceIsValidJson_withTheFieldsEveryEventNeeds() throws Exception {
        TestGuest g = TestGuest.divideByZero();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Tracer t = Tracer.builder().sink(new ChromeTraceSink(out)).build().attach(g.machine())) {
            g.machine().run(10_000);
        }
        JsonNode root = JSON.readTree(out.toByteArray());
        JsonNode events = root.get("traceEvents");
        assertTrue(events.isArray() && events.size() > 10);
        Set<String> phases = new java.util.HashSet<>();
        for (JsonNode e : events) {
            for (String field : List.of("name", "ph", "ts", "pid", "tid")) {
                assertTrue(e.has(field), field + " missing in " + e);
            }
            phases.add(e.get("ph").asText());
            if (e.get("ph").asText().equals("X")) {
                assertEquals(1, e.get("dur").asInt());
            }
        }
        assertEquals(Set.of("M", "X", "i"), phases);
        JsonNode divide = null;
        for (JsonNode e : events) {
            if (e.get("name").asText().equals("#DE")) {
                divide = e;
            }
        }
        assertEquals("exception", divide.get("cat").asText());
        assertEquals("i", divide.get("ph").asText());
    }

    @Test
    void eventJsonRefusesWhatIsNotAnEvent() throws Exception {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> EventJson.read(JSON.readTree("{\"kind\":\"teapot\"}")));
        assertTrue(e.getMessage().startsWith("not a trace event: "));
    }


    @Test
    void aTraceFileInAFolderThatDoesNotExistIsAOneLineError(@TempDir Path dir) {
        Path file = dir.resolve("missing").resolve("t.jsonl");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonLinesSink.toFile(file));
        assertEquals("cannot write the trace to " + file + ": its folder does not exist", e.getMessage());
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class, () -> ChromeTraceSink.toFile(file));
        assertEquals("cannot write the Chrome trace to " + file + ": its folder does not exist", c.getMessage());
        assertTrue(Files.notExists(file.getParent()));
    }
}
