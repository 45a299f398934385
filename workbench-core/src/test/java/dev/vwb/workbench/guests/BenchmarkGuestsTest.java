package dev.vwb.workbench.guests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vwb.machine.Machine;
import dev.vwb.machine.RunResult;
import dev.vwb.machine.StopReason;
import dev.vwb.machine.guests.BenchGuest;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The benchmark guests on the bare machine: {@code compute} is the machine's bench loop (same
 * checksum, same instructions per iteration), {@code exits} runs exactly the instructions its
 * counts ask for. Their golden output and QEMU runs are in {@link KernelGuestsRunTest}.
 */
class BenchmarkGuestsTest {
    /** Instructions of one iteration of bench.asm's loop (its header: a + 10,502 * N). */
    private static final long BENCH_ITERATION = 10_502;

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 37})
    void compute_printsTheChecksumOfTheMachinesBenchGuestForTheSameN(long n) {
        KernelGuestsRunTest.BareRun compute = KernelGuestsRunTest.BareRun.of(KernelGuests.computeImage(n));
        Machine bench = Machine.builder().ramMiB(16).bios(BenchGuest.image(n)).build();
        RunResult benchResult = bench.run(50_000_000);

        assertEquals(StopReason.EXIT_DEVICE, compute.result().reason(), compute.result().toString());
        assertEquals(StopReason.EXIT_DEVICE, benchResult.reason(), benchResult.toString());
        assertEquals(String.format("compute: %08X iterations", n), compute.output().lines().findFirst().orElse(""));
        OptionalInt checksum = BenchGuest.checksum(compute.output());
        assertEquals(BenchGuest.checksum(bench.debugConsole().output()), checksum, compute.output());
        assertEquals(1, compute.exitStatus(), "exit value 0");
    }

    @Test
    void compute_retiresTheBenchLoopsInstructionsPerIteration() {
        long one = KernelGuestsRunTest.BareRun.of(KernelGuests.computeImage(1)).result().instructions();
        long three = KernelGuestsRunTest.BareRun.of(KernelGuests.computeImage(3)).result().instructions();
        assertEquals(2 * BENCH_ITERATION, three - one);
    }

    @Test
    void exits_runsFourInstructionsPerPairAndThreePerPortWrite_andPrintsItsCounts() {
        KernelGuestsRunTest.BareRun none = KernelGuestsRunTest.BareRun.of(KernelGuests.exitsImage(0, 0));
        KernelGuestsRunTest.BareRun pairs = KernelGuestsRunTest.BareRun.of(KernelGuests.exitsImage(10, 0));
        KernelGuestsRunTest.BareRun writes = KernelGuestsRunTest.BareRun.of(KernelGuests.exitsImage(0, 10));

        // CLI, STI, DEC, JNZ per pair; OUT, DEC, JNZ per write.
        assertEquals(40, pairs.result().instructions() - none.result().instructions());
        assertEquals(30, writes.result().instructions() - none.result().instructions());
        assertEquals("exits: 0000000A cli/sti pairs, 00000000 writes to port 80h\n", pairs.output());
        assertEquals("exits: 00000000 cli/sti pairs, 0000000A writes to port 80h\n", writes.output());
        assertEquals(1, none.exitStatus(), "exit value 0");
    }
}
