package dev.vwb.grading;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vwb.grading.GradeReport.Verdict;
import dev.vwb.grading.HiddenTests.PlannedTest;
import dev.vwb.grading.TestResult.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Grades submissions of one exercise: compiles each (in this JVM), runs the hidden tests in a
 * test JVM of its own ({@link TestJvm}) under the {@link Limits} and {@link Isolation}, and
 * scores what the runner reports. Thread-safe: a batch grades several submissions at once.
 *
 * <p>A test JVM that ends early — a test timed out or ran the heap out (the runner ends it on
 * purpose, abandoning the test's thread), or the submission killed it — costs only the test in
 * progress: a fresh JVM runs the tests left, while the submission's time lasts. When that time
 * runs out, the test in progress and those not run fail as timed out.
 *
 * <pre>{@code
 * try (Grader g = Grader.of(ExerciseFolder.kit(dir), Limits.defaults())) {
 *     g.grade("alice", Path.of("submissions/alice")).writeTo(Path.of("out/alice"));
 * }
 * }</pre>
 */
public final class Grader implements AutoCloseable {
    private final GradingKit kit;
    private final Limits limits;
    private final Isolation isolation;
    private final Path work;
    private final AtomicInteger submissions = new AtomicInteger();
    private HiddenTests hidden;

    private Grader(GradingKit kit, Limits limits, Path work) {
        this.kit = kit;
        this.limits = limits;
        this.isolation = Isolation.choose(limits.bubblewrap());
        this.work = work;
    }

    /** A grader with a work folder of its own (deleted by {@link #close}). */
    public static Grader of(GradingKit kit, Limits limits) {
        try {
            return new Grader(kit, limits, Files.createTempDirectory("vwb-grade-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public GradingKit kit() {
        return kit;
    }

    /** The sandbox this grader runs tests in, in words. */
    public String isolation() {
        return isolation.description();
    }

    /** The points of the exercise (compiles the hidden tests on first use). */
    public double maxScore() {
        return hidden().maxScore();
    }

    /** Compiles the hidden tests and discovers them, if not done yet: a batch does it before the clock of its first submission starts. */
    public synchronized void prepare() {
        hidden();
    }

    private synchronized HiddenTests hidden() {
        if (hidden == null) {
            try {
                hidden = HiddenTests.prepare(kit, Files.createDirectories(work.resolve("exercise")), isolation, limits);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while preparing the hidden tests", e);
            }
        }
        return hidden;
    }

    /** Grades the submission at {@code submission} (a folder of sources or a jar), named {@code name} in the report. */
    public GradeReport grade(String name, Path submission) {
        long start = System.nanoTime();
        Map<String, String> sources;
        try {
            sources = SubmissionSources.read(submission);
        } catch (IllegalArgumentException e) {
            return notRun(name, Verdict.ERROR, start, "Could not grade the submission: " + e.getMessage(), "not run: the submission could not be read");
        }
        return grade(name, sources, start);
    }

    /** Grades sources given by path below the source root (they replace the skeleton's files of the same path). */
    public GradeReport grade(String name, Map<String, String> sources) {
        return grade(name, sources, System.nanoTime());
    }

    /**
     * A file named like one of the skeleton's but declaring another package does not replace it:
     * the skeleton's copy is graded. Said, so a student who moved the class learns why it scored
     * as the skeleton.
     */
    private List<String> misplaced(Map<String, String> sources) {
        List<String> notes = new ArrayList<>();
        for (String path : sources.keySet()) {
            String file = path.substring(path.lastIndexOf('/') + 1);
            for (String expected : kit.skeleton().keySet()) {
                if (!sources.containsKey(expected) && expected.substring(expected.lastIndexOf('/') + 1).equals(file)) {
                    notes.add("The submission's " + file + " is in package " + packageOf(path) + ", not "
                            + packageOf(expected) + ": it does not replace the skeleton's " + expected + ", which was graded.");
                }
            }
        }
        return notes;
    }

    private static String packageOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "(the default package)" : path.substring(0, slash).replace('/', '.');
    }

    private GradeReport grade(String name, Map<String, String> sources, long start) {
        HiddenTests tests = hidden();
        Path dir = work.resolve("s" + submissions.incrementAndGet());
        try {
            List<String> notes = new ArrayList<>();
            if (sources.isEmpty()) {
                notes.add("The submission has no Java sources: the skeleton was graded.");
            }
            notes.addAll(misplaced(sources));
            Map<String, String> all = new LinkedHashMap<>(kit.skeleton());
            all.putAll(sources);
            Path classes = dir.resolve("classes");
            Javac.Result compiled = Javac.compile(all, dir.resolve("src"), classes, SandboxClasspath.entries());
            if (!compiled.ok()) {
                return notRun(name, Verdict.COMPILE_ERROR, start, "The submission does not compile (score 0):\n\n"
                        + compiled.messages(), "not run: the submission does not compile");
            }
            return run(name, tests, dir, classes, notes, start);
        } catch (IOException e) {
            return notRun(name, Verdict.ERROR, start, "The grader failed: " + e.getMessage(), "not run: the grader failed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return notRun(name, Verdict.ERROR, start, "Grading was interrupted.", "not run: grading was interrupted");
        } finally {
            delete(dir);
        }
    }

    /** The run loop: a JVM for the tests left, until none is left or the submission's time is up. */
    private GradeReport run(String name, HiddenTests tests, Path dir, Path classes, List<String> notes, long start)
            throws IOException, InterruptedException {
        Path scratch = Files.createDirectories(dir.resolve("scratch"));
        Path results = Files.createDirectories(dir.resolve("results"));
        // The runner's inputs sit in the folder it writes, the only one bound into bubblewrap besides scratch and the class path.
        Path classList = results.resolve("classes.txt");
        Files.write(classList, tests.classNames());
        // The hidden tests come before the submission, so a submission cannot replace a test class.
        List<Path> cp = new ArrayList<>(SandboxClasspath.entries());
        cp.add(tests.classes());
        cp.add(classes);
        long deadline = System.nanoTime() + limits.submissionTimeout().toNanos();
        Map<String, TestResult> done = new LinkedHashMap<>();
        String console = "";
        boolean outOfTime = false;
        for (int attempt = 1; done.size() < tests.plan().size(); attempt++) {
            Duration left = Duration.ofNanos(deadline - System.nanoTime());
            if (left.isNegative() || left.isZero()) {
                outOfTime = true;
                break;
            }
            Path only = results.resolve("only-" + attempt + ".txt");
            Files.write(only, tests.plan().stream().map(PlannedTest::id).filter(id -> !done.containsKey(id)).toList());
            Path lines = results.resolve("run-" + attempt + ".jsonl");
            TestJvm.Run run = TestJvm.run(cp, List.of("--results", lines.toString(), "--classes", classList.toString(),
                    "--only", only.toString(), "--test-timeout", String.valueOf(limits.testTimeout().toSeconds())),
                    scratch, results, classes, isolation, limits, left);
            console = run.console();
            int before = done.size();
            String inProgress = collect(tests, RunnerEvents.read(lines), done);
            if (run.killed()) {
                outOfTime = true;
                if (inProgress != null) {
                    done.put(inProgress, result(tests, inProgress, Status.TIMED_OUT, "Timed out: the submission's time limit ("
                            + limits.submissionTimeout().toSeconds() + " s for all tests) ran out during this test.", 0));
                }
                break;
            }
            if (inProgress != null) {
                done.put(inProgress, result(tests, inProgress, Status.FAILED, crashMessage(run), 0));
            }
            if (done.size() == before) {
                // The JVM ended before any test: nothing a fresh one would do differently.
                notes.add("The test JVM ended before running a test (exit status " + run.exitCode() + ")"
                        + (console.isBlank() ? "." : ":\n" + console));
                break;
            }
        }
        String why = outOfTime ? "Not run: the submission's time limit (" + limits.submissionTimeout().toSeconds() + " s) ran out."
                : "Not run: the test JVM ended.";
        Status notRun = outOfTime ? Status.TIMED_OUT : Status.FAILED;
        for (PlannedTest t : tests.plan()) {
            done.computeIfAbsent(t.id(), id -> result(tests, id, notRun, why, 0));
        }
        List<TestResult> ordered = tests.plan().stream().map(t -> done.get(t.id())).toList();
        boolean timedOut = outOfTime || ordered.stream().anyMatch(r -> r.status() == Status.TIMED_OUT);
        return report(name, timedOut ? Verdict.TIMED_OUT : Verdict.GRADED, start, ordered, notes);
    }

    /** Adds the finished tests to {@code done}; returns the test started but not finished, if any. */
    private String collect(HiddenTests tests, List<JsonNode> events, Map<String, TestResult> done) {
        String started = null;
        for (JsonNode e : events) {
            String id = e.path("id").asText();
            switch (e.path("event").asText()) {
                case "started" -> started = id;
                case "finished" -> {
                    if (plannedIds(tests).contains(id) && !done.containsKey(id)) {
                        Status status = switch (e.path("status").asText()) {
                            case "passed" -> Status.PASSED;
                            case "timeout" -> Status.TIMED_OUT;
                            default -> Status.FAILED;
                        };
                        done.put(id, result(tests, id, status, e.path("output").asText(), e.path("seconds").asDouble()));
                    }
                    if (id.equals(started)) {
                        started = null;
                    }
                }
                default -> {
                }
            }
        }
        return started != null && !done.containsKey(started) ? started : null;
    }

    private static List<String> plannedIds(HiddenTests tests) {
        return tests.plan().stream().map(PlannedTest::id).toList();
    }

    /** Why the JVM ended in the middle of a test, from its exit status and console. */
    private String crashMessage(TestJvm.Run run) {
        String console = run.console();
        if (console.contains("OutOfMemoryError")) {
            return "OutOfMemoryError: the submission used up the test JVM's heap (" + limits.heapMiB() + " MiB).";
        }
        return "The test JVM ended during this test (exit status " + run.exitCode() + "), e.g. by System.exit or a crash."
                + (console.isBlank() ? "" : "\nIts console:\n" + console);
    }

    private static TestResult result(HiddenTests tests, String id, Status status, String output, double seconds) {
        PlannedTest t = tests.plan().stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow();
        return new TestResult(t.number(), t.className() + ": " + t.name(), t.className(),
                status == Status.PASSED ? t.points() : 0, t.points(), status, output, seconds);
    }

    private GradeReport notRun(String name, Verdict verdict, long start, String output, String why) {
        HiddenTests tests = hidden();
        List<TestResult> all = tests.plan().stream().map(t -> result(tests, t.id(), Status.FAILED, why, 0)).toList();
        return report(name, verdict, start, all, List.of(output));
    }

    private GradeReport report(String name, Verdict verdict, long start, List<TestResult> tests, List<String> notes) {
        double score = tests.stream().mapToDouble(TestResult::score).sum();
        double max = tests.stream().mapToDouble(TestResult::maxScore).sum();
        long passed = tests.stream().filter(t -> t.status() == Status.PASSED).count();
        long timedOut = tests.stream().filter(t -> t.status() == Status.TIMED_OUT).count();
        StringBuilder out = new StringBuilder(String.format(java.util.Locale.ROOT,
                "%s: %s of %s points; %d of %d tests passed%s.", kit.title(), Scores.format(score), Scores.format(max), passed,
                tests.size(), timedOut == 0 ? "" : ", " + timedOut + " timed out"));
        for (String note : notes) {
            out.append("\n\n").append(note);
        }
        out.append("\n\nSandbox: ").append(isolation.description()).append("; limits: ")
                .append(limits.testTimeout().toSeconds()).append(" s a test, ").append(limits.submissionTimeout().toSeconds())
                .append(" s in all, ").append(limits.heapMiB()).append(" MiB of heap.");
        return new GradeReport(name, kit.name(), verdict, score, max, (System.nanoTime() - start) / 1e9, out.toString(), tests);
    }

    @Override
    public void close() {
        delete(work);
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is not worth failing a grade for
        }
    }
}
