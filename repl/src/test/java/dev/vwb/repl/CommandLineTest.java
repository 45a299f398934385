package dev.vwb.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CommandLineTest {
    private static final Set<String> NAMES = Set.of("si", "c", "b", "x", "regs", "trace", "d");

    private static boolean command(String line) {
        return CommandLine.parse(line, NAMES).isPresent();
    }

    @Test
    void aCommandNameAloneOrWithWordsIsACommand() {
        assertTrue(command("si"));
        assertTrue(command("  si 5  "));
        assertTrue(command("c"));
        assertTrue(command("b kmain"));
        assertTrue(command("trace show 20"));
    }

    @Test
    void examineTakesItsFormatAfterTheSlash() {
        CommandLine x = CommandLine.parse("x/16xb esp+4", NAMES).orElseThrow();
        assertEquals("x", x.name());
        assertEquals("16xb", x.format());
        assertEquals(List.of("esp+4"), x.args());
    }

    @Test
    void aCommandWordThatJavaContinuesIsJava() {
        assertFalse(command("c = 5"));
        assertFalse(command("c += 1"));
        assertFalse(command("c == 1"));
        assertFalse(command("regs.size()"));
        assertFalse(command("si(3)"));
        assertFalse(command("b -> b.id()"));
        assertFalse(command("x;"));
        assertFalse(command("d++"));
        assertFalse(command("x[0] = 1"));
    }

    @Test
    void otherWordsAreJava() {
        assertFalse(command("vm.step(5)"));
        assertFalse(command("int c = 5;"));
        assertFalse(command("sii"));
        assertFalse(command("(c)"));
    }

    @Test
    void aCountIsDecimalAndPositive() {
        CommandLine si = CommandLine.parse("si 1,000", NAMES).orElseThrow();
        assertEquals(1000, si.count(0, 1));
        assertEquals(7, CommandLine.parse("si", NAMES).orElseThrow().count(0, 7));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> CommandLine.parse("si -3", NAMES).orElseThrow().count(0, 1));
        assertEquals("si takes a count of 1 or more (decimal), not '-3'", e.getMessage());
    }
}
