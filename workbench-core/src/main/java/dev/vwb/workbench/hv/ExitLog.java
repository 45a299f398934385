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

    /** The table (reason, count, mean cost) and an SVG bar chart of the counts, for notebooks. */
    public String toHtml() {
        StringBuilder b = new StringBuilder("<table class=\"vwb-exits\"><tr><th>exit reason</th><th>count</th><th>mean cost</th></tr>");
        for (Stat s : stats().values()) {
            b.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%,d</td><td>%.2f us</td></tr>", s.reason().label(), s.count(),
                    s.meanNanos() / 1000));
        }
        b.append(String.format(Locale.ROOT, "<tr><td>all exits</td><td>%,d</td><td></td></tr></table>", total()));
        return b.append(barChart()).toString();
    }

    /** Exits by reason as horizontal bars, on a logarithmic scale (counts differ by orders of magnitude). */
    public String barChart() {
        Map<ExitReason, Stat> stats = stats();
        int height = 24 * stats.size() + 28;
        double max = Math.log10(stats.values().stream().mapToLong(Stat::count).max().orElse(1) + 1);
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"vwb-exit-chart\" width=\"560\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">", height));
        int y = 5;
        for (Stat s : stats.values()) {
            int width = (int) Math.round(300 * Math.log10(s.count() + 1) / Math.max(max, 1e-9));
            b.append(String.format(Locale.ROOT, "<text x=\"170\" y=\"%d\" text-anchor=\"end\">%s</text>", y + 15, s.reason().label()));
            b.append(String.format(Locale.ROOT, "<rect x=\"178\" y=\"%d\" width=\"%d\" height=\"18\" fill=\"#4a7bd0\"/>", y + 2,
                    Math.max(width, 1)));
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%,d</text>", 184 + width, y + 15, s.count()));
            y += 24;
        }
        b.append(String.format(Locale.ROOT, "<text x=\"178\" y=\"%d\" fill=\"#666\">exits by reason (bar length on a log scale)</text>",
                y + 16));
        return b.append("</svg>").toString();
    }

    @Override
    public String toString() {
        return "ExitLog(" + total() + " exits, " + recent.size() + " kept)";
    }
}
