package dev.vwb.machine.cli;

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

/**
 * {@code vwb run} with --flat, --mode and --rom, and its one-line errors (Main turns an
 * IllegalArgumentException into "vwb: message" and exit status 2).
 */
class RunCommandTest {
    /** mov al,'A'; out E9h,al; mov al,'B'; out E9h,al; mov al,5; out F4h,al; hlt: any mode runs it. */
    private static final byte[] PRINT_AB_EXIT_5 = {
        (byte) 0xB0, 'A', (byte) 0xE6, (byte) 0xE9, (byte) 0xB0, 'B', (byte) 0xE6, (byte) 0xE9,
        (byte) 0xB0, 5, (byte) 0xE6, (byte) 0xF4, (byte) 0xF4};

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private String file(byte[] content) throws Exception {
        Path p = dir.resolve("guest.bin");
        Files.write(p, content);
        return p.toString();
    }

    private int run(String... args) throws Exception {
        return RunCommand.run(args, out);
    }

    private String refused(String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(args));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void flatBinaryInRealAndInProtectedMode() throws Exception {
        String f = file(PRINT_AB_EXIT_5);
        assertEquals(11, run(f, "--flat", "0x7C00"));  // (5 << 1) | 1, as QEMU's isa-debug-exit
        assertEquals(11, run(f, "--flat", "7C00h", "--mode", "real"));
        assertEquals(11, run(f, "--flat", "1048576", "--mode", "protected"));
        assertEquals("ABABAB", bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void romImageOfAnySizeUpTo128KiB() throws Exception {
        byte[] rom = new byte[16];  // F000:FFF0 runs these 13 bytes
        System.arraycopy(PRINT_AB_EXIT_5, 0, rom, 0, PRINT_AB_EXIT_5.length);
        assertEquals(11, run(file(rom), "--rom"));
        assertEquals("AB", bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aFileThatIsNoMultibootKernelSuggestsFlatOrRom() throws Exception {
        String message = refused(file(PRINT_AB_EXIT_5));
        assertTrue(message.contains("no Multiboot header") && message.contains("--flat ADDR") && message.contains("--rom"),
                message);
    }

    @Test
    void badOptionValuesAreRefusedInOneLine() throws Exception {
        String f = file(PRINT_AB_EXIT_5);
        assertTrue(refused(f, "--flat", "x7C00").contains("--flat needs an address"));
        assertTrue(refused(f, "--flat", "0x100000000").contains("below 4 GiB"));
        assertTrue(refused(f, "--flat").contains("--flat needs an address"));
        assertTrue(refused(f, "--flat", "0", "--mode", "long").contains("--mode needs one of real, protected"));
        assertTrue(refused(f, "--mode", "real").contains("give --flat ADDR too"));
        assertTrue(refused(f, "--rom", "--flat", "0").contains("exclude each other"));
        assertTrue(refused(f, "--flat", "0xFFFF8").contains("first MiB"));
        assertTrue(refused(f, "--flat", "0x200", "--mode", "protected").contains("1000h or above"));
        assertTrue(refused(f, "--flat", "0x8000000", "--mode", "protected").contains("does not fit in the RAM"));
        assertTrue(refused(file(new byte[0x20001]), "--rom").contains("at most 128 KiB"));
    }

    @Test
    void helpDescribesTheNewOptions() throws Exception {
        assertEquals(0, run("--help"));
        String help = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("--flat ADDR") && help.contains("--mode real|protected") && help.contains("--rom"), help);
    }
}
