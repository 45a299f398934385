package dev.vwb.grading;

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
 */
public record GradingKit(String name, String title, Map<String, String> skeleton, Map<String, String> hidden) {
    public GradingKit {
        skeleton = Map.copyOf(skeleton);
        hidden = Map.copyOf(hidden);
        if (hidden.isEmpty()) {
            throw new IllegalArgumentException("exercise " + name + " has no hidden tests to grade with");
        }
    }
}
