package dev.vwb.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RingBufferTest {
    private static RingBuffer traced(int capacity) {
        TestGuest g = TestGuest.basic();
        RingBuffer ring = new RingBuffer(capacity);
        try (Tracer t = Tracer.builder().kinds(EventKind.INSTRUCTION, EventKind.MEMORY, EventKind.PORT_IO).sink(ring).build()
                .attach(g.machine())) {
            g.machine().run(10_000);
        }
        return ring;
    }

    @Test
    void lastNGivesTheNewestEventsOldestFirst() {
        RingBuffer ring = traced(1000);
        List<TraceEvent> last = ring.last(3);
        assertEquals(3, last.size());
        assertEquals("mov al,0x0", ((TraceEvent.Instruction) last.get(0)).text());
        // the OUT's port access happens while it executes, before it retires
        assertEquals(new TraceEvent.PortIo(17, 0xF4, 1, 0, true), last.get(1));
        assertEquals("out 0xf4,al", ((TraceEvent.Instruction) last.get(2)).text());
        assertEquals(ring.size(), ring.last(1_000_000).size());
    }

    @Test
    void queriesByKindAndByAddressRange() {
        RingBuffer ring = traced(1000);
        assertEquals(3, ring.ofKind(EventKind.PORT_IO).size());
        assertEquals(2, ring.ofKind(EventKind.MEMORY).size());
        List<TraceEvent> data = ring.inRange(AddressRange.of(0x20000, 4));
        assertEquals(2, data.size());
        assertTrue(data.stream().allMatch(e -> e instanceof TraceEvent.MemoryAccess));
        List<TraceEvent> first = ring.inRange(AddressRange.at(TestGuest.ORG));
        assertEquals(1, first.size());
        assertEquals(ring.size(), ring.stream().count());
    }

    @Test
    void aFullRingDropsTheOldestEvents() {
        RingBuffer all = traced(1000);
        RingBuffer small = traced(5);
        assertEquals(5, small.size());
        assertEquals(all.recorded(), small.recorded());
        assertEquals(all.recorded() - 5, small.dropped());
        // the newest four agree; the oldest held has lost the state before it, so its changes are unknown
        assertEquals(all.last(4), small.last(4));
        assertEquals(all.last(5).get(0).retired(), small.get(0).retired());
    }

    @Test
    void clearForgetsEverything_andBadIndexesAndCapacitiesAreRefused() {
        RingBuffer ring = traced(100);
        ring.clear();
        assertEquals(0, ring.size());
        assertEquals(List.of(), ring.last(3));
        assertThrows(IndexOutOfBoundsException.class, () -> ring.get(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RingBuffer(0));
        assertTrue(e.getMessage().startsWith("a ring buffer holds between 1 and"));
    }
}
