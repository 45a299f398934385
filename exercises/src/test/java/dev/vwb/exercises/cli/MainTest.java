package dev.vwb.exercises.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vwb.exercises.Exercise;
import dev.vwb.exercises.Exercises;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vwb exercise}: its output, its one-line errors, and a handout that builds and runs its public tests with Maven. */
class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void listPrintsOneExerciseALineNameFirst() {
        assertEquals(0, run("list"));
        List<String> lines = out().lines().toList();
        assertEquals(Exercises.all().size(), lines.size());
        assertEquals("privileged-instructions  lesson 2  Emulate the privileged instructions", lines.get(0));
        assertTrue(lines.get(1).startsWith("virtual-uart "), lines.get(1));
    }

    @Test
    void helpIsThereForEveryCommand() {
        assertEquals(0, run("--help"));
        assertTrue(out().contains("handout NAME DIR"));
        assertEquals(0, run("list", "--help"));
        assertEquals(0, run("handout", "--help"));
        assertTrue(out().contains("No graded test and no solution"));
    }

    @Test
    void errorsAreOneLine(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("taken"), "x");
        assertEquals(2, run("handout", "nope", dir.resolve("a").toString()));
        assertEquals(2, run("handout", "virtual-uart", dir.toString()));
        assertEquals(2, run("frobnicate"));
        assertEquals(2, run("handout", "virtual-uart"));
        List<String> lines = err().lines().toList();
        assertEquals(4, lines.size(), err());
        assertTrue(lines.get(0).startsWith("vwb exercise: no exercise named 'nope'"), lines.get(0));
        assertEquals("vwb exercise: " + dir + " is not an empty folder: give a new or empty one", lines.get(1));
        assertFalse(err().contains("\tat "), "no stack traces");
    }

    @Test
    void aHandoutHoldsTheSkeletonAndPublicTestsButNoGradedTestOrSolution(@TempDir Path dir) throws IOException {
        Exercise e = Exercises.byName("shadow-pager");
        Path project = dir.resolve("p");
        assertEquals(0, run("handout", e.name(), project.toString()), err());
        for (Map.Entry<String, String> f : e.sources(Exercise.Part.SKELETON).entrySet()) {
            assertEquals(f.getValue(), Files.readString(project.resolve("src/main/java").resolve(f.getKey())));
        }
        for (String f : e.sources(Exercise.Part.PUBLIC_TESTS).keySet()) {
            assertTrue(Files.exists(project.resolve("src/test/java").resolve(f)), f);
        }
        try (Stream<Path> files = Files.walk(project)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                String text = Files.readString(f);
                assertFalse(text.contains("@Tag(\"points="), f + " is a graded test");
                assertTrue(text.contains("TODO") || f.toString().contains("src/test/java"), f + " is no skeleton");
            }
        }
        assertTrue(Files.exists(project.resolve("lib")) && Files.list(project.resolve("lib")).anyMatch(
                j -> j.getFileName().toString().startsWith("workbench-core")));
        try (Stream<Path> libs = Files.list(project.resolve("lib"))) {
            assertFalse(libs.anyMatch(j -> j.getFileName().toString().startsWith("exercises")), "the solutions' jar went out");
        }
        assertTrue(Files.isExecutable(project.resolve("vwb")));
        assertTrue(Files.readString(project.resolve("pom.xml")).contains("<artifactId>junit-jupiter</artifactId>"));
    }

    /**
     * The handout builds offline with Maven: the public tests fail on the skeleton's TODOs and
     * pass once the solution is copied over (skipped without Maven on the PATH).
     */
    @Test
    void aHandoutsPublicTestsFailOnTheSkeletonAndPassWithTheSolution(@TempDir Path dir) throws Exception {
        assumeTrue(onPath("mvn"), "Maven is not on the PATH");
        Exercise e = Exercises.byName("virtual-uart");
        Path project = dir.resolve("uart");
        assertEquals(0, run("handout", e.name(), project.toString()), err());
        Result skeleton = mvnTest(project);
        assertFalse(skeleton.status() == 0, skeleton.output());
        assertTrue(skeleton.output().contains("TODO"), skeleton.output());
        for (Map.Entry<String, String> f : e.sources(Exercise.Part.SOLUTION).entrySet()) {
            Files.writeString(project.resolve("src/main/java").resolve(f.getKey()), f.getValue());
        }
        Result solution = mvnTest(project);
        assertEquals(0, solution.status(), solution.output());
    }

    private record Result(int status, String output) {
    }

    private static Result mvnTest(Path project) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("mvn", "-q", "-B", "-o", "test").directory(project.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), output);
    }

    private static boolean onPath(String command) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, command)));
    }
}
