package dev.vwb.grading.cli;

import dev.vwb.grading.Batch;
import dev.vwb.grading.BatchSummary;
import dev.vwb.grading.GradeReport;
import dev.vwb.grading.Grader;
import dev.vwb.grading.Limits;
import dev.vwb.grading.Progress;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code vwb bench-grade [--exercise NAME | --exercise-dir DIR] [--submissions N] [--parallel P]}:
 * the grader's speed. Times one submission from a cold grader (compiling and discovering the
 * hidden tests included) and one more from a warm one, then a batch of N (default 50) at P at
 * once (default: the processors): the reference solution, every fifth an empty submission.
 * Targets: one submission under 20 s; the batch's wall time is reported.
 */
public final class BenchGrade {
    private BenchGrade() {
    }

    public static void main(String[] args) throws IOException {
        try {
            System.exit(run(args, System.out));
        } catch (IllegalArgumentException e) {
            System.err.println("vwb bench-grade: " + e.getMessage());
            System.exit(2);
        }
    }

    static int run(String[] args, PrintStream out) throws IOException {
        String exercise = null;
        Path dir = null;
        int n = 50;
        int parallel = Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--exercise" -> exercise = args[++i];
                case "--exercise-dir" -> dir = Path.of(args[++i]);
                case "--submissions" -> n = Integer.parseInt(args[++i]);
                case "--parallel" -> parallel = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("usage: vwb bench-grade [--exercise NAME | --exercise-dir DIR]"
                        + " [--submissions N] [--parallel P]");
            }
        }
        if (exercise == null && dir == null) {
            exercise = ExerciseSource.names().stream().findFirst().orElseThrow(() -> new IllegalArgumentException(
                    "no bundled exercises yet: give --exercise-dir DIR (scripts/bench-grade uses the grader's test fixture)"));
        }
        ExerciseSource source = dir != null ? ExerciseSource.folder(dir) : ExerciseSource.named(exercise);
        Map<String, String> solution = source.solution();
        Path work = Files.createTempDirectory("vwb-bench-grade-");
        try (Grader grader = Grader.of(source.kit(), Limits.defaults())) {
            out.println("exercise " + grader.kit().name() + "; sandbox: " + grader.isolation());
            long t0 = System.nanoTime();
            GradeReport cold = grader.grade("solution", solution);
            double coldSeconds = (System.nanoTime() - t0) / 1e9;
            GradeReport warm = grader.grade("solution", solution);
            out.printf(Locale.ROOT, "one submission, cold grader (hidden tests compiled and discovered first): %.1f s (score %s/%s)%n",
                    coldSeconds, cold.score(), cold.maxScore());
            out.printf(Locale.ROOT, "one submission, warm grader: %.1f s (target: under 20 s)%n", warm.seconds());
            Path all = Files.createDirectories(work.resolve("submissions"));
            for (int i = 1; i <= n; i++) {
                Path s = Files.createDirectories(all.resolve(String.format(Locale.ROOT, "student%03d", i)));
                if (i % 5 != 0) {
                    for (Map.Entry<String, String> f : solution.entrySet()) {
                        Files.writeString(s.resolve(Path.of(f.getKey()).getFileName().toString()), f.getValue());
                    }
                }
            }
            BatchSummary summary = Batch.run(grader, Batch.submissions(all), work.resolve("out"), parallel,
                    Progress.to(out, System.console() != null));
            out.println(summary);
            out.printf(Locale.ROOT, "batch of %d, %d at once on %d processors: %.1f s wall, %.2f s a submission%n", n, parallel,
                    Runtime.getRuntime().availableProcessors(), summary.seconds(), summary.seconds() / n);
        } finally {
            try (Stream<Path> walk = Files.walk(work)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }
}
