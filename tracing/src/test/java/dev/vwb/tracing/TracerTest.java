package dev.vwb.tracing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vwb.machine.RunResult;
import dev.vwb.machine.StopReason;
import dev.vwb.machine.cpu.ExceptionEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class TracerTest {
    private static RingBuffer trace(TestGuest g, Tracer.Builder b) {
        RingBuffer ring = new RingBuffer(10_000);
        try (Tracer t = b.sink(ring).build().attach(g.machine())) {
            RunResult r = g.machine().run(10_000);
            assertEquals(StopReason.EXIT_DEVICE, r.reason(), r.toString());
        }
        return ring;
    }

    @Test
    void everyRetiredInstructionIsRecorded_withAddressBytesTextAndChangedRegisters() {
        TestGuest g = TestGuest.basic();
        RingBuffer ring = trace(g, Tracer.builder().kinds(EventKind.INSTRUCTION));
        List<TraceEvent> insns = ring.ofKind(EventKind.INSTRUCTION);
        // 10 straight-line instructions, 3 passes of dec/jnz, then mov and out (the out stops the run)
        assertEquals(g.machine().cpu().instructionsRetired(), insns.size());
        TraceEvent.Instruction first = (TraceEvent.Instruction) insns.get(0);
        assertEquals(0, first.retired());
        assertEquals(0x10, first.cs());
        assertEquals(TestGuest.ORG, first.eip());
        assertEquals(TestGuest.ORG, first.linear());
        assertEquals(TestGuest.ORG, first.physical());
        assertEquals("mov eax,0x5", first.text());
        assertEquals(List.of(new RegisterChange(Register.EAX, 0, 5)), first.changes());
        assertTrue(first.bits32());
        List<TraceEvent.Instruction> decs = insns.stream().map(e -> (TraceEvent.Instruction) e)
                .filter(i -> i.mnemonic().equals("dec")).toList();
        assertEquals(3, decs.size());
        // 3 -> 2 leaves EFLAGS as it was (2); 1 -> 0 sets ZF and PF
        assertEquals(List.of(new RegisterChange(Register.ECX, 3, 2)), decs.get(0).changes());
        assertEquals(List.of(new RegisterChange(Register.ECX, 1, 0), new RegisterChange(Register.EFLAGS, 0x2, 0x46)),
                decs.get(2).changes());
    }

    @Test
    void stampsCountRetiredInstructions_andAccessesShareTheirInstructionsStamp() {
        TestGuest g = TestGuest.basic();
        RingBuffer ring = trace(g, Tracer.builder().kinds(EventKind.INSTRUCTION, EventKind.MEMORY));
        List<TraceEvent> all = ring.stream().toList();
        TraceEvent.MemoryAccess write = (TraceEvent.MemoryAccess) ring.ofKind(EventKind.MEMORY).get(0);
        assertEquals(new TraceEvent.MemoryAccess(2, 0x20000, 0x20000, 4, 5, true), write);
        TraceEvent.MemoryAccess read = (TraceEvent.MemoryAccess) ring.ofKind(EventKind.MEMORY).get(1);
        assertEquals(new TraceEvent.MemoryAccess(3, 0x20000, 0x20000, 4, 5, false), read);
        // the access comes before its instruction retires, with the same stamp
        int w = all.indexOf(write);
        assertEquals(2, all.get(w + 1).retired());
        assertEquals(EventKind.INSTRUCTION, all.get(w + 1).kind());
        for (int i = 1; i < all.size(); i++) {
            assertTrue(all.get(i).retired() >= all.get(i - 1).retired());
        }
    }

    @Test
    void portIoAndConsoleOutputOfBothDevicesAreRecorded() {
        TestGuest g = TestGuest.basic();
        RingBuffer ring = trace(g, Tracer.builder().kinds(EventKind.PORT_IO, EventKind.CONSOLE));
        assertEquals(List.of(
                new TraceEvent.PortIo(5, 0xE9, 1, 'A', true),
                new TraceEvent.PortIo(8, 0x3F8, 1, 'B', true),
                new TraceEvent.PortIo(17, 0xF4, 1, 0, true)), ring.ofKind(EventKind.PORT_IO));
        assertEquals(List.of(
                new TraceEvent.ConsoleOutput(5, TraceEvent.Console.E9, "A"),
                new TraceEvent.ConsoleOutput(8, TraceEvent.Console.COM1, "B")), ring.ofKind(EventKind.CONSOLE));
    }

    @Test
    void exceptionsAreRecordedWithVectorErrorCodeEipAndSource() {
        TestGuest g = TestGuest.divideByZero();
        RingBuffer ring = trace(g, Tracer.builder());
        List<TraceEvent> exceptions = ring.ofKind(EventKind.EXCEPTION);
        assertEquals(1, exceptions.size());
        TraceEvent.Interrupt de = (TraceEvent.Interrupt) exceptions.get(0);
        assertEquals(0, de.vector());
        assertEquals(-1, de.errorCode());
        assertEquals(g.at("divide"), de.eip());
        assertEquals(ExceptionEvent.Kind.EXCEPTION, de.source());
        // the faulting DIV did not retire; the handler's first instruction is the next one recorded
        List<TraceEvent> insns = ring.ofKind(EventKind.INSTRUCTION);
        assertTrue(insns.stream().noneMatch(e -> ((TraceEvent.Instruction) e).mnemonic().equals("div")));
        TraceEvent.Instruction handler = (TraceEvent.Instruction) insns.stream()
                .filter(e -> ((TraceEvent.Instruction) e).eip() == g.at("handler")).findFirst().orElseThrow();
        assertEquals(de.retired(), handler.retired());
        // its changes are its own (AL), not the delivery's (ESP, EFLAGS)
        assertEquals(List.of(Register.EAX), handler.changes().stream().map(RegisterChange::register).toList());
    }

    @Test
    void anAttachedTracerInstallsOnlyWhatItsKindsNeed_andDetachingRemovesEverything() throws Exception {
        TestGuest g = TestGuest.basic();
        var cpu = g.machine().cpu();
        Tracer t = Tracer.builder().kinds(EventKind.PORT_IO).sink(new RingBuffer(10)).build();
        assertNull(cpu.executionHook());
        t.attach(g.machine());
        assertNull(cpu.executionHook(), "port I/O needs no execution hook");
        assertNull(cpu.exceptionInterceptor());
        t.close();
        Tracer all = Tracer.builder().sink(new RingBuffer(10)).build().attach(g.machine());
        assertTrue(all.attached());
        assertTrue(cpu.executionHook() != null && cpu.exceptionInterceptor() != null);
        all.close();
        assertFalse(all.attached());
        assertNull(cpu.executionHook());
        assertNull(cpu.exceptionInterceptor());
    }

    @Test
    void theExceptionInterceptorHeldBeforeAttachingStillDecides_andIsPutBack() {
        TestGuest g = TestGuest.divideByZero();
        var cpu = g.machine().cpu();
        int[] seen = new int[1];
        dev.vwb.machine.cpu.ExceptionInterceptor counting = (c, e) -> {
            seen[0]++;
            return dev.vwb.machine.cpu.ExceptionInterceptor.Decision.DELIVER;
        };
        cpu.setExceptionInterceptor(counting);
        RingBuffer ring = trace(g, Tracer.builder().kinds(EventKind.EXCEPTION));
        assertEquals(1, ring.size());
        assertEquals(1, seen[0]);
        assertEquals(counting, cpu.exceptionInterceptor());
    }

    @Test
    void aFarJumpThatKeepsTheCsSelectorStillMovesTheLinearAddress() {
        // After reset CS is F000h with base FFFF0000h; the ROM's first instruction, jmp F000:0000,
        // keeps the selector and sets the real-mode base F0000h.
        dev.vwb.machine.Machine m = dev.vwb.machine.Machine.builder().ramMiB(2)
                .bios(dev.vwb.machine.guests.BundledGuests.load("demo")).build();
        RingBuffer ring = new RingBuffer(10);
        try (Tracer t = Tracer.builder().kinds(EventKind.INSTRUCTION).sink(ring).build().attach(m)) {
            m.run(2);
        }
        TraceEvent.Instruction jump = (TraceEvent.Instruction) ring.get(0);
        TraceEvent.Instruction next = (TraceEvent.Instruction) ring.get(1);
        assertEquals(0xFFFF_FFF0, jump.linear());
        assertEquals(0xF000, next.cs());
        assertEquals(0xF0000, next.linear());
        assertTrue(!jump.bits32() && !next.bits32());
    }

    @Test
    void textPrinterShowsAddressBytesDisassemblyAndChanges() {
        TestGuest g = TestGuest.basic();
        java.io.StringWriter text = new java.io.StringWriter();
        try (Tracer t = Tracer.builder().kinds(EventKind.INSTRUCTION, EventKind.CONSOLE).sink(new TextPrinter(text)).build()
                .attach(g.machine())) {
            g.machine().run(10_000);
        }
        String[] lines = text.toString().split("\n");
        assertEquals("#0       0010:00010000  B8 05 00 00 00        mov eax,0x5                EAX=00000000→00000005",
                lines[0]);
        assertTrue(text.toString().contains("console E9 \"A\""), text.toString());
    }


    @Test
    void attachingAnAttachedTracerIsRefused_andItStaysOnItsMachine() {
        TestGuest g = TestGuest.basic();
        TestGuest other = TestGuest.basic();
        RingBuffer ring = new RingBuffer(100);
        try (Tracer t = Tracer.builder().kinds(EventKind.INSTRUCTION).sink(ring).build().attach(g.machine())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.attach(other.machine()));
            assertEquals("this tracer is already attached to a machine; detach it first", e.getMessage());
            assertNull(other.machine().cpu().executionHook());
            g.machine().run(5);
        }
        assertEquals(5, ring.size());
    }

    @Test
    void aTracerAndBreakpointsGiveTheSharedSlotsBackInWhateverOrderTheyLeave() {
        TestGuest g = TestGuest.divideByZero();
        var cpu = g.machine().cpu();
        dev.vwb.machine.cpu.ExceptionInterceptor before = (c, e) -> dev.vwb.machine.cpu.ExceptionInterceptor.Decision.DELIVER;
        cpu.setExceptionInterceptor(before);
        Tracer t = Tracer.builder().sink(new RingBuffer(10)).build().attach(g.machine());
        Breakpoints bps = Breakpoints.on(g.machine());
        bps.onVector(0);
        bps.atAddress(g.at("divide"));
        t.close();  // the tracer leaves first: the breakpoints keep both slots
        assertTrue(cpu.executionHook() != null && cpu.exceptionInterceptor() != before);
        bps.close();
        assertNull(cpu.executionHook());
        assertEquals(before, cpu.exceptionInterceptor(), "the previous holder has its slot back");
    }
}
