package dev.vwb.tracing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A bounded in-memory sink that keeps the last {@link #capacity()} events, for the REPL and the
 * notebooks to query. Queries see the events oldest first and do not change the buffer.
 *
 * <p>Why it looks like this: recording every instruction must run at ≥ 20 MIPS, and working
 * out which registers an instruction changed (19 compares of unpredictable outcome) costs more
 * than copying them. So an instruction recorded by a tracer is kept as primitives: a header
 * (stamp, CS:EIP, linear and physical address, bytes) and the whole register state after it,
 * copied straight from the CPU. Its register changes are worked out when it is queried, against
 * the state after the instruction recorded before it (or, when something came between — an
 * exception, a filter, a script writing registers — against a state kept with it). The oldest
 * instruction of a full ring can thus have lost its "before" and reports no changes. Other events
 * are kept as their records.
 */
public final class RingBuffer implements TraceSink {
    /**
     * Longs per header: 0 the stamp; 1 kind | length and bits32 << 8 | CS << 16 | {@link #EXPLICIT_BEFORE} | {@link #PRIMITIVE};
     * 2 EIP | linear << 32; 3 physical; 4–5 the bytes.
     */
    private static final int HEADER = 6;
    /** Header flag: {@link #others} holds the instruction's state before (else it is the previous instruction's after). */
    private static final long EXPLICIT_BEFORE = 1L << 32;
    /** Header flag: recorded as primitives by a tracer (else {@link #others} holds the record). */
    private static final long PRIMITIVE = 1L << 33;
    private static final int STATE = Register.STATE_SIZE;

    private final int capacity;
    private final long[] headers;
    private final int[] states;
    /**
     * Per slot: a non-instruction event; for an instruction given as a record, the record; for
     * one flagged {@link #EXPLICIT_BEFORE}, its state before as an int[]; else anything (not
     * cleared per instruction: that store into a second large array shows at 20 MIPS).
     */
    private final Object[] others;
    private long recorded;
    /** The slot the next event goes to: {@code recorded % capacity}, kept apart because a 64-bit division per instruction shows. */
    private int head;
    /** The index (in {@link #recorded} terms) of the last instruction recorded, -1 for none. */
    private long lastInstruction = -1;

    /** A ring of {@code capacity} events (148 bytes each, plus the records of non-instruction events). */
    public RingBuffer(int capacity) {
        if (capacity < 1 || capacity > 1 << 24) {
            throw new IllegalArgumentException("a ring buffer holds between 1 and 16,777,216 events, not " + capacity);
        }
        this.capacity = capacity;
        headers = new long[capacity * HEADER];
        states = new int[capacity * STATE];
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
        head = 0;
        lastInstruction = -1;
        Arrays.fill(others, null);
    }

    @Override
    public void accept(TraceEvent event) {
        int slot = next(event.retired(), event.kind());
        others[slot] = event;
        if (event instanceof TraceEvent.Instruction) {
            lastInstruction = recorded - 1;
        }
    }

    // ---- the tracer's fast path ----------------------------------------------------------

    /**
     * The index (counting every event recorded) of the last instruction recorded, -1 for none:
     * the probe compares it with the one it recorded itself, to tell whether another sink or a
     * {@link #clear()} came between.
     */
    long lastInstruction() {
        return lastInstruction;
    }

    /**
     * Records an instruction's header and returns where in {@link #states()} its state after
     * goes (the caller copies it there). {@code before} is its state before, or null when that
     * is the state after the previous instruction recorded here.
     */
    int instruction(long retired, int cs, int eip, int linear, int physical, long low, long high, int length,
                    boolean bits32, int[] before) {
        int slot = next(retired, EventKind.INSTRUCTION);
        int at = slot * HEADER;
        long[] h = headers;
        h[at + 1] = EventKind.INSTRUCTION.ordinal() | (length | (bits32 ? 0x80 : 0)) << 8 | (cs & 0xFFFFL) << 16
                | (before == null ? PRIMITIVE : PRIMITIVE | EXPLICIT_BEFORE);
        h[at + 2] = (eip & 0xFFFF_FFFFL) | (long) linear << 32;
        h[at + 3] = physical;
        h[at + 4] = low;
        h[at + 5] = high;
        if (before != null) {
            keepBefore(slot, before);
        }
        lastInstruction = recorded - 1;
        return slot * STATE;
    }

    private void keepBefore(int slot, int[] before) {
        others[slot] = before.clone();
    }

    int[] states() {
        return states;
    }

    private int next(long retired, EventKind kind) {
        int slot = head;
        head = slot + 1 == capacity ? 0 : slot + 1;
        recorded++;
        headers[slot * HEADER] = retired;
        headers[slot * HEADER + 1] = kind.ordinal();
        return slot;
    }

    private int kindAt(int slot) {
        return (int) (headers[slot * HEADER + 1] & 0xFF);
    }

    // ---- queries ---------------------------------------------------------------------------

    /** The {@code index}-th event held, 0 being the oldest. */
    public TraceEvent get(int index) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException("event " + index + " of " + size());
        }
        return materialize(index);
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

    /** The events held along virtual time, lane by lane ({@link TraceTimeline}). */
    public TraceTimeline timeline() {
        return TraceTimeline.of(stream().toList());
    }

    /** The events of one kind, oldest first. */
    public List<TraceEvent> ofKind(EventKind kind) {
        List<TraceEvent> out = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            if (kindAt(slotOf(i)) == kind.ordinal()) {
                out.add(materialize(i));
            }
        }
        return out;
    }

    /** The instructions and memory accesses whose linear address lies in {@code range}, oldest first. */
    public List<TraceEvent> inRange(AddressRange range) {
        List<TraceEvent> out = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            int slot = slotOf(i);
            boolean in;
            if (kindAt(slot) == EventKind.INSTRUCTION.ordinal()) {
                in = range.contains(((TraceEvent.Instruction) materialize(i)).linear());
            } else {
                in = others[slot] instanceof TraceEvent.MemoryAccess m && range.overlaps(m.linear(), m.size());
            }
            if (in) {
                out.add(materialize(i));
            }
        }
        return out;
    }

    private int slotOf(int index) {
        return (int) ((recorded - size() + index) % capacity);
    }

    private TraceEvent materialize(int index) {
        int slot = slotOf(index);
        long header = headers[slot * HEADER + 1];
        if ((header & PRIMITIVE) == 0) {
            return (TraceEvent) others[slot];
        }
        int[] raw = (header & EXPLICIT_BEFORE) != 0 ? (int[]) others[slot] : previousState(index);
        List<RegisterChange> changes = new ArrayList<>(2);
        if (raw != null) {
            int[] before = Register.resolve(raw, 0);
            int[] after = Register.resolve(states, slot * STATE);
            for (int r = 0; r < Register.COUNT; r++) {
                if (before[r] != after[r]) {
                    changes.add(new RegisterChange(Register.ALL[r], before[r], after[r]));
                }
            }
        }
        int at = slot * HEADER;
        int lengthAndBits = (int) (header >>> 8) & 0xFF;
        byte[] bytes = CodeBytes.unpack(headers[at + 4], headers[at + 5], lengthAndBits & 0x1F);
        long addresses = headers[at + 2];
        return new TraceEvent.Instruction(headers[at], (int) (header >>> 16) & 0xFFFF, (int) addresses,
                (int) (addresses >>> 32), (int) headers[at + 3], bytes, (lengthAndBits & 0x80) != 0, changes);
    }

    /** The state after the instruction held before {@code index}, or null when it is no longer held. */
    private int[] previousState(int index) {
        for (int i = index - 1; i >= 0; i--) {
            int slot = slotOf(i);
            if (kindAt(slot) == EventKind.INSTRUCTION.ordinal()) {
                int[] s = new int[STATE];
                System.arraycopy(states, slot * STATE, s, 0, STATE);
                return s;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "RingBuffer(" + size() + " of " + capacity + " events, " + dropped() + " dropped)";
    }
}
