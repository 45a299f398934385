package dev.vwb.tracing;

import java.util.EnumSet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TraceFilterTest {
    private static List<TraceEvent> trace(TestGuest g, Tracer.Builder b) {
        List<TraceEvent> events = new ArrayList<>();
        try (Tracer t = b.sink(events::add).build().attach(g.machine())) {
            g.machine().run(10_000);
        }
        return events;
    }

    @Test
    void onlyTheKindsAskedForAreRecorded() {
        List<TraceEvent> events = trace(TestGuest.basic(), Tracer.builder().kinds(EventKind.CONSOLE));
        assertEquals(2, events.size());
        assertTrue(events.stream().allMatch(e -> e.kind() == EventKind.CONSOLE));
    }

    @Test
    void anAddressRangeKeepsInstructionsAndAccessesInside_andOtherKindsPass() {
        TestGuest g = TestGuest.basic();
        AddressRange loop = new AddressRange(g.at("again"), g.at("done") - 1);
        List<TraceEvent> events = trace(g, Tracer.builder().kinds(EventKind.INSTRUCTION, EventKind.MEMORY, EventKind.PORT_IO)
                .range(loop));
        List<String> text = events.stream().filter(e -> e instanceof TraceEvent.Instruction)
                .map(e -> ((TraceEvent.Instruction) e).text()).toList();
        assertEquals(6, text.size(), text.toString());  // dec and jnz, three times
        assertTrue(events.stream().noneMatch(e -> e instanceof TraceEvent.MemoryAccess));  // [20000h] is outside
        assertEquals(3, events.stream().filter(e -> e instanceof TraceEvent.PortIo).count());
    }

    @Test
    void anInstructionClassKeepsOnlyThoseInstructions() {
        List<TraceEvent> io = trace(TestGuest.basic(), Tracer.builder().kinds(EventKind.INSTRUCTION).classes(InsnClass.IO));
        assertEquals(List.of("out 0xe9,al", "out dx,al", "out 0xf4,al"),
                io.stream().map(e -> ((TraceEvent.Instruction) e).text()).toList());
        List<TraceEvent> memory = trace(TestGuest.basic(), Tracer.builder().kinds(EventKind.INSTRUCTION)
                .classes(InsnClass.MEMORY));
        assertEquals(List.of("mov [ebx],eax", "mov ecx,[ebx]"),
                memory.stream().map(e -> ((TraceEvent.Instruction) e).text()).toList());
    }

    @Test
    void theRingsFastPathRecordsWhatTheGeneralPathDoes() {
        RingBuffer alone = new RingBuffer(1000);
        TestGuest a = TestGuest.divideByZero();
        try (Tracer t = Tracer.builder().sink(alone).build().attach(a.machine())) {
            a.machine().run(10_000);
        }
        List<TraceEvent> general = new ArrayList<>();
        TestGuest b = TestGuest.divideByZero();
        try (Tracer t = Tracer.builder().sink(general::add).sink(new RingBuffer(10)).build().attach(b.machine())) {
            b.machine().run(10_000);
        }
        assertEquals(general, alone.stream().toList());
    }

    @Test
    void instructionsAreClassifiedFromTheirMnemonic() {
        assertEquals(Set.of(InsnClass.PRIVILEGED), InsnClass.of("mov cr0,eax"));
        assertEquals(Set.of(InsnClass.PRIVILEGED), InsnClass.of("hlt"));
        assertEquals(Set.of(InsnClass.PRIVILEGED, InsnClass.MEMORY), InsnClass.of("lgdt [0x500]"));
        assertEquals(Set.of(InsnClass.PRIVILEGED, InsnClass.IO), InsnClass.of("in al,dx"));
        assertEquals(Set.of(InsnClass.CONTROL_TRANSFER), InsnClass.of("jnz 0x1000"));
        assertEquals(Set.of(InsnClass.CONTROL_TRANSFER, InsnClass.MEMORY), InsnClass.of("call [ebx]"));
        assertEquals(Set.of(InsnClass.CONTROL_TRANSFER, InsnClass.MEMORY), InsnClass.of("iretd"));
        assertEquals(Set.of(InsnClass.MEMORY), InsnClass.of("rep movsb"));
        assertEquals(Set.of(), InsnClass.of("add eax,edx"));
        assertEquals("movsd", InsnClass.mnemonic("rep a32 movsd"));
    }


    @Test
    void aFilterPrintsItsKindsRangeAndClasses() {
        assertEquals("[INSTRUCTION, MEMORY, PORT_IO, EXCEPTION, CONSOLE, VM_EXIT], 00000000..FFFFFFFF", TraceFilter.ALL.toString());
        TraceFilter f = new TraceFilter(EnumSet.of(EventKind.EXCEPTION, EventKind.INSTRUCTION), AddressRange.of(0x10000, 0x100),
                EnumSet.of(InsnClass.PRIVILEGED));
        assertEquals("[INSTRUCTION, EXCEPTION], 00010000..000100FF, [PRIVILEGED]", f.toString());
    }
}
