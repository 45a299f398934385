package dev.vwb.exercises;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The registry: the four exercises of the curriculum, each complete, its files.list matching its folder. */
class ExercisesTest {
    static List<String> exercises() {
        return ReferenceSolutionsTest.exercises();
    }

    @Test
    void theCurriculumsExercisesAreBundledInLessonOrder() {
        assertEquals(List.of("privileged-instructions", "virtual-uart", "shadow-pager", "isolation-policy"), exercises());
        assertEquals(List.of(2, 3, 7, 8), Exercises.all().stream().map(Exercise::lesson).toList());
    }

    @ParameterizedTest
    @MethodSource("exercises")
    void filesListNamesExactlyTheFilesOfTheFolder(String name) throws IOException, URISyntaxException {
        Path folder = Path.of(Exercises.class.getResource("/dev/vwb/exercises/" + name + "/").toURI());
        Set<String> onDisk;
        try (Stream<Path> files = Files.walk(folder)) {
            onDisk = files.filter(Files::isRegularFile).map(p -> folder.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> !p.equals("files.list") && !p.equals("exercise.properties")).collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> listed = Files.readAllLines(folder.resolve("files.list")).stream().map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(onDisk, listed);
    }

    @ParameterizedTest
    @MethodSource("exercises")
    void everyPartIsThere_andTheSolutionReplacesExactlyTheSkeletonsFiles(String name) {
        Exercise e = Exercises.byName(name);
        for (Exercise.Part part : Exercise.Part.values()) {
            assertFalse(e.sources(part).isEmpty(), name + " has no " + part.folder());
        }
        assertEquals(e.sources(Exercise.Part.SKELETON).keySet(), e.sources(Exercise.Part.SOLUTION).keySet());
        assertTrue(e.sources(Exercise.Part.SKELETON).values().stream().allMatch(s -> s.contains("TODO")), name + ": a skeleton without TODOs");
        assertFalse(e.sources(Exercise.Part.SOLUTION).values().stream().anyMatch(s -> s.contains("TODO")), name + ": a solution with TODOs");
        assertFalse(e.title().isBlank() || e.summary().isBlank() || e.guests().isEmpty(), name + ": exercise.properties is incomplete");
    }

    @ParameterizedTest
    @MethodSource("exercises")
    void everyGuestNamedIsBundled(String name) {
        List<String> bundled = dev.vwb.workbench.guests.KernelGuests.names();
        for (String guest : Exercises.byName(name).guests()) {
            assertTrue(bundled.contains(guest), name + ": no bundled guest " + guest);
        }
    }

    @Test
    void anUnknownNameIsAOneLineErrorListingTheNames() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Exercises.byName("nope"));
        assertEquals("no exercise named 'nope'; the exercises are: privileged-instructions, virtual-uart, shadow-pager, isolation-policy",
                e.getMessage());
    }
}
