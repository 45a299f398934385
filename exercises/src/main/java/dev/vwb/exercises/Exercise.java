package dev.vwb.exercises;

import java.util.List;
import java.util.Map;

/**
 * One hypervisor extension a student writes: what it is, the guests it must run, and its four
 * sets of Java sources, each keyed by its path below a source root
 * ({@code dev/vwb/student/uart/StudentUart.java}).
 *
 * <p>The skeleton is what the student starts from (the extension point the reference hypervisor
 * itself uses, with TODOs); the solution holds the same files, done. Public tests go to the
 * student; hidden tests are only the grader's. A hidden test method carries its points as a JUnit
 * tag, {@code @Tag("points=3")}: a plain JUnit 5 test, so nothing but JUnit and the workbench's
 * jars has to be on the class path that grades it.
 *
 * @param name     the exercise's name on the command line ({@code privileged-instructions})
 * @param title    a one-line title
 * @param summary  a paragraph: what to build and why
 * @param lesson   the curriculum lesson it belongs to
 * @param guests   the bundled guests it must run
 * @param sources  the sources of each part
 */
public record Exercise(String name, String title, String summary, int lesson, List<String> guests,
                       Map<Part, Map<String, String>> sources) {

    /** The four sets of sources of an exercise, and the folder each has in the exercise's resources. */
    public enum Part {
        SKELETON("skeleton"), SOLUTION("solution"), PUBLIC_TESTS("public"), HIDDEN_TESTS("hidden");

        private final String folder;

        Part(String folder) {
            this.folder = folder;
        }

        /** The part's folder below the exercise's resource folder. */
        public String folder() {
            return folder;
        }
    }

    public Exercise {
        guests = List.copyOf(guests);
        sources = Map.copyOf(sources);
    }

    /** The sources of one part, by path below the source root; empty if the part has none. */
    public Map<String, String> sources(Part part) {
        return sources.getOrDefault(part, Map.of());
    }
}
