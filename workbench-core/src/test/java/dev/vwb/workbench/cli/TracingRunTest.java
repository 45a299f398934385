package dev.vwb.workbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vwb.tracing.ElfSymbols;
import dev.vwb.tracing.EventJson;
import dev.vwb.tracing.TraceEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vwb run} with --trace, --trace-chrome and --break, as a user runs them. */
class TracingRunTest {
    private static final String KERNEL = """
            start:
                mov al, 'H'
                out 0xE9, al
                mov al, 'i'
            second:
                out 0xE9, al
                mov al, 3
                out 0xF4, al
                hlt
            """;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    private int vwb(String... args) throws Exception {
        PrintStream err = System.err;
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
        try {
            return Main.dispatch(args, new PrintStream(stdout, true, StandardCharsets.UTF_8));
        } finally {
            System.setErr(err);
        }
    }

    private String kernel() throws Exception {
        Path p = dir.resolve("kernel.elf");
        Files.write(p, TinyElf.of(KERNEL).file());
        return p.toString();
    }

    @Test
    void traceWritesJsonLinesThatJacksonParsesBackIntoEvents() throws Exception {
        Path trace = dir.resolve("t.jsonl");
        assertEquals(7, vwb("run", kernel(), "--trace", trace.toString()));  // exit value 3: (3 << 1) | 1
        assertEquals("Hi", stdout.toString(StandardCharsets.UTF_8));
        List<String> lines = Files.readAllLines(trace);
        List<TraceEvent> events = lines.stream().map(l -> {
            try {
                return EventJson.read(JSON.readTree(l));
            } catch (Exception e) {
                throw new AssertionError(l, e);
            }
        }).toList();
        assertEquals(6, events.stream().filter(e -> e instanceof TraceEvent.Instruction).count());
        assertEquals(2, events.stream().filter(e -> e instanceof TraceEvent.ConsoleOutput).count());
        assertEquals("mov al,0x48", JSON.readTree(lines.get(0)).get("text").asText());
    }

    @Test
    void traceChromeWritesATraceEventObject() throws Exception {
        Path trace = dir.resolve("t.json");
        assertEquals(7, vwb("run", kernel(), "--trace-chrome", trace.toString()));
        JsonNode root = JSON.readTree(trace.toFile());
        for (JsonNode e : root.get("traceEvents")) {
            assertTrue(e.has("ph") && e.has("ts") && e.has("name") && e.has("pid") && e.has("tid"), e.toString());
        }
    }

    @Test
    void breakAtAnAddressStopsThere_printsWhereAndWhy_andExitsWithTen() throws Exception {
        long second = TinyElf.of(KERNEL).symbols().get("second");
        assertEquals(10, vwb("run", kernel(), "--break", "0x" + Long.toHexString(second)));
        assertEquals("H", stdout.toString(StandardCharsets.UTF_8));
        String err = stderr.toString(StandardCharsets.UTF_8);
        assertEquals(String.format("vwb run: stopped at breakpoint 1 (execution at %08X) at 0010:%08X (linear %08X):"
                + " out 0xe9,al after 3 instructions%n", second, second, second), err);
    }

    @Test
    void breakAtASymbolReadsTheElfSymbolTable() throws Exception {
        TinyElf elf = TinyElf.of(KERNEL);
        assertEquals(elf.symbols(), ElfSymbols.read(elf.file()));
        assertEquals(10, vwb("run", kernel(), "--break", "second"));
        assertTrue(stderr.toString(StandardCharsets.UTF_8).contains("out 0xe9,al after 3 instructions"));
    }

    @Test
    void badBreakpointsAreOneLineErrors() throws Exception {
        String k = kernel();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> vwb("run", k, "--break", "secnd"));
        assertEquals("no symbol 'secnd'; did you mean second?", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> vwb("run", k, "--break", "0x90000000"));
        assertTrue(e.getMessage().startsWith("no breakpoint at 90000000: outside memory"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> vwb("run", k, "--break"));
        assertEquals("run: --break needs a value; try ./vwb run --help", e.getMessage());
    }

    @Test
    void helpListsTheNewOptionsAndTheBreakpointStatus() throws Exception {
        assertEquals(0, vwb("run", "--help"));
        String help = stdout.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("--trace FILE.jsonl"));
        assertTrue(help.contains("--break ADDR|SYMBOL"));
        assertTrue(help.contains("10 when a --break breakpoint"));
    }

    @Test
    void otherCommandsGoToTheMachinesCommandLine() throws Exception {
        assertEquals(0, vwb("--help"));
        String help = stdout.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("bench-asm"));
        assertTrue(help.contains("bench-trace"));
    }
}
