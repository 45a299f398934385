package dev.vwb.workbench.hv;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The hypervisor's record of its exits: counts and host time per {@link ExitReason} since the
 * guest started, and the most recent exits themselves (a bounded window, so that a guest that
 * exits millions of times costs bounded memory). Listeners (a tracer, breakpoints) see each exit.
 */
public final class ExitLog {
    /** How many recent exits are kept by default. */
    public static final int DEFAULT_WINDOW = 10_000;

    /** Count and total host time of one reason. */
    public record Stat(ExitReason reason, long count, long totalNanos) {
        public double meanNanos() {
            return count == 0 ? 0 : (double) totalNanos / count;
        }
    }

    private final int window;
    private final ArrayDeque<VmExit> recent = new ArrayDeque<>();
    private final long[] counts = new long[ExitReason.values().length];
    private final long[] nanos = new long[ExitReason.values().length];
    private final List<Consumer<VmExit>> listeners = new CopyOnWriteArrayList<>();

    ExitLog(int window) {
        this.window = window;
    }

    void record(VmExit exit) {
        int r = exit.reason().ordinal();
        counts[r]++;
        nanos[r] += exit.site().nanos();
        if (window > 0) {
            if (recent.size() == window) {
                recent.removeFirst();
            }
            recent.addLast(exit);
        }
        for (Consumer<VmExit> l : listeners) {
            l.accept(exit);
        }
    }

    /** Calls {@code listener} with every exit from now on; close the handle to stop. */
    public AutoCloseable addListener(Consumer<VmExit> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** The most recent exits, oldest first (at most the window's size). */
    public List<VmExit> recent() {
        return new ArrayList<>(recent);
    }

    /** The last {@code n} exits, oldest first. */
    public List<VmExit> last(int n) {
        List<VmExit> all = recent();
        return all.subList(Math.max(0, all.size() - n), all.size());
    }

    public long count(ExitReason reason) {
        return counts[reason.ordinal()];
    }

    /** Every exit counted, of any reason. */
    public long total() {
        long t = 0;
        for (long c : counts) {
            t += c;
        }
        return t;
    }

    /** The reasons that occurred, with their counts and times, in {@link ExitReason} order. */
    public Map<ExitReason, Stat> stats() {
        Map<ExitReason, Stat> m = new EnumMap<>(ExitReason.class);
        for (ExitReason r : ExitReason.values()) {
            if (counts[r.ordinal()] > 0) {
                m.put(r, new Stat(r, counts[r.ordinal()], nanos[r.ordinal()]));
            }
        }
        return m;
    }

    /** Forgets every exit and count. */
    public void clear() {
        recent.clear();
        java.util.Arrays.fill(counts, 0);
        java.util.Arrays.fill(nanos, 0);
    }

    /** A table: reason, count, mean host cost. */
    public String table() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-24s %10s %12s%n", "exit reason", "count", "mean cost"));
        for (Stat s : stats().values()) {
            b.append(String.format(Locale.ROOT, "%-24s %,10d %9.2f us%n", s.reason().label(), s.count(), s.meanNanos() / 1000));
        }
        b.append(String.format(Locale.ROOT, "%-24s %,10d%n", "all exits", total()));
        return b.toString();
    }

    @Override
    public String toString() {
        return "ExitLog(" + total() + " exits, " + recent.size() + " kept)";
    }
}
