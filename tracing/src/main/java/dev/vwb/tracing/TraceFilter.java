package dev.vwb.tracing;

import java.util.EnumSet;
import java.util.Set;

/**
 * Which events a tracer keeps: their kinds; for instructions and memory accesses, a linear
 * address range; for instructions, the classes of which at least one must match (none listed:
 * every instruction). Other kinds pass the range and class tests.
 */
public record TraceFilter(Set<EventKind> kinds, AddressRange range, Set<InsnClass> classes) {
    /** Every kind, every address, every instruction. */
    public static final TraceFilter ALL = new TraceFilter(EnumSet.allOf(EventKind.class), AddressRange.ALL,
            EnumSet.noneOf(InsnClass.class));

    public TraceFilter {
        kinds = kinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(kinds));
        classes = classes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(classes));
    }

    public boolean accepts(TraceEvent e) {
        if (!kinds.contains(e.kind())) {
            return false;
        }
        if (e instanceof TraceEvent.Instruction i) {
            return range.contains(i.linear()) && (classes.isEmpty() || i.classes().stream().anyMatch(classes::contains));
        }
        if (e instanceof TraceEvent.MemoryAccess m) {
            return range.overlaps(m.linear(), m.size());
        }
        return true;
    }

    /** e.g. {@code [instruction, exception], 00100000..0010FFFF, [privileged]}; the class list only when there is one. */
    @Override
    public String toString() {
        return EnumSet.copyOf(kinds.isEmpty() ? EnumSet.noneOf(EventKind.class) : kinds) + ", " + range
                + (classes.isEmpty() ? "" : ", " + EnumSet.copyOf(classes));
    }
}
