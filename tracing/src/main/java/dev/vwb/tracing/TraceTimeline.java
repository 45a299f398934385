package dev.vwb.tracing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A trace laid out along virtual time (the retired-instruction count) in lanes, one per kind of
 * event: which ring the instructions ran at, interrupts and exceptions, port I/O, console output
 * and VM exits (coloured by reason). What a reader wants from a trace first is its shape — "the
 * kernel ran, a timer interrupt came, user code ran, it made a system call, it printed" — before
 * any single line of it; {@link TextPrinter} gives the lines.
 *
 * <p>Time is cut into columns of equal width; a column shows whether a lane had events in it (and
 * in a tooltip how many and the first one), so a timeline of a million events stays as small as
 * one of ten. {@link #toString()} is the text form, {@link #toHtml()} an SVG for notebooks.
 */
public final class TraceTimeline {
    /** Columns of the text form and of the picture. */
    static final int TEXT_COLUMNS = 64;
    static final int SVG_COLUMNS = 160;

    /** The lanes, top to bottom. */
    enum Lane {
        RING("ring"), INTERRUPTS("interrupts"), PORT_IO("port I/O"), CONSOLE("console"), VM_EXITS("VM exits"), MEMORY("memory");

        final String label;

        Lane(String label) {
            this.label = label;
        }
    }

    private final List<TraceEvent> events;
    private final long first;
    private final long last;

    private TraceTimeline(List<TraceEvent> events) {
        this.events = events;
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        for (TraceEvent e : events) {
            lo = Math.min(lo, e.retired());
            hi = Math.max(hi, e.retired());
        }
        this.first = events.isEmpty() ? 0 : lo;
        this.last = events.isEmpty() ? 0 : hi;
    }

    /** The timeline of {@code events} (in any order). */
    public static TraceTimeline of(Collection<? extends TraceEvent> events) {
        return new TraceTimeline(List.copyOf(events));
    }

    /** Events laid out. */
    public int size() {
        return events.size();
    }

    /** The first and last instruction counts the timeline spans. */
    public long first() {
        return first;
    }

    public long last() {
        return last;
    }

    /** One column of one lane: how many events fell in it, the first of them, and for the ring lane the rings seen. */
    private static final class Cell {
        int count;
        TraceEvent example;
        /** Instructions per CPL (the RPL of the CS they ran with). */
        final int[] rings = new int[4];

        int dominantRing() {
            int best = 0;
            for (int r = 1; r < 4; r++) {
                if (rings[r] > rings[best]) {
                    best = r;
                }
            }
            return best;
        }
    }

    /** Events bucketed into {@code columns} columns per lane; lanes with no event are left out. */
    private Map<Lane, Cell[]> bucket(int columns) {
        Map<Lane, Cell[]> lanes = new LinkedHashMap<>();
        for (Lane lane : Lane.values()) {
            lanes.put(lane, new Cell[columns]);
        }
        for (TraceEvent e : events) {
            Lane lane = laneOf(e);
            Cell[] cells = lanes.get(lane);
            int column = column(e.retired(), columns);
            Cell c = cells[column] == null ? (cells[column] = new Cell()) : cells[column];
            c.count++;
            if (c.example == null) {
                c.example = e;
            }
            if (e instanceof TraceEvent.Instruction i) {
                c.rings[i.cs() & 3]++;
            }
        }
        lanes.values().removeIf(cells -> java.util.Arrays.stream(cells).allMatch(java.util.Objects::isNull));
        return lanes;
    }

    private static Lane laneOf(TraceEvent e) {
        return switch (e.kind()) {
            case INSTRUCTION -> Lane.RING;
            case EXCEPTION -> Lane.INTERRUPTS;
            case PORT_IO -> Lane.PORT_IO;
            case CONSOLE -> Lane.CONSOLE;
            case VM_EXIT -> Lane.VM_EXITS;
            case MEMORY -> Lane.MEMORY;
        };
    }

    private int column(long retired, int columns) {
        long span = last - first + 1;
        return (int) Math.min(columns - 1, (retired - first) * columns / span);
    }

    /** The exit reasons seen, in order of first appearance, each with its letter for the text form. */
    private Map<String, Character> exitLetters() {
        Map<String, Character> letters = new LinkedHashMap<>();
        for (TraceEvent e : events) {
            if (e instanceof TraceEvent.VmExit x && !letters.containsKey(x.reason())) {
                letters.put(x.reason(), letterFor(x.reason(), letters.values()));
            }
        }
        return letters;
    }

    /** The reason's initial, upper case, or the next free letter if another reason has it. */
    private static char letterFor(String reason, Collection<Character> taken) {
        char c = reason.isEmpty() ? '?' : Character.toUpperCase(reason.charAt(0));
        if (!taken.contains(c)) {
            return c;
        }
        for (char d = 'A'; d <= 'Z'; d++) {
            if (!taken.contains(d)) {
                return d;
            }
        }
        return '*';
    }

    /**
     * The text form: a header, then one line per lane; the ring lane shows the ring most
     * instructions of a column ran at, the others a mark where events happened (VM exits the
     * letter of their reason, listed under the lanes).
     */
    @Override
    public String toString() {
        if (events.isEmpty()) {
            return "trace timeline: no events\n";
        }
        int columns = (int) Math.min(TEXT_COLUMNS, last - first + 1);
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "trace timeline: %,d events, instructions %,d to %,d retired (%d columns of %,d instructions)%n", events.size(),
                first, last, columns, (last - first + columns) / columns));
        Map<String, Character> letters = exitLetters();
        for (Map.Entry<Lane, Cell[]> lane : bucket(columns).entrySet()) {
            sb.append(String.format(Locale.ROOT, "%-11s |", lane.getKey().label));
            for (Cell c : lane.getValue()) {
                sb.append(c == null ? ' ' : switch (lane.getKey()) {
                    case RING -> (char) ('0' + c.dominantRing());
                    case VM_EXITS -> letters.get(((TraceEvent.VmExit) c.example).reason());
                    case CONSOLE -> 'c';
                    default -> '|';
                });
            }
            sb.append("|\n");
        }
        // The exit letters' legend, four to a line.
        StringBuilder legend = new StringBuilder();
        int n = 0;
        for (Map.Entry<String, Character> e : letters.entrySet()) {
            legend.append(n % 4 == 0 ? (n == 0 ? "VM exits:   " : "\n            ") : "  ");
            legend.append(String.format(Locale.ROOT, "%c %-22s", e.getValue(), e.getKey()));
            n++;
        }
        legend.toString().lines().forEach(line -> sb.append(line.stripTrailing()).append('\n'));
        return sb.toString();
    }

    /** Colours of the rings (0 the most privileged) and of the event lanes. */
    private static final String[] RING_COLOURS = {"#c0392b", "#e67e22", "#8e44ad", "#2e86c1"};
    private static final String[] EXIT_COLOURS = {"#d35400", "#16a085", "#8e44ad", "#c0392b", "#2c3e50", "#27ae60", "#f39c12",
            "#7f8c8d", "#2980b9", "#e84393"};
    private static final Map<Lane, String> LANE_COLOURS = Map.of(Lane.INTERRUPTS, "#c0392b", Lane.PORT_IO, "#2471a3",
            Lane.CONSOLE, "#1e8449", Lane.MEMORY, "#7f8c8d");

    /** An SVG picture of the lanes (columns with a tooltip each) with a time axis and a legend, for notebooks. */
    public String toHtml() {
        if (events.isEmpty()) {
            return "<p>trace timeline: no events</p>";
        }
        int columns = (int) Math.min(SVG_COLUMNS, last - first + 1);
        Map<Lane, Cell[]> lanes = bucket(columns);
        List<String> reasons = new ArrayList<>(exitLetters().keySet());
        int left = 90;
        int plot = 640;
        double colWidth = (double) plot / columns;
        int laneHeight = 26;
        int top = 10;
        List<String[]> legend = legend(lanes.containsKey(Lane.RING), reasons);
        int height = top + laneHeight * lanes.size() + 36 + 18 * ((legend.size() + 2) / 3);
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"vwb-timeline\" width=\"%d\" height=\"%d\" "
                        + "font-family=\"sans-serif\" font-size=\"12\">", left + plot + 20, height));
        int y = top;
        for (Map.Entry<Lane, Cell[]> lane : lanes.entrySet()) {
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>", left - 8, y + 17,
                    escape(lane.getKey().label)));
            b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#f4f6f7\"/>", left, y + 2,
                    plot, laneHeight - 4));
            Cell[] cells = lane.getValue();
            for (int col = 0; col < columns; col++) {
                Cell c = cells[col];
                if (c == null) {
                    continue;
                }
                String colour = switch (lane.getKey()) {
                    case RING -> RING_COLOURS[c.dominantRing()];
                    case VM_EXITS -> EXIT_COLOURS[reasons.indexOf(((TraceEvent.VmExit) c.example).reason()) % EXIT_COLOURS.length];
                    default -> LANE_COLOURS.get(lane.getKey());
                };
                String tip = c.count == 1 ? TextPrinter.format(c.example) : String.format(Locale.ROOT, "%,d events, first: %s",
                        c.count, TextPrinter.format(c.example));
                b.append(String.format(Locale.ROOT,
                        "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s</title></rect>",
                        left + col * colWidth, y + 3, Math.max(colWidth, 1.5), laneHeight - 6, colour, escape(tip)));
            }
            y += laneHeight;
        }
        // The time axis: the first and last instruction counts.
        b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555\"/>", left, y + 2,
                left + plot, y + 2));
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%,d</text>", left, y + 16, first));
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%,d instructions retired</text>",
                left + plot, y + 16, last));
        y += 36;
        for (int i = 0; i < legend.size(); i++) {
            int x = left + (i % 3) * 215;
            int ly = y + (i / 3) * 18;
            b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>", x, ly - 9,
                    legend.get(i)[0]));
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>", x + 14, ly, escape(legend.get(i)[1])));
        }
        return b.append("</svg>").toString();
    }

    /** The legend's entries (colour, label), three to a line: the rings, then the exit reasons. */
    private static List<String[]> legend(boolean rings, List<String> reasons) {
        List<String[]> legend = new ArrayList<>();
        if (rings) {
            for (int r = 0; r < 4; r++) {
                legend.add(new String[] {RING_COLOURS[r], "ring " + r});
            }
        }
        for (int i = 0; i < reasons.size(); i++) {
            legend.add(new String[] {EXIT_COLOURS[i % EXIT_COLOURS.length], "exit: " + reasons.get(i)});
        }
        return legend;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
