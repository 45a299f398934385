package dev.vwb.grading;

import dev.vwb.grading.GradeReport.Verdict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Grades every submission in a folder — each sub-folder, jar or zip is one, named by its file
 * name — with a bounded pool: each in its own work folder and test JVM, so a crashed or hostile
 * submission costs only its own grade. Writes {@code OUT/results/NAME/} (results.json, junit.xml,
 * report.md) for each and {@code OUT/gradebook.csv}.
 */
public final class Batch {
    private Batch() {
    }

    /** The submissions in {@code folder}, by name. */
    public static List<Path> submissions(Path folder) {
        try (Stream<Path> list = Files.list(folder)) {
            return list.filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> Files.isDirectory(p) || p.toString().endsWith(".jar") || p.toString().endsWith(".zip"))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot list the submissions in " + folder + ": " + e.getMessage());
        }
    }

    /** Grades each of {@code submissions} with {@code parallel} at once, reporting to {@code progress}; the reports in the submissions' order. */
    public static BatchSummary run(Grader grader, List<Path> submissions, Path out, int parallel, Progress progress) {
        long start = System.nanoTime();
        grader.prepare();
        progress.begin(submissions.size());
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, parallel));
        List<Future<GradeReport>> futures = new ArrayList<>();
        try {
            for (Path s : submissions) {
                futures.add(pool.submit(() -> {
                    GradeReport r = gradeOne(grader, s);
                    r.writeTo(out.resolve("results").resolve(r.submission()));
                    progress.graded(r);
                    return r;
                }));
            }
            List<GradeReport> reports = new ArrayList<>();
            for (Future<GradeReport> f : futures) {
                reports.add(f.get());
            }
            Gradebook.write(reports, out.resolve("gradebook.csv"));
            BatchSummary summary = new BatchSummary(reports, (System.nanoTime() - start) / 1e9, parallel);
            progress.end();
            return summary;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the batch was interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("writing a submission's results failed: " + e.getCause().getMessage(), e.getCause());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** One submission; whatever goes wrong with it stays its own (an ERROR verdict). */
    private static GradeReport gradeOne(Grader grader, Path submission) {
        String name = submission.getFileName().toString().replaceAll("\\.(jar|zip)$", "");
        try {
            return grader.grade(name, submission);
        } catch (RuntimeException e) {
            return new GradeReport(name, grader.kit().name(), Verdict.ERROR, 0, grader.maxScore(), 0,
                    "The grader failed on this submission: " + e, List.of());
        }
    }
}
