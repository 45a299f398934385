package dev.vwb.grading;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The grader's test exercise (fizzbuzz-cpu, in this module's test resources) and its sample submissions. */
final class Fixture {
    /** Short limits keep the suite quick: the fixture's tests take milliseconds. */
    static final Limits LIMITS = Limits.defaults().withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(60)).withHeap(256);

    private Fixture() {
    }

    static Path exerciseDir() {
        return resource("fixture/fizzbuzz-cpu");
    }

    static GradingKit kit() {
        return ExerciseFolder.kit(exerciseDir());
    }

    static Map<String, String> solution() {
        return ExerciseFolder.solution(exerciseDir());
    }

    /**
     * A sample submission's folder (samples/NAME), copied to {@code into} with @SOLUTION_PATH@
     * (the fixture's reference solution on disk) and @OUTSIDE_PATH@ ({@code into}/escaped.txt,
     * outside the submission's scratch folder) filled in.
     */
    static Path sample(String name, Path into) {
        Path from = resource("samples/" + name);
        Path to = into.resolve(name);
        try {
            Files.createDirectories(to);
            try (var files = Files.list(from)) {
                for (Path f : files.toList()) {
                    Files.writeString(to.resolve(f.getFileName()), Files.readString(f).replace("@SOLUTION_PATH@",
                            exerciseDir().resolve("solution/dev/vwb/student/FizzBuzz.java").toString())
                            .replace("@OUTSIDE_PATH@", escaped(into).toString()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return to;
    }

    /** Where the writes-outside sample tries to write. */
    static Path escaped(Path into) {
        return into.toAbsolutePath().resolve("escaped.txt");
    }

    private static Path resource(String name) {
        try {
            return Path.of(Fixture.class.getClassLoader().getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
