package dev.vwb.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vwb.machine.Machine;
import dev.vwb.machine.cpu.Cpu;
import dev.vwb.machine.cpu.Reg32;
import dev.vwb.machine.guests.BenchGuest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** With paging on (the bench-paging guest identity-maps the first 4 MiB with 4 KiB pages). */
class PagingTest {
    private static Machine pagingOn() {
        Machine m = Machine.builder().ramMiB(16).bios(BenchGuest.pagingImage(1)).build();
        for (int i = 0; i < 1000 && (m.cpu().cr0() & Cpu.CR0_PG) == 0; i++) {
            m.run(100);
        }
        assertNotEquals(0, m.cpu().cr0() & Cpu.CR0_PG, "the guest turned paging on");
        return m;
    }

    @Test
    void aBreakpointOnAnUnmappedLinearAddressIsRefused() {
        Machine m = pagingOn();
        Breakpoints bps = Breakpoints.on(m);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bps.atAddress(0x0080_0000));
        assertEquals("no breakpoint at 00800000: the current page tables do not map it", e.getMessage());
        bps.atAddress(m.cpu().segment(dev.vwb.machine.cpu.SegReg.CS).base() + m.cpu().eip());
        assertEquals(1, bps.list().size());
    }

    @Test
    void instructionsCarryTheirPhysicalAddressThroughThePageTables() {
        Machine m = pagingOn();
        RingBuffer ring = new RingBuffer(100);
        try (Tracer t = Tracer.builder().kinds(EventKind.INSTRUCTION).sink(ring).build().attach(m)) {
            m.run(50);
        }
        for (TraceEvent e : ring.stream().toList()) {
            TraceEvent.Instruction i = (TraceEvent.Instruction) e;
            assertEquals(i.linear(), i.physical(), "identity-mapped");
        }
        assertEquals(50, ring.size());
    }

    @Test
    void aScriptWritingARegisterBetweenRunsIsNotCountedAsTheNextInstructionsChange() {
        Machine m = pagingOn();
        RingBuffer ring = new RingBuffer(100);
        try (Tracer t = Tracer.builder().kinds(EventKind.INSTRUCTION).sink(ring).build().attach(m)) {
            m.run(5);
            m.cpu().setReg(Reg32.EBP, 0x1234_5678);
            m.run(5);
        }
        List<TraceEvent> after = ring.last(5);
        assertTrue(after.stream().flatMap(e -> ((TraceEvent.Instruction) e).changes().stream())
                .noneMatch(c -> c.register() == Register.EBP && c.after() == 0x1234_5678 && c.before() != 0x1234_5678));
    }
}
