package dev.vwb.workbench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link Vm#stepBack} and its checkpoints ({@link TimeTravel}, {@link Timeline}). */
class TimeTravelTest {
    @Test
    void steppingBackPastABreakpointReplaysThroughIt() {
        Vm vm = Workbench.assemble(Guests.COUNTER);
        dev.vwb.tracing.Breakpoint again = vm.breakAt("again");
        assertEquals(Outcome.BREAKPOINT, vm.run().outcome());
        assertEquals(Outcome.BREAKPOINT, vm.run().outcome());
        long then = vm.time();
        Snapshot there = vm.snapshot();
        vm.run();
        vm.run();
        vm.stepBack(vm.time() - then);  // the replay passes 'again' twice on the way
        assertEquals(then, vm.time());
        assertEquals(there.registers().toMap(), vm.registers().toMap());
        assertEquals(4, again.hits(), "a replay does not count as hits");
    }

    @Test
    void stepBackOneAfterStepHundredEqualsStepNinetyNine() {
        Vm vm = Workbench.assemble(Guests.COUNTER);
        vm.step(100);
        vm.stepBack(1);
        Vm reference = Workbench.assemble(Guests.COUNTER);
        reference.step(99);
        assertEquals(99, vm.time());
        assertEquals(reference.registers().comparedWith(null), vm.registers().comparedWith(null));
        assertArrayEquals(SnapshotTest.ram(reference), SnapshotTest.ram(vm));
    }

    @Test
    void stepBackAcrossManyCheckpointsAndBackToTheStart() {
        Vm vm = Workbench.assemble(Guests.COUNTER);
        vm.setCheckpointPolicy(1000, 0);
        vm.step(50_000);
        assertTrue(vm.checkpoints() > 10, () -> vm.checkpoints() + " checkpoints");
        vm.stepBack(12_345);
        Vm reference = Workbench.assemble(Guests.COUNTER);
        reference.step(50_000 - 12_345);
        assertEquals(reference.registers().comparedWith(null), vm.registers().comparedWith(null));
        vm.stepBack(vm.time());
        assertEquals(0, vm.time());
        assertThrows(WorkbenchException.class, () -> vm.stepBack(1));
    }

    @Test
    void stepBackFromAPoweredOffGuestTakesBackItsLastOutput() {
        Vm vm = Workbench.bundled("demo");
        vm.run();
        long end = vm.time();
        vm.stepBack(1);
        assertEquals(end - 1, vm.time());
        assertEquals(Outcome.EXITED, vm.step().outcome());
        assertEquals(WorkbenchFactoriesTest.DEMO_OUTPUT, vm.console());
    }

    @Test
    void stepBackAfterAHandWrittenRegisterKeepsTheWrite() {
        Vm vm = Workbench.assemble(Guests.COUNTER);
        vm.step(10);
        vm.setReg("ebx", 0x42);
        vm.step(10);
        vm.stepBack(5);
        assertEquals(0x42, vm.reg("ebx"));
        assertEquals(15, vm.time());
    }

    @Test
    void steppingBackNothingOrPastTheStartIsAOneLineErrorAndChangesNothing() {
        Vm vm = Workbench.assemble(Guests.COUNTER);
        vm.step(100);
        Registers before = vm.registers();
        WorkbenchException zero = assertThrows(WorkbenchException.class, () -> vm.stepBack(0));
        assertEquals("stepBack takes a positive number of instructions, not 0", zero.getMessage());
        WorkbenchException far = assertThrows(WorkbenchException.class, () -> vm.stepBack(101));
        assertEquals("cannot step back 101 instructions: the history starts at instruction 0"
                + " (where the VM was made, reset or restored)", far.getMessage());
        assertEquals(100, vm.time());
        assertEquals(before, vm.registers());
        assertEquals(Outcome.COMPLETED, vm.step(1).outcome());
    }

    @Test
    void aRestoredSnapshotStartsANewHistory() {
        Vm other = Workbench.assemble(Guests.COUNTER);
        other.step(500);
        Snapshot elsewhere = other.snapshot();
        Vm vm = Workbench.assemble(Guests.COUNTER);
        vm.step(1000);
        vm.restore(elsewhere);
        vm.step(10);
        vm.stepBack(10);
        assertEquals(500, vm.time());
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> vm.stepBack(1));
        assertTrue(e.getMessage().contains("the history starts at instruction 500"), e.getMessage());
    }

    @Test
    void aBadCheckpointPolicyIsRefused() {
        Vm vm = Workbench.assemble(Guests.COUNTER);
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> vm.setCheckpointPolicy(0, 10));
        assertEquals("the checkpoint gap must be positive and the cost factor at least 0, not 0 and 10", e.getMessage());
        assertThrows(WorkbenchException.class, () -> vm.setCheckpointPolicy(1000, -1));
    }

    @Test
    void aLongStepBackLeavesACheckpointHalfwaySoTheNextIsShorter() {
        Vm vm = Workbench.assemble(Guests.COUNTER);
        vm.setCheckpointPolicy(1000, Integer.MAX_VALUE);  // 1000 apart, but never while running (the cost rule)
        vm.setReg("ebx", 1);  // a hand change: a checkpoint whose cost the policy measures
        vm.step(20_000);
        int before = vm.checkpoints();
        assertEquals(1, before);
        vm.stepBack(1);
        assertEquals(before + 1, vm.checkpoints(), "one more, halfway through the replay");
    }

}
