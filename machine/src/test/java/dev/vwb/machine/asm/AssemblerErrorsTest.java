package dev.vwb.machine.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every error of a source is reported, each with file:line:column and a message a student understands. */
class AssemblerErrorsTest {

    private static List<String> errors(String source) {
        return Assembler.assemble(source, "lesson.asm").errors().stream().map(Diagnostic::toString).toList();
    }

    @Test
    void everyErrorIsReported_withLineColumnAndMessage() {
        List<String> e = errors("""
                bits 16
                loop_top:
                    mov [bx], 5
                    jmp lop
                    times 200 nop
                    jmp short loop_top
                    inc word [bx]
                """);
        assertEquals(List.of(
                "lesson.asm:3:9: error: operand size not specified (write byte, word or dword before the memory operand)",
                "lesson.asm:4:9: error: undefined label 'lop' — did you mean 'loop_top'?",
                "lesson.asm:6:9: error: short jump out of range (the target is 202 bytes back; a short jump reaches 128 back, 127 ahead)"), e);
    }

    @Test
    void syntaxErrorsOnSeveralLines_areAllReported() {
        List<String> e = errors("""
                    mov ax, (1 + 2
                    db 'unterminated
                    movv ax, bx
                    add ax, bl
                    mov eax, [bx+eax]
                start:
                start:
                """);
        assertEquals(6, e.size(), e.toString());
        assertTrue(e.get(0).startsWith("lesson.asm:1:19: error: expected ')'"), e.get(0));
        assertTrue(e.get(1).startsWith("lesson.asm:2:8: error: unterminated string"), e.get(1));
        assertTrue(e.get(2).startsWith("lesson.asm:3:5: error: unknown instruction 'movv' — did you mean"), e.get(2));
        assertTrue(e.get(3).startsWith("lesson.asm:4:9: error: invalid combination of operands for 'add' (16-bit register, 8-bit register)"), e.get(3));
        assertTrue(e.get(4).startsWith("lesson.asm:5:9: error: 16-bit and 32-bit registers cannot be mixed"), e.get(4));
        assertEquals("lesson.asm:7:1: error: label 'start' is already defined on line 6", e.get(5));
    }

    @Test
    void localLabelTypo_suggestsTheLocalLabel() {
        List<String> e = errors("""
                main:
                .again: dec cx
                        jnz .agian
                """);
        assertEquals(List.of("lesson.asm:3:13: error: undefined label 'main.agian' — did you mean 'main.again'?"), e);
    }

    @Test
    void symbolsAndListing_nameEveryLabel() {
        Assembly a = Assembler.assemble("org 0x7c00\nstart: nop\n.l: jmp start\nsize equ $ - start\n", "t.asm");
        assertEquals(List.of(), a.errors());
        assertEquals(0x7c00L, a.symbols().get("start"));
        assertEquals(0x7c01L, a.symbols().get("start.l"));
        assertEquals(3L, a.symbols().get("size"));
        assertEquals("EBFD", AssemblerMatchesNasmTest.hex(a.listing().get(2).bytes()));
    }
}
