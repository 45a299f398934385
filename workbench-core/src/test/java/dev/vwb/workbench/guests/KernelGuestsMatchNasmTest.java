package dev.vwb.workbench.guests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** nasm is the oracle for the project's assembler: each guest kernel, byte for byte. */
class KernelGuestsMatchNasmTest {
    @BeforeAll
    static void needsNasm() {
        boolean present;
        try {
            Process p = new ProcessBuilder("nasm", "-v").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            present = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            present = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            present = false;
        }
        Assumptions.assumeTrue(present, "nasm is not installed (apt-get install -y nasm)");
    }

    static List<String> guests() {
        return KernelGuests.names();
    }

    @ParameterizedTest
    @MethodSource("guests")
    void theProjectsAssemblerGivesTheSameBytesAsNasm(String name, @TempDir Path dir) throws Exception {
        Path source = dir.resolve(name + ".asm");
        Path image = dir.resolve(name + ".bin");
        Files.writeString(source, KernelGuests.source(name), StandardCharsets.UTF_8);
        // The guests' shared routines, where nasm finds them: -i takes a prefix, hence the slash.
        Path library = Path.of(KernelGuests.class.getResource(KernelGuests.LIBRARY).toURI());
        Process nasm = new ProcessBuilder("nasm", "-f", "bin", "-i", library + "/", "-o", image.toString(), source.toString())
                .redirectErrorStream(true).start();
        String messages = new String(nasm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(nasm.waitFor(60, TimeUnit.SECONDS), "nasm did not finish");
        assertEquals(0, nasm.exitValue(), "nasm failed on " + name + ".asm:\n" + messages);
        assertEquals("", messages, "nasm warned");

        assertArrayEquals(Files.readAllBytes(image), KernelGuests.image(name), name + ".asm");
    }
}
