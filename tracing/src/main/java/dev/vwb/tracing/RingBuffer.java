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

    private final int capacity;
    private final long[] stamps;
    private final byte[] kinds;
    private final int[] cs;
    private final int[] eip;
    private final int[] linear;
    private final int[] physical;
    private final long[] bytesLow;
    private final long[] bytesHigh;
    /** The instruction length in bits 0–4, bit 7 set for 32-bit code. */
    private final byte[] lengthAndBits;
    private final int[] changeMasks;
    /** Per slot, {@link #INLINE_CHANGES} pairs of (before, after). */
    private final int[] changeValues;
    /** Non-instruction events; for instructions with many changes, an int[] of (before, after) pairs. */
    private final Object[] others;
    private long recorded;

    /** A ring of {@code capacity} events (about 90 bytes each). */
    public RingBuffer(int capacity) {
        if (capacity < 1 || capacity > 1 << 26) {
            throw new IllegalArgumentException("a ring buffer holds between 1 and 67,108,864 events, not " + capacity);
        }
        this.capacity = capacity;
        stamps = new long[capacity];
        kinds = new byte[capacity];
        cs = new int[capacity];
        eip = new int[capacity];
        linear = new int[capacity];
        physical = new int[capacity];
        bytesLow = new long[capacity];
        bytesHigh = new long[capacity];
        lengthAndBits = new byte[capacity];
        changeMasks = new int[capacity];
        changeValues = new int[capacity * 2 * INLINE_CHANGES];
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
        int slot = next(retired, EventKind.INSTRUCTION);
        this.cs[slot] = cs;
        this.eip[slot] = eip;
        this.linear[slot] = linear;
        this.physical[slot] = physical;
        bytesLow[slot] = low;
        bytesHigh[slot] = high;
        lengthAndBits[slot] = (byte) (length | (bits32 ? 0x80 : 0));
        changeMasks[slot] = mask;
        int count = Integer.bitCount(mask);
        int[] pairs = count <= INLINE_CHANGES ? changeValues : new int[2 * count];
        int at = pairs == changeValues ? slot * 2 * INLINE_CHANGES : 0;
        for (int m = mask; m != 0; m &= m - 1) {
            int r = Integer.numberOfTrailingZeros(m);
            pairs[at++] = before[r];
            pairs[at++] = after[r];
        }
        others[slot] = pairs == changeValues ? null : pairs;
    }

    private int next(long retired, EventKind kind) {
        int slot = (int) (recorded % capacity);
        recorded++;
        stamps[slot] = retired;
        kinds[slot] = (byte) kind.ordinal();
        return slot;
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
            if (kinds[slot] == kind.ordinal()) {
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
            if (kinds[slot] == EventKind.INSTRUCTION.ordinal() ? range.contains(linear[slot])
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
        if (kinds[slot] != EventKind.INSTRUCTION.ordinal()) {
            return (TraceEvent) others[slot];
        }
        int mask = changeMasks[slot];
        int[] pairs = others[slot] instanceof int[] a ? a : changeValues;
        int at = pairs == changeValues ? slot * 2 * INLINE_CHANGES : 0;
        List<RegisterChange> changes = new ArrayList<>(Integer.bitCount(mask));
        for (int m = mask; m != 0; m &= m - 1) {
            int r = Integer.numberOfTrailingZeros(m);
            changes.add(new RegisterChange(Register.ALL[r], pairs[at], pairs[at + 1]));
            at += 2;
        }
        int lb = lengthAndBits[slot];
        byte[] bytes = CodeBytes.unpack(bytesLow[slot], bytesHigh[slot], lb & 0x1F);
        return new TraceEvent.Instruction(stamps[slot], cs[slot], eip[slot], linear[slot], physical[slot], bytes,
                (lb & 0x80) != 0, changes);
    }

    @Override
    public String toString() {
        return "RingBuffer(" + size() + " of " + capacity + " events, " + dropped() + " dropped)";
    }
}
