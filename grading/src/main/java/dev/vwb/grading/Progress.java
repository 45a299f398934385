package dev.vwb.grading;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress of a batch: on a terminal one line redrawn in place (a bar, counts, the last
 * submission); elsewhere (a log, CI) a plain line per submission. Called from the pool's threads.
 */
public interface Progress {
    void begin(int total);

    void graded(GradeReport report);

    void end();

    /** The bar on a terminal, plain lines otherwise. */
    static Progress to(PrintStream out, boolean terminal) {
        return terminal ? new Bar(out) : new Lines(out);
    }

    /** Nothing at all. */
    Progress NONE = new Progress() {
        @Override
        public void begin(int total) {
        }

        @Override
        public void graded(GradeReport report) {
        }

        @Override
        public void end() {
        }
    };

    /** A plain line per submission. */
    final class Lines implements Progress {
        private final PrintStream out;
        private int total;
        private int done;

        Lines(PrintStream out) {
            this.out = out;
        }

        @Override
        public synchronized void begin(int total) {
            this.total = total;
        }

        @Override
        public synchronized void graded(GradeReport r) {
            out.printf(Locale.ROOT, "[%d/%d] %s: %s/%s (%s, %.1f s)%n", ++done, total, r.submission(),
                    Scores.format(r.score()), Scores.format(r.maxScore()), r.verdict().label(), r.seconds());
        }

        @Override
        public void end() {
        }
    }

    /** One line redrawn with a carriage return. */
    final class Bar implements Progress {
        private static final int WIDTH = 30;
        private final PrintStream out;
        private final long start = System.nanoTime();
        private int total;
        private int done;

        Bar(PrintStream out) {
            this.out = out;
        }

        @Override
        public synchronized void begin(int total) {
            this.total = total;
            draw("");
        }

        @Override
        public synchronized void graded(GradeReport r) {
            done++;
            draw(r.submission() + " " + Scores.format(r.score()) + "/" + Scores.format(r.maxScore()));
        }

        @Override
        public synchronized void end() {
            out.print("\n");
            out.flush();
        }

        private void draw(String last) {
            int filled = total == 0 ? WIDTH : WIDTH * done / total;
            String line = String.format(Locale.ROOT, "\r[%s%s] %d/%d  %.0f s  %s", "#".repeat(filled), ".".repeat(WIDTH - filled),
                    done, total, (System.nanoTime() - start) / 1e9, last);
            out.print(line.length() > 100 ? line.substring(0, 100) : line + " ".repeat(100 - line.length()));
            out.flush();
        }
    }
}
