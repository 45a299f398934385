package dev.vwb.grading;

import dev.vwb.exercises.Exercise;
import java.util.HashMap;
import java.util.Map;

/**
 * What grading an exercise needs and nothing more: the skeleton (which a submission overlays,
 * file by file) and the hidden tests. Never the reference solution, so a kit can be packaged for
 * Gradescope ({@link AutograderPackage}) and loaded where the exercises module is absent
 * ({@link ExerciseFolder}).
 *
 * @param name     the exercise's name
 * @param title    its one-line title
 * @param skeleton the skeleton's sources, by path below the source root
 * @param hidden   the hidden tests' sources, by path below the source root
 * @param support  sources the hidden tests may use but that are not run: the public tests, whose
 *                 fakes and helpers the hidden ones share (the exercise's own copies, never the
 *                 student's)
 */
public record GradingKit(String name, String title, Map<String, String> skeleton, Map<String, String> hidden,
                         Map<String, String> support) {
    public GradingKit {
        skeleton = Map.copyOf(skeleton);
        hidden = Map.copyOf(hidden);
        support = Map.copyOf(support);
        if (hidden.isEmpty()) {
            throw new IllegalArgumentException("exercise " + name + " has no hidden tests to grade with");
        }
    }

    /** A kit with no support sources. */
    public GradingKit(String name, String title, Map<String, String> skeleton, Map<String, String> hidden) {
        this(name, title, skeleton, hidden, Map.of());
    }

    /** The kit of a bundled exercise: its skeleton, hidden tests, and public tests as support. */
    public static GradingKit of(Exercise e) {
        return new GradingKit(e.name(), e.title(), e.sources(Exercise.Part.SKELETON), e.sources(Exercise.Part.HIDDEN_TESTS),
                e.sources(Exercise.Part.PUBLIC_TESTS));
    }

    /** The hidden tests and their support, compiled together. */
    Map<String, String> testSources() {
        Map<String, String> all = new HashMap<>(support);
        all.putAll(hidden);
        return all;
    }
}
