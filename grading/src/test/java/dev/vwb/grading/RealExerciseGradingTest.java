package dev.vwb.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vwb.exercises.Exercise;
import dev.vwb.exercises.Exercises;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A bundled exercise graded as a student's work would be: a UART that garbles one character
 * passes the register tests and fails the guests' equivalence, and its report shows the guest's
 * last instructions and VM exits where it failed; the untouched skeleton scores nothing.
 */
class RealExerciseGradingTest {
    private static final Exercise UART = Exercises.byName("virtual-uart");
    private static final String FILE = "dev/vwb/student/StudentUart.java";

    private static GradeReport grade(String name, Map<String, String> sources) throws Exception {
        GradingKit kit = GradingKit.of(UART);
        try (Grader g = Grader.of(kit, Limits.defaults().withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(180)))) {
            return g.grade(name, sources);
        }
    }

    @Test
    void aUartThatGarblesNewlinesLosesTheGuestTestsOnly_andTheReportShowsTheGuestAroundTheFailure() throws Exception {
        String solution = UART.sources(Exercise.Part.SOLUTION).get(FILE);
        String garbled = solution.replace("line.transmit(value);", "line.transmit(value == '\\n' ? '?' : value);");
        assertTrue(!garbled.equals(solution), "the mutation no longer applies: the solution changed");
        Map<String, String> sources = new HashMap<>(UART.sources(Exercise.Part.SOLUTION));
        sources.put(FILE, garbled);
        GradeReport r = grade("garbles-newlines", sources);
        assertTrue(r.score() > 0 && r.score() < r.maxScore(), "partly right: " + r.score() + " of " + r.maxScore());
        String report = MarkdownReport.of(r);
        assertTrue(report.contains("VM exits") && report.contains("instructions of guest"), report);
    }

    @Test
    void aSolutionInAnotherPackageIsSaidToReplaceNothing() throws Exception {
        String moved = UART.sources(Exercise.Part.SOLUTION).get(FILE).replace("package dev.vwb.student;", "package my.uart;");
        GradeReport r = grade("moved", Map.of("my/uart/StudentUart.java", moved));
        assertEquals(0, r.score(), "the skeleton was graded");
        assertTrue(r.output().contains("StudentUart.java is in package my.uart, not dev.vwb.student"), r.output());
    }

    @Test
    void theSkeletonScoresNothing() throws Exception {
        GradeReport r = grade("skeleton", UART.sources(Exercise.Part.SKELETON));
        assertEquals(0, r.score());
        assertTrue(r.maxScore() > 0);
    }
}
