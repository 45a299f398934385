package dev.vwb.grading;

import java.util.Locale;

/** Points as people write them: 7, 2.5. */
final class Scores {
    private Scores() {
    }

    static String format(double points) {
        return points == Math.rint(points) ? String.valueOf((long) points) : String.format(Locale.ROOT, "%.2f", points);
    }
}
