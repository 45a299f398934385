package dev.vwb.tracing;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A bounded in-memory sink that keeps the last {@link #capacity()} events, for the REPL and the
 * notebooks to query. Recording every instruction must be fast (≥ 20 MIPS), so instructions are
 * kept as primitives in parallel arrays and turned into records only when queried; the other
 * events are kept as their records. Queries see the events oldest first and do not change the
 * buffer.
 */
public final class RingBuffer implements TraceSink {
    /** Register changes kept inline per instruction; more (PUSHA, a task switch) go to an array. */
    private static final int INLINE_CHANGES = 4;
    /**
     * Longs per event, so that recording one touches one or two cache lines:
     * 0 the stamp; 1 kind | length and bits32 << 8 | CS << 16 | change mask << 32;
     * 2 EIP | linear << 32; 3 physical; 4–5 the bytes; 6–9 up to four (before | after << 32).
     */
    private static final int STRIDE = 6 + INLINE_CHANGES;

    private final int capacity;
    private final long[] slots;
    /** Non-instruction events; for instructions with many changes, an int[] of (before, after) pairs. */
    private final Object[] others;
    private long recorded;

    /** A ring of {@code capacity} events (80 bytes each, plus the records of non-instruction events). */
    public RingBuffer(int capacity) {
        if (capacity < 1 || capacity > 1 << 26) {
            throw new IllegalArgumentException("a ring buffer holds between 1 and 67,108,864 events, not " + capacity);
        }
        this.capacity = capacity;
        slots = new long[capacity * STRIDE];
        others = new Object[capacity];
    }

    public int capacity() {
        return capacity;
    }

    /** How many events it holds now (at most the capacity). */
    public int size() {
        return (int) Math.min(recorded, capacity);
    }

    /** How many events it was given in all, including those since overwritten. */
    public long recorded() {
        return recorded;
    }

    /** How many events were overwritten by newer ones. */
    public long dropped() {
        return recorded - size();
    }

    /** Forgets every event. */
    public void clear() {
        recorded = 0;
        java.util.Arrays.fill(others, null);
    }

    @Override
    public void accept(TraceEvent event) {
        if (event instanceof TraceEvent.Instruction i) {
            byte[] b = i.bytes();
            int[] before = new int[Register.COUNT];
            int[] after = new int[Register.COUNT];
            int mask = 0;
            for (RegisterChange c : i.changes()) {
                int r = c.register().ordinal();
                mask |= 1 << r;
                before[r] = c.before();
                after[r] = c.after();
            }
            instruction(i.retired(), i.cs(), i.eip(), i.linear(), i.physical(), CodeBytes.packLow(b), CodeBytes.packHigh(b),
                    b.length, i.bits32(), mask, before, after);
            return;
        }
        int slot = next(event.retired(), event.kind());
        others[slot] = event;
    }

    /** The fast path for instructions: no allocation unless more than four registers changed. */
    void instruction(long retired, int cs, int eip, int linear, int physical, long low, long high, int length,
                     boolean bits32, int mask, int[] before, int[] after) {
        int slot = (int) (recorded % capacity);
        recorded++;
        int at = slot * STRIDE;
        long[] s = slots;
        s[at] = retired;
        s[at + 1] = EventKind.INSTRUCTION.ordinal() | (length | (bits32 ? 0x80 : 0)) << 8 | (cs & 0xFFFFL) << 16
                | (long) mask << 32;
        s[at + 2] = (eip & 0xFFFF_FFFFL) | (long) linear << 32;
        s[at + 3] = physical;
        s[at + 4] = low;
        s[at + 5] = high;
        if (Integer.bitCount(mask) <= INLINE_CHANGES) {
            int c = at + 6;
            for (int m = mask; m != 0; m &= m - 1) {
                int r = Integer.numberOfTrailingZeros(m);
                s[c++] = (before[r] & 0xFFFF_FFFFL) | (long) after[r] << 32;
            }
            others[slot] = null;
        } else {
            int[] pairs = new int[2 * Integer.bitCount(mask)];
            int c = 0;
            for (int m = mask; m != 0; m &= m - 1) {
                int r = Integer.numberOfTrailingZeros(m);
                pairs[c++] = before[r];
                pairs[c++] = after[r];
            }
            others[slot] = pairs;
        }
    }

    private int next(long retired, EventKind kind) {
        int slot = (int) (recorded % capacity);
        recorded++;
        slots[slot * STRIDE] = retired;
        slots[slot * STRIDE + 1] = kind.ordinal();
        return slot;
    }

    private int kindAt(int slot) {
        return (int) (slots[slot * STRIDE + 1] & 0xFF);
    }

    /** The {@code index}-th event held, 0 being the oldest. */
    public TraceEvent get(int index) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException("event " + index + " of " + size());
        }
        return materialize(slotOf(index));
    }

    /** All events held, oldest first. */
    public Stream<TraceEvent> stream() {
        return IntStream.range(0, size()).mapToObj(this::get);
    }

    /** The newest {@code n} events (fewer if it holds fewer), oldest first. */
    public List<TraceEvent> last(int n) {
        int size = size();
        int from = Math.max(0, size - Math.max(0, n));
        List<TraceEvent> out = new ArrayList<>(size - from);
        for (int i = from; i < size; i++) {
            out.add(get(i));
        }
        return out;
    }

    /** The events of one kind, oldest first. */
    public List<TraceEvent> ofKind(EventKind kind) {
        List<TraceEvent> out = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            int slot = slotOf(i);
            if (kindAt(slot) == kind.ordinal()) {
                out.add(materialize(slot));
            }
        }
        return out;
    }

    /** The instructions and memory accesses whose linear address lies in {@code range}, oldest first. */
    public List<TraceEvent> inRange(AddressRange range) {
        List<TraceEvent> out = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            int slot = slotOf(i);
            if (kindAt(slot) == EventKind.INSTRUCTION.ordinal() ? range.contains((int) (slots[slot * STRIDE + 2] >>> 32))
                    : others[slot] instanceof TraceEvent.MemoryAccess m && range.overlaps(m.linear(), m.size())) {
                out.add(materialize(slot));
            }
        }
        return out;
    }

    private int slotOf(int index) {
        return (int) ((recorded - size() + index) % capacity);
    }

    private TraceEvent materialize(int slot) {
        if (kindAt(slot) != EventKind.INSTRUCTION.ordinal()) {
            return (TraceEvent) others[slot];
        }
        int at = slot * STRIDE;
        long header = slots[at + 1];
        int mask = (int) (header >>> 32);
        int[] pairs = others[slot] instanceof int[] a ? a : null;
        List<RegisterChange> changes = new ArrayList<>(Integer.bitCount(mask));
        int c = 0;
        for (int m = mask; m != 0; m &= m - 1) {
            int r = Integer.numberOfTrailingZeros(m);
            long pair = pairs == null ? slots[at + 6 + c] : (pairs[2 * c] & 0xFFFF_FFFFL) | (long) pairs[2 * c + 1] << 32;
            changes.add(new RegisterChange(Register.ALL[r], (int) pair, (int) (pair >>> 32)));
            c++;
        }
        int lengthAndBits = (int) (header >>> 8) & 0xFF;
        byte[] bytes = CodeBytes.unpack(slots[at + 4], slots[at + 5], lengthAndBits & 0x1F);
        long addresses = slots[at + 2];
        return new TraceEvent.Instruction(slots[at], (int) (header >>> 16) & 0xFFFF, (int) addresses,
                (int) (addresses >>> 32), (int) slots[at + 3], bytes, (lengthAndBits & 0x80) != 0, changes);
    }

    @Override
    public String toString() {
        return "RingBuffer(" + size() + " of " + capacity + " events, " + dropped() + " dropped)";
    }
}
