package dev.vwb.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vwb.workbench.Vm;
import dev.vwb.workbench.Workbench;
import org.junit.jupiter.api.Test;

class ExamineTest {
    private static final Vm VM = Workbench.fromAssembly("""
            org 0x100000
            bits 32
            start: mov eax, 0x12345678   ; B8 78 56 34 12
                   hlt                   ; F4
            msg:   db 'hi', 10, 0
            """).protectedMode(0x100000).build();

    private static String x(String spec, long address) {
        return Examine.parse(spec).show(VM, address);
    }

    @Test
    void theFormatDefaultsToOneHexWord() {
        assertEquals(new Examine(1, 'x', 4), Examine.parse(""));
        assertEquals(new Examine(16, 'x', 1), Examine.parse("16xb"));
        assertEquals(new Examine(3, 'c', 1), Examine.parse("3c"));
        assertEquals(new Examine(2, 'd', 2), Examine.parse("2dh"));
    }

    @Test
    void wordsAndHalfwordsAreLittleEndian() {
        assertEquals("00100000: 345678B8\n", x("xw", 0x100000));
        assertEquals("00100001: 5678 1234\n", x("2xh", 0x100001));
    }

    @Test
    void bytesInHexAreTheClassicDump() {
        assertEquals("00100000  B8 78 56 34 12 F4 68 69  0A 00                    |.xV4..hi..      |\n", x("10xb", 0x100000));
    }

    @Test
    void signedUnsignedAndCharacters() {
        assertEquals("00100000: -72 120\n", x("2db", 0x100000));
        assertEquals("00100000: 184 120\n", x("2ub", 0x100000));
        assertEquals("00100006: 'h' 'i' '\\n' '\\0'\n", x("4c", 0x100006));
    }

    @Test
    void stringsAndInstructions() {
        assertEquals("00100006: \"hi\\n\"\n", x("s", 0x100006));
        String insns = x("2i", 0x100000);
        assertTrue(insns.contains("mov eax,0x12345678") && insns.contains("hlt"), insns);
    }

    @Test
    void unmappedMemoryShowsQuestionMarksWhereTheGuestHasPagingOn() {
        Vm paged = Workbench.fromBundled("teachkernel").build();
        paged.runUntil("idle");
        assertTrue(Examine.parse("xw").show(paged, 0x80000000L).contains("????????"));
    }

    @Test
    void badFormatsAreOneLineErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Examine.parse("4q"));
        assertEquals("x/4q: 'q' is not a format (x d u c s i) or a size (b h w)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Examine.parse("5000x"));
    }
}
