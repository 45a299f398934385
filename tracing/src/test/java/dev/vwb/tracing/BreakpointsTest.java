package dev.vwb.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vwb.machine.RunResult;
import dev.vwb.machine.StopReason;
import dev.vwb.machine.cpu.Reg32;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BreakpointsTest {
    private final TestGuest g = TestGuest.basic();
    private final Breakpoints bps = Breakpoints.on(g.machine());

    private RunResult run() {
        return g.machine().run(10_000);
    }

    private BreakReport stopped() {
        RunResult r = run();
        assertEquals(StopReason.BREAKPOINT, r.reason(), r.toString());
        return bps.report(r).orElseThrow();
    }

    private void runsToTheEnd() {
        RunResult r = run();
        assertEquals(StopReason.EXIT_DEVICE, r.reason(), r.toString());
    }

    @Test
    void anAddressBreakpointStopsBeforeTheInstruction_andContinuingRunsIt() {
        Breakpoint b = bps.atAddress(g.at("console"));
        BreakReport report = stopped();
        assertEquals(b.id(), report.breakpoint());
        assertEquals(0x10, report.cs());
        assertEquals(g.at("console"), report.eip());
        assertEquals("out 0xe9,al", report.instruction());
        assertEquals("", g.machine().debugConsole().output(), "not executed yet");
        assertEquals(String.format("breakpoint 1 (execution at %08X) at 0010:%08X (linear %08X): out 0xe9,al",
                g.at("console"), g.at("console"), g.at("console")), report.toString());
        runsToTheEnd();
        assertEquals("A", g.machine().debugConsole().output());
        assertEquals(1, b.hits());
    }

    @Test
    void aBreakpointInALoopStopsEveryPass_andCountsItsHits() {
        Breakpoint b = bps.atAddress(g.at("again"));
        for (int pass = 3; pass >= 1; pass--) {
            stopped();
            assertEquals(pass, g.machine().cpu().reg(Reg32.ECX));
        }
        runsToTheEnd();
        assertEquals(3, b.hits());
    }

    @Test
    void aOneShotBreakpointStopsOnce_andIsDeleted() {
        Breakpoint b = bps.atAddress(g.at("again")).once();
        stopped();
        runsToTheEnd();
        assertEquals(1, b.hits());
        assertTrue(b.deleted());
        assertTrue(bps.list().isEmpty());
        assertNull(g.machine().cpu().executionHook(), "nothing left installed");
    }

    @Test
    void disabledBreakpointsDoNotStop_enabledAgainTheyDo_deletedTheyAreGone() {
        Breakpoint first = bps.atAddress(g.at("start")).disable();
        Breakpoint loop = bps.atAddress(g.at("again"));
        stopped();
        assertEquals(0, first.hits());
        loop.disable();
        assertNull(g.machine().cpu().executionHook(), "disabled breakpoints cost nothing");
        loop.enable();
        stopped();
        loop.delete();
        assertEquals(Optional.empty(), bps.get(loop.id()));
        assertEquals(1, bps.list().size());
        runsToTheEnd();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, loop::enable);  // bad input, not a bug
        assertEquals("breakpoint " + loop.id() + " was deleted; make a new one", e.getMessage());
        assertEquals(2, loop.hits());
    }

    @Test
    void aPhysicalAddressBreakpointTranslatesCsEip() {
        bps.atPhysical(g.at("done"));
        assertEquals(g.at("done"), stopped().eip());
    }

    @Test
    void aSymbolBreakpointUsesTheSymbolMap_andAMisspeltSymbolIsRefused() {
        bps.atSymbol("done", g.symbols());
        assertEquals("mov al,0x0", stopped().instruction());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bps.atSymbol("dome", g.symbols()));
        assertEquals("no symbol 'dome'; did you mean done?", e.getMessage());
    }

    @Test
    void mnemonicAndClassBreakpointsStopAtEveryMatchingInstruction() {
        Breakpoint out = bps.onMnemonic("OUT");
        assertEquals(g.at("console"), stopped().eip());
        stopped();  // out dx,al
        out.delete();
        bps.onClass(InsnClass.PRIVILEGED);
        BreakReport r = stopped();
        assertEquals("out 0xf4,al", r.instruction());
        assertEquals("every privileged instruction", r.condition());
    }

    @Test
    void aPredicateBreakpointStopsWhereItHolds() {
        bps.when("ecx == 1", cpu -> cpu.reg(Reg32.ECX) == 1);
        BreakReport r = stopped();
        assertEquals(g.at("again") + 1, r.eip());  // after the DEC that made it 1: before the JNZ
        assertEquals("jnz 0x" + Long.toHexString(g.at("again")), r.instruction());
        assertEquals("when ecx == 1", r.condition());
    }

    @Test
    void aPredicateThatThrowsStopsTheRunWithTheErrorInTheReport_andTheMachineStaysUsable() {
        Breakpoint b = bps.when("broken", cpu -> {
            throw new IllegalStateException("no such register");
        });
        BreakReport r = stopped();
        assertEquals(Optional.of("the predicate threw IllegalStateException: no such register; breakpoint disabled"), r.error());
        assertEquals(TestGuest.ORG, r.eip());
        assertFalse(b.enabled());
        runsToTheEnd();
    }

    @Test
    void aMemoryWatchpointStopsAfterTheAccess_withTheAccessAndTheInstructionInTheReport() {
        bps.onMemory(AddressRange.of(0x20000, 4), BreakCondition.Access.WRITE);
        BreakReport r = stopped();
        assertEquals(g.at("store"), r.eip());
        assertEquals("mov [ebx],eax", r.instruction());
        assertEquals(new BreakReport.WatchedAccess(false, 0x20000, 4, 5, true), r.access().orElseThrow());
        assertEquals(g.at("load"), g.machine().cpu().eip(), "the access's instruction has run");
        runsToTheEnd();  // the read that follows is not a write
    }

    @Test
    void aReadWatchpointSeesReads() {
        bps.onMemory(AddressRange.at(0x20002), BreakCondition.Access.READ);
        BreakReport r = stopped();
        assertEquals("mov ecx,[ebx]", r.instruction());
        assertEquals("read of dword 00000005 at [00020000]", r.access().orElseThrow().toString());
    }

    @Test
    void aPortWatchpointStopsAfterTheInOrOut() {
        bps.onPort(0x3F8);
        BreakReport r = stopped();
        assertEquals("out dx,al", r.instruction());
        assertEquals("out of byte 42 at port 03F8", r.access().orElseThrow().toString());
        assertEquals("B", g.machine().com1().transmitted());
    }

    @Test
    void aVectorBreakpointStopsAtTheHandler_reportingTheFaultingInstruction() {
        TestGuest d = TestGuest.divideByZero();
        Breakpoints b = Breakpoints.on(d.machine());
        b.onVector(0);
        RunResult result = d.machine().run(10_000);
        BreakReport r = b.report(result).orElseThrow();
        assertEquals(d.at("divide"), r.eip());
        assertEquals("div ecx", r.instruction());
        assertEquals(Optional.of("#DE at EIP=" + String.format("%08X", d.at("divide")) + " (exception)"), r.exception());
        assertEquals(d.at("handler"), d.machine().cpu().eip(), "delivered: the run stops at the handler");
        assertEquals(StopReason.EXIT_DEVICE, d.machine().run(10_000).reason());
    }

    @Test
    void aBreakpointOutsideMemoryIsRefusedAtCreation() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bps.atAddress(0x7000_0000L));
        assertEquals("no breakpoint at 70000000: outside memory (RAM is 00000000..001FFFFF, the BIOS ROM ends at FFFFFFFF)",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> bps.atPhysical(0x1_0000_0000L));
        assertTrue(bps.list().isEmpty());
    }

    @Test
    void closingRemovesEveryHook() {
        bps.atAddress(g.at("done"));
        bps.onVector(3);
        bps.onMemory(AddressRange.ALL, BreakCondition.Access.READ_WRITE);
        bps.close();
        assertNull(g.machine().cpu().executionHook());
        assertNull(g.machine().cpu().exceptionInterceptor());
        runsToTheEnd();
    }

    @Test
    void breakpointsAndATracerShareTheHooks() {
        RingBuffer ring = new RingBuffer(100);
        try (Tracer t = Tracer.builder().kinds(EventKind.INSTRUCTION).sink(ring).build().attach(g.machine())) {
            bps.atAddress(g.at("done"));
            stopped();
            runsToTheEnd();
        }
        assertEquals(g.machine().cpu().instructionsRetired(), ring.size(), "the stop did not lose or repeat an instruction");
    }
}
