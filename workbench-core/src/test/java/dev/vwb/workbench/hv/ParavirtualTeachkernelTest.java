package dev.vwb.workbench.hv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vwb.machine.StopReason;
import dev.vwb.workbench.guests.KernelGuests;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Lesson 5: {@code teachkernel-pv}, the teaching kernel paravirtualized, under the hypervisor in
 * paravirt mode prints what {@code teachkernel} prints on bare metal, through hypercalls instead of
 * instructions that trap, and so with far fewer exits than {@code teachkernel} needs in patch mode.
 */
class ParavirtualTeachkernelTest {
    private static KernelRun paravirt() {
        return KernelRun.of(KernelGuests.image("teachkernel-pv"), Hypervisor.Mode.PARAVIRT);
    }

    @Test
    void underParavirtItPrintsWhatTeachkernelPrintsBare_andExitsTheSame() {
        KernelRun bare = KernelRun.of(KernelGuests.image("teachkernel"), null);
        KernelRun pv = paravirt();
        assertEquals(StopReason.EXIT_DEVICE, pv.result().reason(), pv.result() + "\n" + pv.output());
        assertTrue(bare.output().contains("B5: 40001000 holds 'B'; sum of k^2 for k=1..5 = 55\n"), bare.output());
        assertEquals(bare.output(), pv.output());
        assertEquals(bare.exitStatus(), pv.exitStatus());
    }

    @Test
    void itMakesHypercalls_andNeedsFewerExitsThanTeachkernelInPatchMode() {
        ExitLog pv = paravirt().hypervisor().exits();
        ExitLog patch = KernelRun.of(KernelGuests.image("teachkernel"), Hypervisor.Mode.PATCH).hypervisor().exits();
        assertTrue(pv.count(ExitReason.HYPERCALL) > 0, pv.table());
        assertTrue(pv.total() < patch.total(), () -> "teachkernel-pv under paravirt: " + pv.total()
                + " exits; teachkernel under patch: " + patch.total() + "\n" + pv.table() + "\n" + patch.table());
    }

    /** What the header promises: port I/O and privileged instructions at boot only, then IRET once. */
    @Test
    void onceTheKernelIdlesOnlyInterruptsSystemCallsHypercallsAndOneIretExit() {
        List<VmExit> exits = paravirt().hypervisor().exits().recent();
        int firstHalt = 0;
        while (!hypercall(exits.get(firstHalt), "HALT")) {
            firstHalt++;
        }
        List<VmExit> running = exits.subList(firstHalt, exits.size());
        assertTrue(running.stream().noneMatch(e -> e instanceof VmExit.PortIo), running::toString);
        assertEquals(List.of("IRET"), running.stream()
                .filter(e -> e instanceof VmExit.PrivilegedInstruction p && !p.mnemonic().isEmpty())
                .map(e -> ((VmExit.PrivilegedInstruction) e).mnemonic()).toList());
        assertTrue(running.stream().anyMatch(e -> hypercall(e, "SET_CR3")), running::toString);
        assertTrue(running.stream().anyMatch(e -> hypercall(e, "SET_KERNEL_STACK")), running::toString);
    }

    private static boolean hypercall(VmExit e, String name) {
        return e instanceof VmExit.Hypercall h && h.name().equals(name);
    }

    @Test
    void onBareMetalItsFirstVmcallIsAnInvalidOpcode_andTheMachineTripleFaults() {
        KernelRun bare = KernelRun.of(KernelGuests.image("teachkernel-pv"), null);
        assertEquals(StopReason.SHUTDOWN, bare.result().reason(), bare.result().toString());
        assertEquals("", bare.output());
    }
}
