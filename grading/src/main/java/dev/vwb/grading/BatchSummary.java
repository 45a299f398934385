package dev.vwb.grading;

import dev.vwb.grading.GradeReport.Verdict;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What a batch came to: counts by verdict and the distribution of scores.
 *
 * @param reports  every submission's report, in the submissions' order
 * @param seconds  the batch's wall time
 * @param parallel submissions graded at once
 */
public record BatchSummary(List<GradeReport> reports, double seconds, int parallel) {
    /** Buckets of the score histogram, by percent of the maximum. */
    static final int BUCKETS = 10;

    public BatchSummary {
        reports = List.copyOf(reports);
    }

    public long count(Verdict verdict) {
        return reports.stream().filter(r -> r.verdict() == verdict).count();
    }

    /** Submissions per tenth of the maximum score (the last bucket holds full marks). */
    int[] histogram() {
        int[] buckets = new int[BUCKETS];
        for (GradeReport r : reports) {
            double share = r.maxScore() == 0 ? 0 : r.score() / r.maxScore();
            buckets[Math.min(BUCKETS - 1, (int) Math.floor(share * BUCKETS))]++;
        }
        return buckets;
    }

    /** The closing summary: counts, then a text histogram. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "Graded %d submissions in %.1f s (%d at once): %d graded, %d failed to compile, %d timed out, %d not gradable.%n",
                reports.size(), seconds, parallel, count(Verdict.GRADED), count(Verdict.COMPILE_ERROR),
                count(Verdict.TIMED_OUT), count(Verdict.ERROR)));
        int[] h = histogram();
        int most = Math.max(1, Arrays.stream(h).max().orElse(1));
        b.append("Scores (percent of the maximum):\n");
        for (int i = 0; i < BUCKETS; i++) {
            String range = i == BUCKETS - 1 ? " 90-100" : String.format(Locale.ROOT, "%3d-%-3d", i * 10, i * 10 + 9);
            b.append(String.format(Locale.ROOT, "  %s%% | %-30s %d%n", range, "#".repeat((int) Math.round(30.0 * h[i] / most)), h[i]));
        }
        double mean = reports.stream().mapToDouble(r -> r.maxScore() == 0 ? 0 : 100 * r.score() / r.maxScore()).average().orElse(0);
        return b.append(String.format(Locale.ROOT, "Mean %.1f%%.", mean)).toString();
    }
}
