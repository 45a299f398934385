package dev.vwb.grading;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An exercise's hidden tests, compiled once per grader against the skeleton (which has the same
 * API as every submission), and their plan: each graded test with its points, found by a
 * discovery run in the test JVM. The plan is what a submission that does not compile, or whose
 * JVM dies, is still scored against.
 *
 * @param classes         the compiled hidden tests (no skeleton: the submission's classes take its place)
 * @param skeletonClasses the compiled skeleton, for the discovery run only
 * @param classNames      the hidden test classes
 * @param plan            the graded tests, in the order JUnit runs them
 */
record HiddenTests(Path classes, Path skeletonClasses, List<String> classNames, List<PlannedTest> plan) {
    /** One graded test as discovery found it. */
    record PlannedTest(String id, String number, String name, String className, double points) {
    }

    double maxScore() {
        return plan.stream().mapToDouble(PlannedTest::points).sum();
    }

    /** Compiles the kit's skeleton and hidden tests under {@code dir} and discovers the plan; an exercise that fails is an {@link IllegalStateException}. */
    static HiddenTests prepare(GradingKit kit, Path dir, Isolation isolation, Limits limits) throws IOException, InterruptedException {
        Path skeleton = dir.resolve("skeleton-classes");
        Javac.Result s = Javac.compile(kit.skeleton(), dir.resolve("skeleton-src"), skeleton, SandboxClasspath.entries());
        if (!s.ok()) {
            throw new IllegalStateException("exercise " + kit.name() + ": its skeleton does not compile:\n" + s.messages());
        }
        List<Path> cp = new ArrayList<>(SandboxClasspath.entries());
        cp.add(skeleton);
        Path classes = dir.resolve("hidden-classes");
        Javac.Result h = Javac.compile(kit.testSources(), dir.resolve("hidden-src"), classes, cp);
        if (!h.ok()) {
            throw new IllegalStateException("exercise " + kit.name() + ": its hidden tests do not compile:\n" + h.messages());
        }
        List<String> names = kit.hidden().keySet().stream().filter(p -> p.endsWith(".java"))
                .map(p -> p.substring(0, p.length() - ".java".length()).replace('/', '.')).sorted().toList();
        // The runner's inputs sit in the folder it writes, the only one bound into bubblewrap besides scratch and the class path.
        Path results = Files.createDirectories(dir.resolve("discovery"));
        Path classList = results.resolve("classes.txt");
        Files.write(classList, names);
        Path lines = results.resolve("plan.jsonl");
        List<Path> runCp = new ArrayList<>(SandboxClasspath.entries());
        runCp.add(classes);
        runCp.add(skeleton);
        TestJvm.Run run = TestJvm.run(runCp, List.of("--results", lines.toString(), "--classes", classList.toString(), "--list"),
                Files.createDirectories(dir.resolve("discovery-scratch")), results, null, isolation, limits,
                limits.submissionTimeout());
        List<PlannedTest> plan = new ArrayList<>();
        for (JsonNode n : RunnerEvents.read(lines)) {
            if (n.path("event").asText().equals("plan")) {
                plan.add(new PlannedTest(n.path("id").asText(), String.valueOf(plan.size() + 1), n.path("name").asText(),
                        n.path("class").asText(), n.path("points").asDouble()));
            }
        }
        if (plan.isEmpty()) {
            throw new IllegalStateException("exercise " + kit.name() + ": discovery found no hidden tests"
                    + (run.console().isBlank() ? "" : ":\n" + run.console()));
        }
        return new HiddenTests(classes, skeleton, names, List.copyOf(plan));
    }
}
