package dev.vwb.workbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vwb.tracing.EventKind;
import dev.vwb.tracing.TraceEvent;
import dev.vwb.workbench.hv.Hypervisor;
import org.junit.jupiter.api.Test;

class RecordingTest {
    @Test
    void recordingTheTeachingKernelUnderTheHypervisorShowsKernelAtRingOneUserAtRingThreeAndExits() {
        Vm vm = Workbench.fromBundled("teachkernel").hypervisor(Hypervisor.Mode.PATCH).build();
        Recording r = vm.record(150_000);
        assertEquals(150_000, r.report().instructions());
        long user = r.events().stream().filter(e -> e instanceof TraceEvent.Instruction i && (i.cs() & 3) == 3).count();
        long kernel = r.events().stream().filter(e -> e instanceof TraceEvent.Instruction i && (i.cs() & 3) == 1).count();
        assertTrue(user > 0 && kernel > 0, "user " + user + ", kernel " + kernel);
        assertTrue(r.events().stream().noneMatch(e -> e instanceof TraceEvent.Instruction i && (i.cs() & 3) == 0),
                "no guest instruction at real ring 0");
        assertTrue(r.events().stream().anyMatch(e -> e.kind() == EventKind.VM_EXIT));
        String text = r.timeline().toString();
        assertTrue(text.contains("ring ") && text.contains("VM exits") && text.contains("console"), text);
        assertTrue(r.toHtml().contains("<svg") && r.toHtml().contains("vwb-run"));
    }

    @Test
    void recordingABareGuestKeepsTheNewestEventsAndCountsTheRest() {
        Vm vm = Workbench.bundled("bench");
        Recording r = vm.record(Vm.RECORDING_CAPACITY + 5_000);
        assertEquals(Vm.RECORDING_CAPACITY, r.events().size());
        assertTrue(r.dropped() >= 5_000, "dropped " + r.dropped());
        assertEquals(vm.time() - 1, r.events().get(r.events().size() - 1).retired(), "the newest instruction is last");
        assertEquals(1, r.lines(1).lines().count());
    }
}
