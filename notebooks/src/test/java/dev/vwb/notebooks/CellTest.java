package dev.vwb.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CellTest {
    @Test
    void magicLinesRunInTheirPlace_betweenRunsOfJava() {
        Cell c = Cell.parse("int a = 1;\nint b = 2;\n%si 5\n  %regs\nvm.step(1)\n");
        assertEquals(List.of(
                new Cell.Part(false, "int a = 1;\nint b = 2;"),
                new Cell.Part(true, "si 5"),
                new Cell.Part(true, "regs"),
                new Cell.Part(false, "vm.step(1)")), c.parts());
    }

    @Test
    void theLastJavaPart_isWhatIsCompleteJudges() {
        assertEquals("for (;;) {", Cell.parse("%si\nfor (;;) {").lastJava());
        assertEquals("", Cell.parse("%si 5").lastJava());
    }

    @Test
    void aPercentInsideJava_isNotAMagic() {
        assertEquals(List.of(new Cell.Part(false, "int r = 7 %\n 3;")), Cell.parse("int r = 7 %\n 3;").parts());
    }
}
