package dev.vwb.grading;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A graded submission: the verdict, the score, a summary for the student, and each test.
 *
 * @param submission the submission's name (its folder's)
 * @param exercise   the exercise's name
 * @param verdict    how grading went as a whole
 * @param score      points earned
 * @param maxScore   points possible
 * @param seconds    wall time of grading it, compilation included
 * @param output     the summary: counts, notes (an empty submission, the sandbox used), compiler messages
 * @param tests      every graded test, in the plan's order
 */
public record GradeReport(String submission, String exercise, Verdict verdict, double score, double maxScore,
                          double seconds, String output, List<TestResult> tests) {
    /** How grading a submission went as a whole (the batch summary counts these). */
    public enum Verdict {
        /** Compiled, and every test ran to an outcome within its time. */
        GRADED("graded"),
        /** Did not compile: score 0, the compiler's messages in the output. */
        COMPILE_ERROR("failed to compile"),
        /** At least one test, or the whole submission, ran out of time. */
        TIMED_OUT("timed out"),
        /** Could not be graded at all (an unreadable or oversized submission). */
        ERROR("not gradable");

        private final String label;

        Verdict(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public GradeReport {
        tests = List.copyOf(tests);
    }

    /** Writes results.json (Gradescope), junit.xml and report.md into {@code dir}. */
    public void writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("results.json"), ResultsJson.of(this));
        Files.writeString(dir.resolve("junit.xml"), JunitXml.of(this));
        Files.writeString(dir.resolve("report.md"), MarkdownReport.of(this));
    }
}
