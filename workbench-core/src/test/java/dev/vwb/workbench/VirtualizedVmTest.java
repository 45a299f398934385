package dev.vwb.workbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vwb.workbench.hv.ExitReason;
import dev.vwb.workbench.hv.Hypervisor;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The object model with a guest under the hypervisor: runs, exits, snapshots and step-back keep the virtual CPU. */
class VirtualizedVmTest {
    private static Vm teachkernel() {
        return Workbench.fromBundled("teachkernel").hypervisor(Hypervisor.Mode.PATCH).build();
    }

    private static String bareOutput() {
        Vm bare = Workbench.bundled("teachkernel");
        bare.run();
        return bare.serial();
    }

    @Test
    void theTeachingKernelRunsUnderTheHypervisorFromTheObjectModel() {
        Vm vm = teachkernel();
        assertTrue(vm.virtualized());
        vm.run();
        assertEquals(bareOutput(), vm.serial());
        assertTrue(vm.exits().count(ExitReason.PORT_IO) > 0);
        assertTrue(vm.toString().contains("under the hypervisor (patch mode"), vm.toString());
    }

    @Test
    void aSnapshotHoldsTheVirtualCpuSoARestoredRunEndsTheSame() {
        Vm vm = teachkernel();
        vm.step(150_000);  // tasks running, paging on: the virtual CR3 is not the boot one
        int cr3 = vm.hypervisor().vcpu().cr3();
        Snapshot middle = vm.snapshot();
        vm.run();
        String first = vm.serial();
        vm.restore(middle);
        assertEquals(cr3, vm.hypervisor().vcpu().cr3());
        vm.run();
        assertEquals(first, vm.serial());
        assertEquals(bareOutput(), first);
    }

    @Test
    void aSnapshotFileOfAVirtualizedGuestLoadsBack(@TempDir Path dir) {
        Vm vm = teachkernel();
        vm.step(150_000);
        vm.save(dir.resolve("mid.vwbsnap"));
        vm.run();
        String first = vm.serial();
        vm.restore(Snapshot.load(dir.resolve("mid.vwbsnap")));
        vm.run();
        assertEquals(first, vm.serial());
    }

    @Test
    void stepBackWorksUnderTheHypervisor() {
        Vm vm = teachkernel();
        vm.step(100_000);
        long t = vm.time();
        Registers r = vm.registers();
        vm.step(10);
        vm.stepBack(10);
        assertEquals(t, vm.time());
        assertEquals(r.eip(), vm.registers().eip());
    }

    @Test
    void translateShowsTheGuestWalkTheP2mAndTheShadowWalk() {
        Vm vm = teachkernel();
        vm.step(150_000);
        String text = vm.translate(0x100000).toString();
        assertTrue(text.contains("guest walk:") && text.contains("p2m:") && text.contains("shadow walk:"), text);
        assertThrows(WorkbenchException.class, () -> vm.translate(-1));
    }

    @Test
    void aTripleFaultUnderTheHypervisorIsAReportAndAnExitAndTheVmStaysUsable() {
        Vm vm = Workbench.fromBundled("attack-triple").hypervisor(Hypervisor.Mode.PATCH).build();
        RunReport r = vm.run();
        assertEquals(Outcome.SHUT_DOWN, r.outcome(), r.toString());
        assertTrue(r.detail().contains("the hypervisor contained it"), r.detail());
        assertEquals(1, vm.exits().count(ExitReason.TRIPLE_FAULT));
        vm.reset();
        assertEquals(Outcome.SHUT_DOWN, vm.run().outcome());
        assertEquals(2, vm.exits().count(ExitReason.TRIPLE_FAULT));
    }

    @Test
    void aBareVmHasNoHypervisorAndSaysSo() {
        Vm vm = Workbench.bundled("demo");
        WorkbenchException e = assertThrows(WorkbenchException.class, vm::exits);
        assertTrue(e.getMessage().contains(".hypervisor("), e.getMessage());
    }

    @Test
    void aRealModeGuestUnderTheHypervisorIsAOneLineError() {
        WorkbenchException e = assertThrows(WorkbenchException.class,
                () -> Workbench.fromBundled("demo").hypervisor(Hypervisor.Mode.PATCH).build());
        assertTrue(e.getMessage().contains("real mode"), e.getMessage());
    }

    @Test
    void aShadowCacheOfOne_rebuildsAShadowOnEveryCr3Switch_andTheOutputStaysTheSame() {
        Vm one = Workbench.fromBundled("teachkernel").hypervisor(Hypervisor.Mode.PATCH).shadowCache(1).build();
        one.run();
        Vm four = teachkernel();
        four.run();
        assertEquals(four.serial(), one.serial());
        assertEquals(0, four.hypervisor().shadowStats().evictions());
        assertTrue(one.hypervisor().shadowStats().evictions() > 0, one.hypervisor().shadowStats().toString());
        assertTrue(one.hypervisor().shadowStats().builds() > four.hypervisor().shadowStats().builds());
        assertThrows(WorkbenchException.class, () -> Workbench.fromBundled("teachkernel").shadowCache(0));
    }

    @Test
    void aGuestThatSpinsWithInterruptsOff_isStoppedByItsBudget_andLoggedAsAContainedWatchdogExit() {
        Vm spin = Workbench.fromBundled("attack-spin").hypervisor(Hypervisor.Mode.PATCH).build();
        spin.setBudget(200_000);
        assertEquals(Outcome.BUDGET_USED, spin.run().outcome());
        assertEquals(1, spin.exits().count(ExitReason.CONTAINED));
        assertTrue(spin.exits().last(1).get(0).toString().contains("watchdog"), spin.exits().last(1).toString());
        Vm kernel = teachkernel();
        kernel.step(1000);
        kernel.runUntil(v -> v.time() >= 2000);
        assertEquals(0, kernel.exits().count(ExitReason.CONTAINED), "steps and conditions are not the watchdog's business");
    }

    @Test
    void translateSaysWhyAShadowEntryIsEmpty_aFrameOutsideTheGuestIsNeverFilled() {
        Vm outside = Workbench.fromBundled("attack-outside").hypervisor(Hypervisor.Mode.PATCH).build();
        outside.run();
        String text = outside.translate(0x4000_0000).toString();
        assertTrue(text.contains("never filled: no host frame"), text);
        assertTrue(outside.translate(0x4000_0000).toSvg().contains("never filled"));
        Vm kernel = teachkernel();
        kernel.runUntil(v -> v.registers().cpl() == 3);
        assertTrue(kernel.translate(0x4000_1000).toString().contains("the next access is a hidden page fault"));
        assertTrue(kernel.translate(0x7000_0000).toString().contains("a true fault"), kernel.translate(0x7000_0000).toString());
    }
}
