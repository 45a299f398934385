package dev.vwb.machine.cpu;

/**
 * The hidden part of a segment register: the descriptor cache (SDM Vol. 3A §3.4.3). Real-mode
 * loads change only the selector and base; protected-mode loads fill it from a descriptor.
 * Mutable and package-private because the hot path reads {@link #base} on every memory access;
 * the public view is {@link SegmentView}.
 */
final class Segment {
    int selector;
    int base;
    /** The effective limit in bytes (granularity already applied). */
    int limit;
    /** Access byte and flags of the descriptor: bits 8–15 and 20–23 of its high dword. */
    int attributes;
    /**
     * The valid offsets, kept so that the check on every memory access is one subtraction and
     * one comparison: an access of n bytes at offset o is within the limit iff
     * {@code (o - lo) + n <= span}, unsigned (SDM Vol. 3A §5.3). For an expand-up segment
     * {@code lo} is 0 and {@code span} is limit + 1; for an expand-down data segment the valid
     * offsets run from limit + 1 to FFFFh or FFFFFFFFh (by the B flag). A null or not-present
     * segment has span 0.
     */
    int lo;
    long span;
    /** {@link #span} where the segment's type allows reads (not execute-only code) and writes (writable data), else 0. */
    long readSpan, writeSpan;

    // Attribute bits, positioned as in the descriptor's high dword (SDM Vol. 3A §3.4.5).
    static final int ACCESSED = 1 << 8;
    static final int WRITABLE_OR_READABLE = 1 << 9;
    static final int EXPAND_DOWN_OR_CONFORMING = 1 << 10;
    static final int CODE = 1 << 11;
    static final int S = 1 << 12;          // code/data (1) or system (0) descriptor
    static final int DPL_SHIFT = 13;
    static final int PRESENT = 1 << 15;
    static final int DB = 1 << 22;         // default operation size / big stack
    static final int GRANULARITY = 1 << 23;

    /** The attributes of a real-mode data segment after reset: present, writable, accessed. */
    static final int REAL_MODE_DATA = PRESENT | S | WRITABLE_OR_READABLE | ACCESSED;
    /** A real-mode code segment: present, readable code, accessed. */
    static final int REAL_MODE_CODE = PRESENT | S | CODE | WRITABLE_OR_READABLE | ACCESSED;

    boolean big() {
        return (attributes & DB) != 0;
    }

    int dpl() {
        return (attributes >>> DPL_SHIFT) & 3;
    }

    void set(int selector, int base, int limit, int attributes) {
        this.selector = selector & 0xFFFF;
        this.base = base;
        this.limit = limit;
        this.attributes = attributes;
        refresh();
    }

    /** Recomputes the spans after the limit or attributes changed. */
    void refresh() {
        if ((attributes & PRESENT) == 0) {
            lo = 0;
            span = readSpan = writeSpan = 0;
            return;
        }
        boolean code = (attributes & (S | CODE)) == (S | CODE);
        boolean expandDown = !code && (attributes & (S | EXPAND_DOWN_OR_CONFORMING)) == (S | EXPAND_DOWN_OR_CONFORMING);
        long unsignedLimit = limit & 0xFFFF_FFFFL;
        if (expandDown) {
            long upper = big() ? 0xFFFF_FFFFL : 0xFFFFL;
            lo = limit + 1;
            span = Math.max(0, upper - unsignedLimit);
        } else {
            lo = 0;
            span = unsignedLimit + 1;
        }
        boolean rw = (attributes & WRITABLE_OR_READABLE) != 0;
        readSpan = code && !rw ? 0 : span;
        writeSpan = code || !rw ? 0 : span;
    }

    /** Whether {@code size} bytes at {@code offset} lie within the limit (ignoring the type). */
    boolean withinLimit(int offset, int size) {
        return ((offset - lo) & 0xFFFF_FFFFL) + size <= span;
    }

    SegmentView view() {
        return new SegmentView(selector, base, limit, attributes);
    }
}
