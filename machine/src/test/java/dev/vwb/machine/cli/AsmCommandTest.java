package dev.vwb.machine.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vwb asm} and {@code vwb disasm} as a user runs them: files in, files and text out, errors. */
class AsmCommandTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private Path source(String text) throws Exception {
        Path p = dir.resolve("prog.asm");
        Files.writeString(p, text);
        return p;
    }

    @Test
    void assemblesToABinaryAndAListing_andDisassemblesItBack() throws Exception {
        Path src = source("bits 32\norg 0x1000\nstart: mov eax, 5\n.l: dec eax\n jnz .l\n hlt\n");
        Path bin = dir.resolve("prog.bin");
        Path listing = dir.resolve("prog.lst");
        assertEquals(0, AsmCommand.run(new String[] {src.toString(), "-o", bin.toString(), "--listing", listing.toString()}, out));
        // mov eax,5 ; dec eax ; jnz -3 ; hlt
        assertArrayEquals(new byte[] {(byte) 0xB8, 5, 0, 0, 0, 0x48, 0x75, (byte) 0xFD, (byte) 0xF4}, Files.readAllBytes(bin));
        assertTrue(Files.readString(listing).contains("00001005 48"), Files.readString(listing));

        bytes.reset();
        assertEquals(0, DisasmCommand.run(new String[] {bin.toString(), "--bits", "32", "--org", "0x1000"}, out));
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("mov eax,0x5"), text);
        assertTrue(text.contains("jnz 0x1005"), text);
    }

    @Test
    void everyErrorInTheFileIsReportedWithItsPlace_andTheExitStatusIsOne() throws Exception {
        Path src = source("bits 32\nloop_top: dec eax\n jnz lop\n mov [ebx], 1\n");
        PrintStream savedErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            status = AsmCommand.run(new String[] {src.toString(), "-o", dir.resolve("x.bin").toString()}, out);
        } finally {
            System.setErr(savedErr);
        }
        String messages = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, status);
        assertTrue(messages.contains("prog.asm:3:6: error: undefined label 'lop'"), messages);
        assertTrue(messages.contains("did you mean 'loop_top'"), messages);
        assertTrue(messages.contains("prog.asm:4:6: error: operand size not specified"), messages);
        assertFalse(Files.exists(dir.resolve("x.bin")), "no binary is written when there are errors");
    }

    @Test
    void badUsageIsOneLine() {
        for (String[] args : new String[][] {{}, {"--frobnicate"}, {dir.resolve("missing.asm").toString()}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AsmCommand.run(args, out));
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DisasmCommand.run(new String[] {"x.bin", "--bits", "64"}, out));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void includesAreFoundBesideTheIncludingFileAndInTheDashIFolders_missingOnesAreReportedAtTheirLine() throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Files.writeString(lib.resolve("halt.inc"), "%include \"nop.inc\"\nhlt\n");  // nop.inc is beside prog.asm, not beside halt.inc
        Files.writeString(dir.resolve("nop.inc"), "nop\n");
        Path src = source("bits 32\n%include 'halt.inc'\n");
        Path bin = dir.resolve("prog.bin");
        assertEquals(0, AsmCommand.run(new String[] {src.toString(), "-i", lib.toString(), "-i" + dir, "-o", bin.toString()}, out));
        assertArrayEquals(new byte[] {(byte) 0x90, (byte) 0xF4}, Files.readAllBytes(bin));

        PrintStream savedErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(1, AsmCommand.run(new String[] {src.toString(), "-o", bin.toString()}, out), "without -i lib");
        } finally {
            System.setErr(savedErr);
        }
        assertEquals(src + ":2:1: error: cannot find the include file 'halt.inc'\n", err.toString(StandardCharsets.UTF_8));
    }
}
