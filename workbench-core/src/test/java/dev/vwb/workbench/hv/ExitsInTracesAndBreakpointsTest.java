package dev.vwb.workbench.hv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vwb.machine.Machine;
import dev.vwb.machine.RunResult;
import dev.vwb.machine.StopReason;
import dev.vwb.machine.loader.MultibootLoader;
import dev.vwb.tracing.BreakReport;
import dev.vwb.tracing.Breakpoints;
import dev.vwb.tracing.EventKind;
import dev.vwb.tracing.RingBuffer;
import dev.vwb.tracing.TraceEvent;
import dev.vwb.tracing.Tracer;
import dev.vwb.workbench.guests.KernelGuests;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hypervisor's exits reach the tracing module: as trace events, and as breakpoints on an exit reason. */
class ExitsInTracesAndBreakpointsTest {
    private static Machine teachkernel() throws Exception {
        Machine m = Machine.builder().ramMiB(16).build();
        MultibootLoader.load(m, KernelGuests.image("teachkernel"));
        return m;
    }

    @Test
    void aTracerRecordsEveryExitWithItsReasonAndInstruction() throws Exception {
        Hypervisor hv = Hypervisor.boot(teachkernel(), Hypervisor.Mode.PATCH);
        Machine m = hv.machine();
        RingBuffer ring = new RingBuffer(100_000);
        try (Tracer t = Tracer.builder().kinds(EventKind.VM_EXIT).sink(ring).build().attach(m)) {
            assertEquals(StopReason.EXIT_DEVICE, m.run(50_000_000).reason());
        }
        List<TraceEvent> exits = ring.ofKind(EventKind.VM_EXIT);
        assertEquals(hv.exits().total(), exits.size());
        TraceEvent.VmExit first = exits.stream().map(e -> (TraceEvent.VmExit) e)
                .filter(e -> e.reason().equals("privileged instruction")).findFirst().orElseThrow();
        assertEquals("cli", first.instruction());  // the kernel's first instruction
        assertTrue(exits.stream().anyMatch(e -> ((TraceEvent.VmExit) e).reason().equals("hidden page fault")));
        assertTrue(exits.stream().anyMatch(e -> ((TraceEvent.VmExit) e).reason().equals("interrupt injected")));
    }

    @Test
    void aBreakpointOnAnExitReasonStopsTheRunThereAndTheRunContinues() throws Exception {
        Hypervisor hv = Hypervisor.boot(teachkernel(), Hypervisor.Mode.PATCH);
        Machine m = hv.machine();
        try (Breakpoints b = Breakpoints.on(m)) {
            b.onVmExit("halt");
            RunResult r = m.run(50_000_000);
            assertEquals(StopReason.BREAKPOINT, r.reason(), r.toString());
            BreakReport report = b.report(r).orElseThrow();
            assertTrue(report.toString().contains("VM exit: halt"), report.toString());
            assertEquals(1, hv.exits().count(ExitReason.HALT));
            b.deleteAll();
            assertEquals(StopReason.EXIT_DEVICE, m.run(50_000_000).reason());
        }
    }
}
