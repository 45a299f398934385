package dev.vwb.notebooks.quiz;

import java.util.List;
import java.util.Locale;

/**
 * What {@link Answers#check()} found: one {@link Check} per question, in order. Prints as a few
 * lines and, in a notebook, as a table with a mark per question.
 */
public record QuizReport(String lesson, List<Check> checks) {
    public QuizReport {
        checks = List.copyOf(checks);
    }

    /** How many answers are right. */
    public long right() {
        return count(Check.Verdict.RIGHT);
    }

    /** How many answers have {@code verdict}. */
    public long count(Check.Verdict verdict) {
        return checks.stream().filter(c -> c.verdict() == verdict).count();
    }

    /** One line: "2 of 4 right, 1 wrong, 1 unanswered". */
    public String summary() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%d of %d right", right(), checks.size()));
        for (Check.Verdict v : List.of(Check.Verdict.WRONG, Check.Verdict.UNANSWERED, Check.Verdict.UNCHECKED)) {
            if (count(v) > 0) {
                b.append(", ").append(count(v)).append(' ').append(v.label());
            }
        }
        return b.toString();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(lesson + ": " + summary() + "\n");
        for (Check c : checks) {
            b.append(String.format(Locale.ROOT, "  %d. %-11s %-40s %s%n", c.number(), c.verdict().label(), c.topic(), given(c)));
        }
        return b.append(hint()).toString();
    }

    private String hint() {
        return right() == checks.size() ? "All right." : "Quiz.model(\"" + lesson + "\", N) shows the model answer to question N.";
    }

    private static String given(Check c) {
        String g = c.given() == null || c.given().toString().isBlank() ? "" : "(you said " + c.given() + ")";
        return c.note().isEmpty() ? g : (g + " " + c.note()).strip();
    }

    /** A table: number, topic, a coloured verdict, the note. */
    public String toHtml() {
        StringBuilder b = new StringBuilder("<div class=\"vwb-quiz\"><p><b>" + Quiz.escape(lesson + ": " + summary()) + "</b></p>");
        b.append("<table><tr><th>#</th><th>question</th><th>your answer</th><th>verdict</th></tr>");
        for (Check c : checks) {
            String colour = switch (c.verdict()) {
                case RIGHT -> "#1a7f37";
                case WRONG -> "#cf222e";
                default -> "#6e7781";
            };
            String mark = switch (c.verdict()) {
                case RIGHT -> "&#10004; ";
                case WRONG -> "&#10008; ";
                default -> "";
            };
            b.append("<tr><td>").append(c.number()).append("</td><td>").append(Quiz.escape(c.topic())).append("</td><td>")
                    .append(Quiz.escape(c.given() == null ? "" : c.given().toString())).append("</td><td style=\"color:")
                    .append(colour).append("\">").append(mark).append(Quiz.escape(c.verdict().label()))
                    .append(c.note().isEmpty() ? "" : " &mdash; " + Quiz.escape(c.note())).append("</td></tr>");
        }
        return b.append("</table><p>").append(Quiz.escape(hint())).append("</p></div>").toString();
    }
}
