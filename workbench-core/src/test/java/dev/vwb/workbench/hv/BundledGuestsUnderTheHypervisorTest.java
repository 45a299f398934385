package dev.vwb.workbench.hv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vwb.machine.StopReason;
import dev.vwb.workbench.guests.KernelGuests;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Equivalence: every bundled guest kernel that runs on bare metal prints the same bytes and ends
 * with the same status bare and under the hypervisor in patch mode; in trap mode the guests about
 * the x86 gap visibly diverge, because POPF and SGDT & co. do not trap at ring 1. (The
 * paravirtual kernel has {@link ParavirtualTeachkernelTest}.)
 */
class BundledGuestsUnderTheHypervisorTest {
    /** The guests that run bare and are meant to print the same there (the attacks are {@link IsolationTest}'s). */
    static java.util.List<String> guests() {
        return KernelGuests.names().stream().filter(KernelGuests::bareMetal).filter(n -> !KernelGuests.attack(n)).toList();
    }

    @ParameterizedTest
    @MethodSource("guests")
    void patchModeIsEquivalentToBare(String name) {
        KernelRun bare = KernelRun.of(KernelGuests.image(name), null);
        KernelRun hv = KernelRun.of(KernelGuests.image(name), Hypervisor.Mode.PATCH);
        assertEquals(StopReason.EXIT_DEVICE, bare.result().reason(), bare.result().toString());
        assertFalse(bare.output().isBlank(), "two empty outputs would pass for equal ones");
        assertEquals(bare.output(), hv.output());
        assertEquals(bare.exitStatus(), hv.exitStatus());
        assertEquals(StopReason.EXIT_DEVICE, hv.result().reason(), hv.result().toString());
        ExitLog exits = hv.hypervisor().exits();
        assertTrue(exits.count(ExitReason.PRIVILEGED_INSTRUCTION) > 0, exits.table());
        assertTrue(exits.count(ExitReason.PORT_IO) > 0, exits.table());
    }

    @Test
    void theTeachingKernelRunsDeprivilegedWithInterruptsInjectedAndRing3Tasks() {
        KernelRun hv = KernelRun.of(KernelGuests.image("teachkernel"), Hypervisor.Mode.PATCH);
        ExitLog exits = hv.hypervisor().exits();
        assertTrue(exits.count(ExitReason.INTERRUPT_INJECTED) > 0, exits.table());
        assertTrue(exits.count(ExitReason.SOFTWARE_INTERRUPT) > 0, exits.table());  // the tasks' syscalls
        assertTrue(exits.count(ExitReason.HALT) > 0, exits.table());
        assertTrue(hv.output().contains("B5: 40001000 holds 'B'"), hv.output());
        // The CR3 switches between the two tasks were emulated against the virtual CPU.
        assertTrue(exits.recent().stream().anyMatch(e -> e instanceof VmExit.PrivilegedInstruction p
                && p.mnemonic().equals("MOV_CR_R")), exits.table());
    }

    @Test
    void trapModeStillRunsTheTeachingKernel() {
        KernelRun bare = KernelRun.of(KernelGuests.image("teachkernel"), null);
        KernelRun trap = KernelRun.of(KernelGuests.image("teachkernel"), Hypervisor.Mode.TRAP);
        assertEquals(bare.output(), trap.output());
    }

    @Test
    void inTrapModeThePopfGuestDiverges() {
        KernelRun bare = KernelRun.of(KernelGuests.image("popf"), null);
        KernelRun trap = KernelRun.of(KernelGuests.image("popf"), Hypervisor.Mode.TRAP);
        assertTrue(bare.output().contains("interrupt taken after popf: yes"), bare.output());
        assertTrue(trap.output().contains("interrupt taken after popf: no"), trap.output());
        assertNotEquals(bare.output(), trap.output());
    }

    @Test
    void inTrapModeTheSensitiveGuestSeesTheHypervisorsTables() {
        KernelRun trap = KernelRun.of(KernelGuests.image("sensitive"), Hypervisor.Mode.TRAP);
        // SGDT shows the shadow GDT in the hypervisor's window at the top of the linear space.
        assertTrue(trap.output().contains(String.format("sgdt base: %08X", MonitorMemory.linear(MonitorMemory.GDT))), trap.output());
        assertTrue(trap.output().contains("mov from cs: 0009"), trap.output());
        assertTrue(!trap.output().contains("0 of 15 observations differ"), trap.output());
    }

    @Test
    void patchModePatchesTheSensitiveInstructions() {
        KernelRun hv = KernelRun.of(KernelGuests.image("sensitive"), Hypervisor.Mode.PATCH);
        ExitLog exits = hv.hypervisor().exits();
        assertTrue(exits.count(ExitReason.SENSITIVE_INSTRUCTION) >= 10, exits.table());
        assertTrue(hv.hypervisor().patchedSites() >= 10, () -> "patched " + hv.hypervisor().patchedSites());
    }
}
