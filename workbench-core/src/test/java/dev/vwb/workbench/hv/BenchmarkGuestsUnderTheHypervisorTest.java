package dev.vwb.workbench.hv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vwb.machine.StopReason;
import dev.vwb.workbench.guests.KernelGuests;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The benchmark guests do under the hypervisor what they are for, in every mode: {@code compute}'s
 * loop makes no exit at all (its exits do not grow with N), and in {@code exits} every CLI, STI and
 * OUT of its loops is exactly one exit.
 */
class BenchmarkGuestsUnderTheHypervisorTest {
    @ParameterizedTest
    @EnumSource(Hypervisor.Mode.class)
    void computesLoopRunsWithoutExits(Hypervisor.Mode mode) {
        KernelRun none = KernelRun.of(KernelGuests.computeImage(0), mode);
        KernelRun three = KernelRun.of(KernelGuests.computeImage(3), mode);
        KernelRun bare = KernelRun.of(KernelGuests.computeImage(3), null);
        assertEquals(StopReason.EXIT_DEVICE, three.result().reason(), three.result().toString());
        assertEquals(bare.output(), three.output());
        assertEquals(none.hypervisor().exits().total(), three.hypervisor().exits().total(), three.hypervisor().exits().table());
    }

    @ParameterizedTest
    @EnumSource(Hypervisor.Mode.class)
    void everyCliStiAndPortWriteOfTheExitsGuestIsOneExit(Hypervisor.Mode mode) {
        ExitLog none = run(KernelGuests.exitsImage(0, 0), mode);
        ExitLog pairs = run(KernelGuests.exitsImage(100, 0), mode);
        ExitLog writes = run(KernelGuests.exitsImage(0, 100), mode);
        assertEquals(200, pairs.count(ExitReason.PRIVILEGED_INSTRUCTION) - none.count(ExitReason.PRIVILEGED_INSTRUCTION),
                pairs.table());
        assertEquals(200, pairs.total() - none.total(), pairs.table());
        assertEquals(100, writes.count(ExitReason.PORT_IO) - none.count(ExitReason.PORT_IO), writes.table());
        assertEquals(100, writes.total() - none.total(), writes.table());
    }

    private static ExitLog run(byte[] kernel, Hypervisor.Mode mode) {
        KernelRun run = KernelRun.of(kernel, mode);
        assertEquals(StopReason.EXIT_DEVICE, run.result().reason(), run.result().toString());
        return run.hypervisor().exits();
    }
}
