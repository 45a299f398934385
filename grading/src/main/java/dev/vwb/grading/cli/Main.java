package dev.vwb.grading.cli;

import dev.vwb.grading.AutograderPackage;
import dev.vwb.grading.Batch;
import dev.vwb.grading.BatchSummary;
import dev.vwb.grading.GradeReport;
import dev.vwb.grading.Grader;
import dev.vwb.grading.GradingKit;
import dev.vwb.grading.Limits;
import dev.vwb.grading.Progress;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code vwb grade}: grade one submission, a folder of them, or package an exercise for
 * Gradescope. Bad input is a one-line message and status 2; a graded submission is status 0
 * whatever its score.
 */
public final class Main {
    static final String USAGE = """
            usage:
              vwb grade --exercise NAME SUBMISSION --out DIR        grade a folder of Java sources or a jar
              vwb grade --exercise NAME --solution --out DIR        grade the reference solution
              vwb grade --exercise NAME --all DIR [--parallel N] --out DIR2
                                                                    grade every submission folder in DIR: DIR2/gradebook.csv,
                                                                    DIR2/results/NAME/{results.json,junit.xml,report.md}
              vwb grade package --exercise NAME --gradescope OUT.zip
                                                                    a Gradescope autograder (setup.sh, run_autograder)
              vwb grade list                                        the exercises
            options:
              --exercise-dir DIR   an exercise folder (exercise.properties, files.list, ...) instead of --exercise NAME
              --test-timeout S     wall time per test (default 10)
              --time-limit S       wall time per submission, all tests (default 120)
              --heap MIB           the test JVM's heap (default 512)
              --no-bwrap           do not use bubblewrap even where it works
              --quiet              write the results without printing the report
            """;

    private Main() {
    }

    public static void main(String[] args) {
        int status;
        try {
            status = run(args, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("vwb grade: " + e.getMessage());
            status = 2;
        } catch (IllegalStateException | UncheckedIOException e) {
            System.err.println("vwb grade: " + e.getMessage());
            status = 1;
        }
        System.out.flush();
        System.exit(status);
    }

    static int run(String[] args, PrintStream out) {
        Options o = Options.parse(args);
        if (o.help) {
            out.print(USAGE);
            return 0;
        }
        if (o.command.equals("list")) {
            ExerciseSource.names().forEach(out::println);
            return 0;
        }
        ExerciseSource source = o.source();
        GradingKit kit = source.kit();
        if (o.command.equals("package")) {
            Path zip = o.required(o.gradescope, "--gradescope OUT.zip");
            try {
                AutograderPackage.write(kit, zip, o.limitOptions);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot write " + zip + ": " + e.getMessage());
            }
            out.println("wrote " + zip + ": the Gradescope autograder of " + kit.name());
            return 0;
        }
        Path outDir = o.required(o.out, "--out DIR");
        try (Grader grader = Grader.of(kit, o.limits())) {
            if (o.all != null) {
                List<Path> submissions = Batch.submissions(o.all);
                BatchSummary summary = Batch.run(grader, submissions, outDir, o.parallel,
                        o.quiet ? Progress.NONE : Progress.to(out, System.console() != null));
                out.println(summary);
                out.println("gradebook: " + outDir.resolve("gradebook.csv"));
                return 0;
            }
            GradeReport report;
            if (o.solution) {
                report = grader.grade("solution", source.solution());
            } else {
                Path submission = o.required(o.submission, "SUBMISSION (a folder or a jar), --solution or --all DIR");
                if (!Files.exists(submission)) {
                    throw new IllegalArgumentException("no such submission: " + submission);
                }
                report = grader.grade(submission.getFileName().toString(), submission);
            }
            report.writeTo(outDir);
            if (!o.quiet) {
                out.println(report.output());
                out.printf(Locale.ROOT, "score %s / %s; results in %s%n", fmt(report.score()), fmt(report.maxScore()), outDir);
            }
            return 0;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write the results: " + e.getMessage());
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    /** The command line, parsed. */
    static final class Options {
        String command = "grade";
        String exercise;
        Path exerciseDir;
        Path submission;
        Path out;
        Path all;
        Path gradescope;
        boolean solution;
        boolean help;
        boolean quiet;
        boolean bubblewrap = true;
        int parallel = Math.max(1, Runtime.getRuntime().availableProcessors());
        Integer testTimeout;
        Integer timeLimit;
        Integer heap;
        /** The limit options as given, for a package's run_autograder. */
        final List<String> limitOptions = new ArrayList<>();

        static Options parse(String[] args) {
            Options o = new Options();
            if (args.length == 0) {
                o.help = true;
            }
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--help", "-h", "help" -> o.help = true;
                    case "package", "list" -> {
                        if (i != 0) {
                            throw new IllegalArgumentException("'" + a + "' is a command: put it first (see --help)");
                        }
                        o.command = a;
                    }
                    case "--exercise" -> o.exercise = value(args, ++i, a);
                    case "--exercise-dir" -> o.exerciseDir = Path.of(value(args, ++i, a));
                    case "--out" -> o.out = Path.of(value(args, ++i, a));
                    case "--all" -> o.all = Path.of(value(args, ++i, a));
                    case "--gradescope" -> o.gradescope = Path.of(value(args, ++i, a));
                    case "--parallel" -> o.parallel = number(args, ++i, a);
                    case "--solution" -> o.solution = true;
                    case "--quiet" -> o.quiet = true;
                    case "--no-bwrap" -> {
                        o.bubblewrap = false;
                        o.limitOptions.add(a);
                    }
                    case "--test-timeout" -> o.testTimeout = limit(o, args, ++i, a);
                    case "--time-limit" -> o.timeLimit = limit(o, args, ++i, a);
                    case "--heap" -> o.heap = limit(o, args, ++i, a);
                    default -> {
                        if (a.startsWith("-")) {
                            throw new IllegalArgumentException("unknown option " + a + " (see --help)");
                        }
                        if (o.submission != null) {
                            throw new IllegalArgumentException("one submission at a time; for a folder of them use --all DIR");
                        }
                        o.submission = Path.of(a);
                    }
                }
            }
            return o;
        }

        ExerciseSource source() {
            if ((exercise == null) == (exerciseDir == null)) {
                throw new IllegalArgumentException("say which exercise: --exercise NAME or --exercise-dir DIR (see --help)");
            }
            return exercise != null ? ExerciseSource.named(exercise) : ExerciseSource.folder(exerciseDir);
        }

        Limits limits() {
            Limits d = Limits.defaults();
            return d.withTimeouts(Duration.ofSeconds(testTimeout == null ? d.testTimeout().toSeconds() : testTimeout),
                            Duration.ofSeconds(timeLimit == null ? d.submissionTimeout().toSeconds() : timeLimit))
                    .withHeap(heap == null ? d.heapMiB() : heap).withBubblewrap(bubblewrap);
        }

        <T> T required(T value, String what) {
            if (value == null) {
                throw new IllegalArgumentException("missing " + what + " (see --help)");
            }
            return value;
        }

        private static int limit(Options o, String[] args, int i, String name) {
            int n = number(args, i, name);
            o.limitOptions.add(name);
            o.limitOptions.add(String.valueOf(n));
            return n;
        }

        private static String value(String[] args, int i, String name) {
            if (i >= args.length) {
                throw new IllegalArgumentException(name + " needs a value (see --help)");
            }
            return args[i];
        }

        private static int number(String[] args, int i, String name) {
            String v = value(args, i, name);
            try {
                int n = Integer.parseInt(v);
                if (n < 1) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " takes a positive whole number, not '" + v + "'");
            }
        }
    }
}
