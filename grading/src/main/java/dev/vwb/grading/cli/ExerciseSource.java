package dev.vwb.grading.cli;

import dev.vwb.exercises.Exercise;
import dev.vwb.exercises.Exercises;
import dev.vwb.grading.ExerciseFolder;
import dev.vwb.grading.GradingKit;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where the exercise comes from: the exercises module by name, or a folder in its layout. Only
 * this class touches the exercises module, so a packaged autograder (which has a folder and not
 * the module, solutions and all) never loads it.
 */
final class ExerciseSource {
    private final String name;
    private final Path dir;

    private ExerciseSource(String name, Path dir) {
        this.name = name;
        this.dir = dir;
    }

    static ExerciseSource named(String name) {
        return new ExerciseSource(name, null);
    }

    static ExerciseSource folder(Path dir) {
        return new ExerciseSource(null, dir);
    }

    GradingKit kit() {
        if (dir != null) {
            return ExerciseFolder.kit(dir);
        }
        return GradingKit.of(Exercises.byName(name));
    }

    /** The reference solution's sources; a one-line error if there are none (a packaged kit has none). */
    Map<String, String> solution() {
        Map<String, String> s = dir != null ? ExerciseFolder.solution(dir) : Exercises.byName(name).sources(Exercise.Part.SOLUTION);
        if (s.isEmpty()) {
            throw new IllegalArgumentException("the exercise has no reference solution here");
        }
        return s;
    }

    /** The bundled exercises' names. */
    static List<String> names() {
        return Exercises.all().stream().map(Exercise::name).toList();
    }
}
