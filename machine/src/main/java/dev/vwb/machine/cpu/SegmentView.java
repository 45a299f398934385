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
    /** A segment register as real mode leaves it: base = selector × 16, limit 64 KiB. */
    public static SegmentView realMode(int selector, boolean code) {
        return new SegmentView(selector & 0xFFFF, (selector & 0xFFFF) << 4, 0xFFFF,
                code ? Segment.REAL_MODE_CODE : Segment.REAL_MODE_DATA);
    }

    /** A flat 4 GiB segment of a 32-bit protected-mode kernel: readable code or writable data, DPL 0. */
    public static SegmentView flat32(int selector, boolean code) {
        int attributes = Segment.PRESENT | Segment.S | Segment.WRITABLE_OR_READABLE | Segment.ACCESSED
                | Segment.DB | Segment.GRANULARITY | (code ? Segment.CODE : 0);
        return new SegmentView(selector & 0xFFFF, 0, 0xFFFF_FFFF, attributes);
    }

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
