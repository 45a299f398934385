package dev.vwb.grading;

import java.util.Locale;

/**
 * The report a student or instructor reads: the score, a table of the tests, then each test not
 * passed with its failure, what it printed, and the guest's last instructions and VM exits (the
 * flight recorder's excerpt, already in the test's output).
 */
final class MarkdownReport {
    private MarkdownReport() {
    }

    static String of(GradeReport r) {
        StringBuilder b = new StringBuilder();
        b.append("# ").append(r.exercise()).append(" — ").append(r.submission()).append("\n\n");
        b.append(String.format(Locale.ROOT, "**Score: %s / %s** (%s, %.1f s)%n%n", Scores.format(r.score()),
                Scores.format(r.maxScore()), r.verdict().label(), r.seconds()));
        fence(b, r.output());
        b.append("\n| # | Test | Points | Result |\n|---|------|--------|--------|\n");
        for (TestResult t : r.tests()) {
            b.append("| ").append(t.number()).append(" | ").append(cell(t.name())).append(" | ")
                    .append(Scores.format(t.score())).append(" / ").append(Scores.format(t.maxScore())).append(" | ")
                    .append(switch (t.status()) {
                        case PASSED -> "passed";
                        case FAILED -> "**failed**";
                        case TIMED_OUT -> "**timed out**";
                    }).append(" |\n");
        }
        for (TestResult t : r.tests()) {
            if (t.status() != TestResult.Status.PASSED && !t.output().isBlank()) {
                b.append("\n## ").append(t.number()).append(". ").append(t.name()).append("\n\n");
                fence(b, t.output());
            }
        }
        return b.toString();
    }

    private static void fence(StringBuilder b, String text) {
        // A fence longer than any run of backticks in the text, so a submission's output cannot end it.
        String fence = "```";
        while (text.contains(fence)) {
            fence += "`";
        }
        b.append(fence).append("text\n").append(text.strip()).append('\n').append(fence).append('\n');
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
