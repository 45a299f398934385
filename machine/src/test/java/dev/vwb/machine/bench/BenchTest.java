package dev.vwb.machine.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The command line of {@code vwb bench}; the full benchmark is too slow for the unit tests. */
class BenchTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @Test
    void shortVwbOnlyRunPrintsOneFigure() {
        assertEquals(0, Bench.run(new String[] {"--no-qemu", "--no-paging", "--seconds", "1", "--iterations", "20"}, out));
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.matches("vwb \\d+\\.\\d MIPS\\R"), text);
    }

    /** The flat line stays first and unchanged; the paging figure and the ratio follow it. */
    @Test
    void pagingRunAddsItsFigureAndTheRatio() {
        assertEquals(0, Bench.run(new String[] {"--no-qemu", "--seconds", "1", "--iterations", "20"}, out));
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.matches("vwb \\d+\\.\\d MIPS\\Rvwb-paging \\d+\\.\\d MIPS\\Rpaging/flat \\d+\\.\\d{3}\\R"), text);
    }

    @Test
    void helpAndBadArguments() {
        assertEquals(0, Bench.run(new String[] {"--help"}, out));
        assertTrue(bytes.toString(StandardCharsets.UTF_8).startsWith("usage: vwb bench"));
        assertEquals(2, Bench.run(new String[] {"--iterations", "0"}, out));
        assertEquals(2, Bench.run(new String[] {"--seconds"}, out));
        assertEquals(2, Bench.run(new String[] {"--frobnicate"}, out));
    }
}
