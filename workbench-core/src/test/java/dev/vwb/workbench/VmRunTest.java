package dev.vwb.workbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class VmRunTest {
    @Test
    void stepRetiresExactlyTheInstructionsAskedFor() {
        Vm vm = Workbench.assemble(Guests.COUNTER);
        RunReport r = vm.step(5);
        assertEquals(Outcome.COMPLETED, r.outcome());
        assertEquals(5, r.instructions());
        assertEquals(5, vm.time());
        assertEquals(2, vm.reg("ax"));  // xor, inc, add, jmp, inc
        assertTrue(r.toString().startsWith("COMPLETED after 5 instructions"), r::toString);
    }

    @Test
    void runStopsWhenTheGuestHaltsAndSaysWhere() {
        Vm vm = Workbench.assemble(Guests.HELLO);
        RunReport r = vm.run();
        assertEquals(Outcome.HALTED, r.outcome());
        assertEquals(6, r.instructions());
        assertEquals("Hi", vm.console());
    }

    @Test
    void runUsesUpItsBudgetOnAnEndlessLoop() {
        Vm vm = Workbench.assemble(Guests.COUNTER);
        vm.setBudget(250_000);
        RunReport r = vm.run();
        assertEquals(Outcome.BUDGET_USED, r.outcome());
        assertEquals(250_000, r.instructions());
    }

    @Test
    void runUntilStopsRightAfterTheInstructionThatMakesTheConditionTrue() {
        Vm vm = Workbench.assemble(Guests.COUNTER);
        RunReport r = vm.runUntil(v -> v.reg("ax") == 1000);
        assertEquals(Outcome.CONDITION_MET, r.outcome(), r::toString);
        assertEquals(1000, vm.reg("ax"));
        assertEquals(2 + 999 * 3, vm.time());  // xor, inc; then add, jmp, inc per round
    }

    @Test
    void runUntilASymbolStopsThere() {
        Vm vm = Workbench.assemble(Guests.HELLO);
        RunReport r = vm.runUntil("done");
        assertEquals(Outcome.CONDITION_MET, r.outcome(), r::toString);
        assertEquals(vm.symbols().address("done"), vm.eip());  // real mode: labels are offsets in CS
        assertEquals("done", vm.where().symbol());
    }

    @Test
    void aBreakpointAtASymbolStopsRunBeforeThatInstruction_andContinuingGoesOn() {
        Vm vm = Workbench.assemble(Guests.HELLO);
        dev.vwb.tracing.Breakpoint b = vm.breakAt("done");
        RunReport r = vm.run();
        assertEquals(Outcome.BREAKPOINT, r.outcome(), r::toString);
        assertEquals("done", vm.where().symbol());
        assertEquals(1, b.hits());
        assertTrue(vm.run().outcome() != Outcome.BREAKPOINT, "continuing runs the instruction at the breakpoint");
    }

    @Test
    void conditionThatThrowsIsAClearErrorAndTheVmGoesOn() {
        Vm vm = Workbench.assemble(Guests.COUNTER);
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> vm.runUntil(v -> {
            throw new ArithmeticException("boom");
        }));
        assertTrue(e.getMessage().contains("the condition threw") && e.getMessage().contains("boom"), e.getMessage());
        assertEquals(Outcome.COMPLETED, vm.step(3).outcome());
    }

    @Test
    void stopFromAnotherThreadEndsARunAtAnInstructionBoundary() throws Exception {
        Vm vm = Workbench.assemble(Guests.COUNTER);
        vm.setBudget(Long.MAX_VALUE / 4);
        AtomicReference<RunReport> report = new AtomicReference<>();
        Thread t = new Thread(() -> report.set(vm.run()));
        t.start();
        while (!vm.isRunning() || vm.time() < 1000) {
            Thread.onSpinWait();
        }
        vm.stop();
        t.join(10_000);
        assertEquals(Outcome.STOPPED, report.get().outcome());
        assertEquals(Outcome.COMPLETED, vm.step(1).outcome());
    }

    @Test
    void registerWritesByNameReachTheCpu() {
        Vm vm = Workbench.assemble(Guests.COUNTER);
        vm.setReg("eax", 0x12345678);
        vm.setReg("al", 0xFF);
        vm.setReg("bh", 0x12);
        assertEquals(0x123456FFL, vm.reg("eax"));
        assertEquals(0x56FF, vm.reg("ax"));
        assertEquals(0x1200, vm.reg("bx"));
        assertEquals(0x123456FF, vm.registers().eax());
        vm.setReg("ip", 0x0003);
        assertEquals(3, vm.eip());
    }

    @Test
    void unknownRegisterIsAOneLineError() {
        Vm vm = Workbench.assemble(Guests.COUNTER);
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> vm.reg("rax"));
        assertTrue(e.getMessage().contains("no register named 'rax'"), e.getMessage());
    }

    @Test
    void registersPrintEveryRegisterWithFlagsDecodedAndMarkChanges() {
        Vm vm = Workbench.assemble(Guests.COUNTER);
        vm.step(2);
        Registers r = vm.registers();
        String text = r.toString();
        for (String name : new String[] {"EAX=", "EBX=", "ESP=", "EIP=", "EFLAGS=", "CS=", "SS=", "CR0=", "GDTR="}) {
            assertTrue(text.contains(name), text);
        }
        assertTrue(text.contains("[ PF ]") || text.contains("["), text);
        vm.step(1);  // add [counter], ax with AX = 1: only EIP changes (the result 1 sets no flag)
        assertEquals(java.util.List.of("EIP"), vm.registers().changed());
        vm.step(2);  // jmp, inc ax
        assertTrue(vm.registers().changed().contains("EAX"), vm.registers().changed()::toString);
    }

    @Test
    void stepOnAShutDownMachineSaysSoAndResetRecovers() {
        // A fault in flat protected mode with an IDT of zeros: #UD, then #GP, #DF, a triple fault.
        Vm vm = Workbench.fromAssembly("bits 32\norg 0x100000\nud2\n").protectedMode(0x100000).build();
        RunReport r = vm.run();
        assertEquals(Outcome.SHUT_DOWN, r.outcome(), r::toString);
        WorkbenchException e = assertThrows(WorkbenchException.class, vm::step);
        assertTrue(e.getMessage().contains("shut down") && e.getMessage().contains("reset()"), e.getMessage());
        assertEquals(0x100000, vm.registers().eip(), "the VM is still readable");
        vm.reset();
        assertEquals(0, vm.time());
        assertEquals(0x100000, vm.eip());
        assertEquals(Outcome.SHUT_DOWN, vm.run().outcome());
    }

    @Test
    void resetGoesBackToTheFreshlyLoadedGuest() {
        Vm vm = Workbench.assemble(Guests.HELLO);
        vm.run();
        vm.reset();
        assertEquals("", vm.console());
        assertEquals(0, vm.time());
        vm.run();
        assertEquals("Hi", vm.console());
    }

    @Test
    void stepOnAPoweredOffGuestSaysSoAndRestoreRecovers() {
        Vm vm = Workbench.bundled("demo");
        Snapshot start = vm.snapshot();
        assertEquals(Outcome.EXITED, vm.run().outcome());
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> vm.step(1));
        assertTrue(e.getMessage().startsWith("the guest powered off (") && !e.getMessage().contains("\n"), e.getMessage());
        assertTrue(vm.toString().contains("powered off"), vm::toString);
        vm.restore(start);
        assertEquals(Outcome.COMPLETED, vm.step(1).outcome());
    }

    @Test
    void aBreakpointStopIsExplainedByItsReport() {
        Vm vm = Workbench.assemble(Guests.HELLO);
        vm.breakAt("done");
        RunReport r = vm.run();
        assertEquals(Outcome.BREAKPOINT, r.outcome());
        assertEquals("breakpoint 1 (when at done) at 07C0:00000009 (linear 00007C09): hlt", r.detail());
    }

    @Test
    void aBreakpointPredicateThatThrowsStopsTheRunSayingWhy_andTheVmGoesOn() {
        Vm vm = Workbench.assemble(Guests.HELLO);
        vm.step(2);
        vm.breakpoints().when("broken", cpu -> {
            throw new ArithmeticException("boom");
        });
        RunReport r = vm.run();
        assertEquals(Outcome.BREAKPOINT, r.outcome());
        assertTrue(r.detail().contains("the predicate threw ArithmeticException: boom; breakpoint disabled"), r.detail());
        assertEquals(2, vm.time(), "stopped before the next instruction");
        assertEquals(Outcome.HALTED, vm.run().outcome());
        assertEquals("Hi", vm.console());
    }

    @Test
    void aStopByAnotherBreakpointSetIsNotExplainedByAnOldReport() {
        Vm vm = Workbench.assemble(Guests.HELLO);
        dev.vwb.tracing.Breakpoint first = vm.breakAt("start");
        assertEquals(Outcome.BREAKPOINT, vm.run().outcome());
        first.delete();
        dev.vwb.tracing.Breakpoints.on(vm.machine()).onMnemonic("hlt");
        RunReport r = vm.run();
        assertEquals(Outcome.BREAKPOINT, r.outcome());
        assertEquals("breakpoint at 07C0:00000009", r.detail(), "the machine's own words, not breakpoint 1's report");
    }

    @Test
    void aBreakpointOnAnUnmappedAddressIsAOneLineError_andTheVmGoesOn() {
        Vm vm = Workbench.fromAssembly(Guests.PAGING + "nowhere equ 0xC00000\n").protectedMode(0x100000).build();
        assertEquals(Outcome.HALTED, vm.run().outcome());
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> vm.breakAt(0xC00000));
        assertEquals("no breakpoint at 00C00000: the current page tables do not map it", e.getMessage());
        WorkbenchException bySymbol = assertThrows(WorkbenchException.class, () -> vm.breakAt("nowhere"));
        assertEquals(e.getMessage(), bySymbol.getMessage());
        IllegalArgumentException direct = assertThrows(IllegalArgumentException.class,
                () -> vm.breakpoints().atAddress(0xC00000));
        assertEquals(e.getMessage(), direct.getMessage());
        assertTrue(vm.breakpoints().list().isEmpty());
        vm.breakAt("paged");
        assertEquals(1, vm.breakpoints().list().size());
    }

    @Test
    void aBreakpointOutsideMemoryIsAOneLineError() {
        Vm vm = Workbench.assemble(Guests.HELLO);
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> vm.breakAt(0x7000_0000L));
        assertTrue(e.getMessage().startsWith("no breakpoint at 70000000: outside memory"), e.getMessage());
        assertEquals(Outcome.HALTED, vm.run().outcome());
    }

    @Test
    void runUntilALinearAddressStopsThere() {
        Vm vm = Workbench.assemble(Guests.HELLO);
        RunReport r = vm.runUntil(Condition.at(0x7C09));
        assertEquals(Outcome.CONDITION_MET, r.outcome(), r::toString);
        assertEquals("condition met: CS:EIP reaches linear 00007C09", r.detail());
        assertEquals("done", vm.where().symbol());
    }

    @Test
    void aListingOfANegativeOrHugeCountIsAOneLineError() {
        Vm vm = Workbench.assemble(Guests.HELLO);
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> vm.disassemble(0x7C00, -1));
        assertEquals("a listing has 0 to 10,000 instructions, not -1", e.getMessage());
        assertThrows(WorkbenchException.class, () -> vm.disassemble("start", 1_000_000));
        assertEquals(0, vm.disassemble(0x7C00, 0).lines().size());
    }

}
