package dev.vwb.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.vwb.exercises.Exercise;
import dev.vwb.exercises.Exercises;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every bundled exercise's reference solution scores full marks through the grader (its sandboxed JVM). */
class ReferenceSolutionsTest {
    @TestFactory
    Stream<DynamicTest> everyBundledReferenceSolution_scoresFullMarks() {
        assertFalse(Exercises.all().size() < 4, "the issue asks for at least four exercises; bundled: " + Exercises.all().size());
        return Exercises.all().stream().map(e -> DynamicTest.dynamicTest(e.name(), () -> {
            GradingKit kit = GradingKit.of(e);
            try (Grader g = Grader.of(kit, Limits.defaults().withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(180)))) {
                GradeReport r = g.grade("solution", e.sources(Exercise.Part.SOLUTION));
                assertEquals(r.maxScore(), r.score(), () -> MarkdownReport.of(r));
                assertFalse(r.maxScore() == 0, "an exercise with no points");
            }
        }));
    }
}
