package dev.vwb.machine.guests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vwb.machine.StopReason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bundled guests: the committed images are what their sources assemble to, and each runs in
 * vwb to its exit with the expected output. (QemuEquivalenceTest checks the same runs against
 * QEMU; the expected texts here were confirmed with QEMU too.)
 */
class BundledGuestsTest {
    static final String DEMO_OUTPUT = """
            ============================================
             vwb demo: a little program on a bare x86 PC
            ============================================
            [real mode] Hello! The CPU started in 16-bit real mode at F000:FFF0.
            [real mode] Loading a GDT and setting CR0.PE ...
            [protected mode] hello from protected mode! 32-bit code, flat 4 GiB segments.
            [protected mode] The primes below 100, by the sieve of Eratosthenes in RAM:
              2 3 5 7 11 13 17 19 23 29 31 37 41 43 47 53 59 61 67 71 73 79 83 89 97
              ... that makes 25 primes.
            [protected mode] The first 20 Fibonacci numbers:
              0 1 1 2 3 5 8 13 21 34 55 89 144 233 377 610 987 1597 2584 4181
            [protected mode] Done. Writing 0 to port F4h to power off. Bye!
            """;

    static List<String> guests() {
        return BundledGuests.names();
    }

    @ParameterizedTest
    @MethodSource("guests")
    void committedImageIsWhatNasmAssembles(String name, @TempDir Path dir) throws Exception {
        Path source = dir.resolve(name + ".asm");
        Path image = dir.resolve(name + ".bin");
        // Every source, so that one may include another (bench-paging includes bench).
        for (String guest : BundledGuests.names()) {
            Files.writeString(dir.resolve(guest + ".asm"), BundledGuests.source(guest), StandardCharsets.UTF_8);
        }

        Process nasm;
        try {
            nasm = new ProcessBuilder("nasm", "-f", "bin", "-i", dir + "/", "-o", image.toString(), source.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            fail("nasm is not installed, so the bundled guests cannot be re-assembled to check them;"
                    + " ./vwb test installs it (or: apt-get install -y nasm)", e);
            return;
        }
        String messages = new String(nasm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(nasm.waitFor(60, TimeUnit.SECONDS), "nasm did not finish");
        assertEquals(0, nasm.exitValue(), "nasm failed on " + name + ".asm:\n" + messages);

        assertArrayEquals(Files.readAllBytes(image), BundledGuests.load(name),
                name + ".bin is not what " + name + ".asm assembles to: after editing the source, run"
                        + " (in machine/src/main/resources/dev/vwb/machine/guests) nasm -f bin -o "
                        + name + ".bin " + name + ".asm");
    }

    @ParameterizedTest
    @MethodSource("guests")
    void imagesAre64KiBWithAFarJumpAtTheResetVector(String name) {
        byte[] image = BundledGuests.load(name);
        assertEquals(0x10000, image.length);
        assertEquals(0xEA, image[0xFFF0] & 0xFF, "the first instruction should be a far jmp");
    }

    @Test
    void demoShowsItsWorkAndPowersOff() {
        GuestRun run = GuestRun.of(BundledGuests.load("demo"));
        assertEquals(StopReason.EXIT_DEVICE, run.result().reason(), () -> run.result() + "\n" + run.output());
        assertEquals(DEMO_OUTPUT, run.output());
        assertEquals(0, run.exitValue());
    }

    /**
     * The timer guest takes ten IRQ 0s at 100 Hz of virtual time: 0.1 s of a 100-MIPS virtual CPU
     * is 10,000,000 instructions, so the run ends just after that many, the same every time.
     */
    @Test
    void timerTakesTenTicksOfVirtualTimeIdenticallyEveryRun() {
        GuestRun first = GuestRun.of(BundledGuests.load("timer"));
        GuestRun second = GuestRun.of(BundledGuests.load("timer"));
        assertEquals(StopReason.EXIT_DEVICE, first.result().reason(), () -> first.result() + "\n" + first.output());
        assertEquals("timer: waiting for 10 ticks of IRQ 0\n..........\ntimer: 10 ticks, done\n", first.output());
        assertEquals(first.result().instructions(), second.result().instructions());
        assertTrue(first.result().instructions() > 10_000_000 && first.result().instructions() < 10_100_000,
                () -> first.result().toString());
    }

    @Test
    void serialTalksThroughComOne() {
        GuestRun run = GuestRun.of(BundledGuests.load("serial"));
        assertEquals("serial: ok\n", run.output());
        assertEquals("Hello over COM1: 16550 UART, 115200 8N1, FIFOs on.\r\nScratch register and loopback checked.\r\n",
                run.serialOutput());
        assertEquals(0, run.exitValue());
    }

    @Test
    void ringsCrossesPrivilegeLevelsThroughTheTss() {
        GuestRun run = GuestRun.of(BundledGuests.load("rings"));
        assertEquals(StopReason.EXIT_DEVICE, run.result().reason(), () -> run.result() + "\n" + run.output());
        assertTrue(run.output().contains("rings: INT 80h entered ring 0 from ring 3\n"), run.output());
        assertTrue(run.output().contains("rings: CLI in ring 3 raised #GP from ring 3\nrings: error code 0\n"), run.output());
    }

    @Test
    void benchWithItsDefaultIterationCount() {
        GuestRun run = GuestRun.of(BundledGuests.load("bench"));
        assertEquals(StopReason.EXIT_DEVICE, run.result().reason(), () -> run.result() + "\n" + run.output());
        assertEquals("bench: 00000064 iterations\nchecksum F8DE1903\n", run.output());
        assertEquals(0xF8DE1903 & 0x7F, run.exitValue());
        byte[] image = BundledGuests.load("bench");
        int n = java.nio.ByteBuffer.wrap(image, BenchGuest.ITERATIONS_OFFSET, 4)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
        assertEquals(BenchGuest.DEFAULT_ITERATIONS, n, "N as assembled into bench.bin");
    }

    /** The benchmark relies on the count being a + b*N, so that QEMU's count is known too. */
    @Test
    void benchRetiresALinearNumberOfInstructions() {
        long[] counts = new long[4];
        for (int n = 0; n < counts.length; n++) {
            GuestRun run = GuestRun.of(BenchGuest.image(n));
            assertEquals(StopReason.EXIT_DEVICE, run.result().reason(), () -> run.result() + "\n" + run.output());
            counts[n] = run.result().instructions();
        }
        long perIteration = counts[2] - counts[1];
        assertEquals(counts[1] + 2 * perIteration, counts[3], "instructions for N = 1, 2, 3");
        // N = 0 skips the loop: one jump, where N >= 1 runs the loop's last dec/jnz instead.
        assertTrue(counts[0] < counts[1]);
    }

    @Test
    void benchIterationCountIsPatchable() {
        GuestRun run = GuestRun.of(BenchGuest.image(2));
        assertEquals("bench: 00000002 iterations\nchecksum 94B39A1C\n", run.output());
        assertEquals(0x94B39A1C, BenchGuest.checksum(run.output()).orElseThrow());
        assertEquals(BenchGuest.exitValue(0x94B39A1C), run.exitValue());
    }

    /** The paging variant computes the same as the flat one, with CR0.PG set, in a + b*N instructions too. */
    @Test
    void benchWithPagingPrintsTheSameChecksumAsWithout() {
        long[] counts = new long[4];
        for (int n = 1; n < counts.length; n++) {
            GuestRun flat = GuestRun.of(BenchGuest.image(n));
            GuestRun paging = GuestRun.of(BenchGuest.pagingImage(n));
            assertEquals(StopReason.EXIT_DEVICE, paging.result().reason(), () -> paging.result() + "\n" + paging.output());
            assertEquals(flat.output(), paging.output(), "N = " + n);
            assertTrue(paging.result().instructions() > flat.result().instructions(), "the page tables are built first");
            counts[n] = paging.result().instructions();
        }
        assertEquals(counts[2] - counts[1], counts[3] - counts[2], "instructions for N = 1, 2, 3");
        assertEquals("bench: 00000064 iterations\nchecksum F8DE1903\n", GuestRun.of(BundledGuests.load("bench-paging")).output());
    }

    @Test
    void unknownGuestNamesTheAvailableOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BundledGuests.load("doom"));
        assertTrue(e.getMessage().contains("doom") && e.getMessage().contains("demo, bench"), e.getMessage());
    }

    @Test
    void loadReturnsAFreshCopy() {
        BundledGuests.load("demo")[0] ^= 1;
        assertArrayEquals(BundledGuests.load("demo"), BundledGuests.load("demo"));
        assertEquals(List.of("demo", "bench", "bench-paging", "timer", "serial", "rings"), BundledGuests.names());
    }
}
