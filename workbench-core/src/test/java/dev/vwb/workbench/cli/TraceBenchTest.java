package dev.vwb.workbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TraceBenchTest {
    @Test
    void aTinyBenchReportsTheFourFigures() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, Main.dispatch(new String[] {"bench-trace", "--iterations", "2", "--traced-iterations", "1",
                "--rounds", "1", "--capacity", "1000"}, new PrintStream(out, true, StandardCharsets.UTF_8)));
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(4, lines.length);
        assertTrue(lines[0].matches("bare [0-9.]+ MIPS"), lines[0]);
        assertTrue(lines[1].matches("detached-tracer [0-9.]+ MIPS \\([0-9.]+% of bare\\)"), lines[1]);
        assertTrue(lines[2].matches("ring-trace [0-9.]+ MIPS"), lines[2]);
        assertTrue(lines[3].matches("ring-trace-after-untraced [0-9.]+ MIPS"), lines[3]);
    }

    @Test
    void badArgumentsAreOneLineErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Main.dispatch(new String[] {"bench-trace", "--rounds", "lots"}, System.out));
        assertEquals("bench-trace: --rounds needs a positive whole number, not 'lots'", e.getMessage());
    }
}
