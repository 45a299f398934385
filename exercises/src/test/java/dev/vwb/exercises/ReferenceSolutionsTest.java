package dev.vwb.exercises;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every exercise's reference solution passes its public and graded tests with full marks, and its
 * skeleton compiles (with the tests) but scores nothing: the tests can tell the two apart. The
 * sources are compiled and run here as the grader would, against the workbench's jars and JUnit
 * only (not this module).
 */
class ReferenceSolutionsTest {
    static List<String> exercises() {
        return Exercises.all().stream().map(Exercise::name).toList();
    }

    @ParameterizedTest
    @MethodSource("exercises")
    void theSolutionPassesEveryPublicAndGradedTest(String name, @TempDir Path dir) {
        Exercise e = Exercises.byName(name);
        Compilation c = Compilation.of(dir, e.sources(Exercise.Part.SOLUTION), e.sources(Exercise.Part.PUBLIC_TESTS),
                e.sources(Exercise.Part.HIDDEN_TESTS));
        assertTrue(c.ok(), c.diagnostics());
        TestRun graded = TestRun.of(c.classes(), classNames(e.sources(Exercise.Part.HIDDEN_TESTS)));
        TestRun pub = TestRun.of(c.classes(), classNames(e.sources(Exercise.Part.PUBLIC_TESTS)));
        assertEquals(List.of(), graded.failures(), name + ": graded tests failing on the solution");
        assertEquals(List.of(), pub.failures(), name + ": public tests failing on the solution");
        assertFalse(pub.results().isEmpty(), name + " has no public test");
        assertTrue(graded.results().stream().allMatch(r -> r.points() > 0), name + ": a graded test without @Tag(\"points=N\"): "
                + graded.results());
        assertTrue(graded.total() >= 10 && graded.total() <= 25, name + ": " + graded.total() + " points in all");
        assertEquals(graded.total(), graded.scored());
    }

    @ParameterizedTest
    @MethodSource("exercises")
    void theSkeletonCompilesButScoresNothing(String name, @TempDir Path dir) {
        Exercise e = Exercises.byName(name);
        Compilation c = Compilation.of(dir, e.sources(Exercise.Part.SKELETON), e.sources(Exercise.Part.PUBLIC_TESTS),
                e.sources(Exercise.Part.HIDDEN_TESTS));
        assertTrue(c.ok(), c.diagnostics());
        TestRun graded = TestRun.of(c.classes(), classNames(e.sources(Exercise.Part.HIDDEN_TESTS)));
        assertEquals(List.of(), graded.passes(), name + ": graded tests the skeleton passes");
        assertTrue(graded.total() > 0 && graded.scored() == 0);
        TestRun pub = TestRun.of(c.classes(), classNames(e.sources(Exercise.Part.PUBLIC_TESTS)));
        assertFalse(pub.failures().isEmpty(), name + ": the public tests pass on the skeleton");
    }

    /** The top-level classes of {@code sources} whose names end in "Test". */
    static List<String> classNames(Map<String, String> sources) {
        return sources.keySet().stream().filter(p -> p.endsWith("Test.java")).sorted()
                .map(p -> p.substring(0, p.length() - ".java".length()).replace('/', '.')).toList();
    }
}
