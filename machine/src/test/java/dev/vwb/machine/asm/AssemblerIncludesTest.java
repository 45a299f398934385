package dev.vwb.machine.asm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code %include}: textual inclusion as nasm does it, and a one-line diagnostic for every way it can fail. */
class AssemblerIncludesTest {
    @TempDir
    Path dir;

    /** Files by name; the including file does not matter. */
    private static Includes files(Map<String, String> files) {
        return (name, from) -> Optional.ofNullable(files.get(name)).map(text -> new Includes.Source(name, text));
    }

    private static List<String> errors(String source, Map<String, String> files) {
        return Assembler.assemble(source, "main.asm", files(files)).errors().stream().map(Diagnostic::toString).toList();
    }

    @Test
    void nestedIncludesInTheMiddleOfCode_assembleAsNasmWithDashI() throws Exception {
        NasmTools.assumeInstalled();
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Files.writeString(dir.resolve("main.asm"), """
                bits 32
                org 0x1000
                start:  mov esi, msg
                        call puts
                %include "putc.inc"   ; routines in the middle of the code
                        jmp start
                %include 'data.inc'
                after:  dd after - start, PORT
                """);
        Files.writeString(lib.resolve("putc.inc"), """
                PORT equ 0x3F8
                puts:   lodsb
                        test al, al
                        jz .done
                        call putc
                        jmp puts
                .done:  ret
                %include "wait.inc"
                putc:   call wait_ready
                        mov dx, PORT
                        out dx, al
                        ret
                """);
        Files.writeString(lib.resolve("wait.inc"), """
                wait_ready:
                        mov dx, PORT + 5
                .poll:  in al, dx
                        test al, 0x20
                        jz .poll
                        ret
                """);
        Files.writeString(dir.resolve("data.inc"), "msg: db \"hi\", 10, 0\n");

        Path main = dir.resolve("main.asm");
        Assembly a = Assembler.assemble(Files.readString(main), main.toString(), Includes.folders(List.of(lib)));
        assertEquals(List.of(), a.errors());
        // nasm 2.16 looks in the current folder and the -i folders, not beside the including file.
        assertArrayEquals(NasmTools.nasm(main, List.of("-i", dir + "/", "-i", lib + "/")), a.bytes());
        assertTrue(a.symbols().containsKey("wait_ready.poll"), "an included file's labels are ordinary symbols");
        assertTrue(a.symbols().containsKey("msg"), "found beside the including file, before the -i folders");
    }

    @Test
    void theListingShowsIncludedLinesInPlace_withTheirOwnLineNumbersAndDepth() {
        Assembly a = Assembler.assemble("nop\n%include \"a.inc\"\nhlt\n", "main.asm",
                files(Map.of("a.inc", "cli\n%include \"b.inc\"\n", "b.inc", "sti\n")));
        assertEquals(List.of(), a.errors());
        List<String> text = a.listingText().lines().map(String::strip).toList();
        assertEquals(List.of(
                "1 00000000 90                   nop",
                "2 00000001                      %include \"a.inc\"",
                "1 00000001 FA                   <1> cli",
                "2 00000002                      <1> %include \"b.inc\"",
                "1 00000002 FB                   <2> sti",
                "3 00000003 F4                   hlt"), text);
        assertEquals("b.inc", a.listing().get(4).file());
        assertEquals(2, a.listing().get(4).depth());
    }

    @Test
    void aMissingFile_isAnErrorAtTheIncludingLine() {
        assertEquals(List.of("main.asm:2:1: error: cannot find the include file 'nothere.inc'"),
                errors("nop\n%include \"nothere.inc\"\nnop\n", Map.of()));
    }

    @Test
    void anIncludeCycle_isAnErrorAtTheLineThatClosesIt() {
        assertEquals(List.of("b.inc:1:5: error: include cycle: main.asm includes a.inc includes b.inc includes a.inc"),
                errors("%include \"a.inc\"\n", Map.of("a.inc", "nop\n%include \"b.inc\"\n", "b.inc", "    %include \"a.inc\"\n")));
    }

    @Test
    void anErrorInAnIncludedFile_namesThatFileAndItsLine_inSourceOrder() {
        assertEquals(List.of(
                "main.asm:1:1: error: unknown instruction 'movv' — did you mean 'mov'?",
                "lib.inc:2:9: error: undefined label 'nowhere'",
                "lib.inc:3:1: error: label 'here' is already defined in main.asm line 2",
                "main.asm:4:9: error: invalid combination of operands for 'add' (16-bit register, 8-bit register)"),
                errors("movv ax, bx\nhere: nop\n%include \"lib.inc\"\n    add ax, bl\n",
                        Map.of("lib.inc", "nop\n    jmp nowhere\nhere: ret\n")));
    }

    @Test
    void withoutAResolver_includeIsAnErrorSayingWhatItNeeds() {
        List<String> e = Assembler.assemble("%include \"a.inc\"\n", "lesson.asm").errors().stream().map(Diagnostic::toString).toList();
        assertEquals(List.of("lesson.asm:1:1: error: %include \"a.inc\" needs a file to include from: assemble a file"
                + " (./vwb asm FILE.asm) or pass an include resolver"), e);
    }

    @Test
    void anIncludeWithoutAQuotedName_isASyntaxError() {
        assertEquals(List.of("main.asm:1:1: error: %include needs a file name in quotes, as in %include \"com1.inc\""),
                errors("%include com1.inc\n", Map.of()));
        assertEquals(List.of("main.asm:1:3: error: unexpected 'nop' after the file name of %include"),
                errors("  %include \"a.inc\" nop\n", Map.of("a.inc", "")));
    }
}
