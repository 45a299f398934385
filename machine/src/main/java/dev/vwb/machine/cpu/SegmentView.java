package dev.vwb.machine.cpu;

/**
 * A snapshot of a segment register: the visible selector and the hidden descriptor cache.
 *
 * @param selector   the 16-bit selector
 * @param base       the linear base address
 * @param limit      the limit in bytes, granularity applied
 * @param attributes the descriptor's access byte and flags, as in bits 8–23 of its high dword
 */
public record SegmentView(int selector, int base, int limit, int attributes) {
    /** Whether the segment defaults to 32-bit operands (code) or a 32-bit stack pointer (stack). */
    public boolean big() {
        return (attributes & Segment.DB) != 0;
    }

    public int dpl() {
        return (attributes >>> Segment.DPL_SHIFT) & 3;
    }

    @Override
    public String toString() {
        return String.format("%04X base=%08X limit=%08X attr=%04X", selector, base, limit, attributes);
    }
}
