package dev.vwb.machine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DemoCommandTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void showsTheGuestOutputAndASummary() {
        assertEquals(0, DemoCommand.run(new String[0], out));
        String text = output();
        assertTrue(text.contains("hello from protected mode"), text);
        assertTrue(text.contains("EXIT_DEVICE"), text);
        assertTrue(text.contains("instructions retired"), text);
        assertTrue(text.contains("EAX="), text);
    }

    @Test
    void traceListsTheFirstInstructions() {
        assertEquals(0, DemoCommand.run(new String[] {"--trace", "3"}, out));
        String text = output();
        // The reset vector's far jump, then the first two instructions of the real start.
        assertTrue(text.contains("trace      1  F000:0000FFF0  EA 00 00 00 F0"), text);
        assertTrue(text.contains("trace      2  F000:00000000  FA"), text);
        assertTrue(text.contains("trace      3  F000:00000001  FC"), text);
        assertTrue(!text.contains("trace      4"), text);
        assertTrue(text.contains("guest: [protected mode] hello from protected mode!"), text);
    }

    @Test
    void helpAndBadArguments() {
        assertEquals(0, DemoCommand.run(new String[] {"--help"}, out));
        assertTrue(output().startsWith("usage: vwb demo"));
        assertEquals(2, DemoCommand.run(new String[] {"--trace"}, out));
        assertEquals(2, DemoCommand.run(new String[] {"--bogus"}, out));
    }
}
