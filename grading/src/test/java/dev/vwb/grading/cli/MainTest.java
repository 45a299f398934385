package dev.vwb.grading.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MainTest {
    private static String run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertEquals(0, Main.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String error(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> Main.run(args, new PrintStream(new ByteArrayOutputStream())))
                .getMessage();
    }

    @Test
    void help_listsEveryForm() {
        String help = run("--help");
        for (String form : new String[] {"--exercise NAME SUBMISSION --out DIR", "--solution", "--all DIR", "package", "--gradescope"}) {
            assertTrue(help.contains(form), form);
        }
    }

    @Test
    void badInput_isAOneLineMessage() {
        assertEquals("unknown option --bogus (see --help)", error("--bogus"));
        assertEquals("say which exercise: --exercise NAME or --exercise-dir DIR (see --help)", error("sub", "--out", "o"));
        assertEquals("--parallel takes a positive whole number, not 'two'", error("--parallel", "two"));
        assertTrue(error("--exercise", "no-such", "sub", "--out", "o").startsWith("no exercise named 'no-such'"));
    }
}
