package dev.vwb.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Gradescope autograder bundle, run in a simulated /autograder layout on the reference solution. */
class AutograderPackageTest {
    @TempDir
    Path tmp;

    @Test
    void theBundle_gradesTheReferenceSolutionToFullMarks_inAnAutograderLayout_andHoldsNoSolution() throws Exception {
        Path zip = tmp.resolve("autograder.zip");
        AutograderPackage.write(Fixture.kit(), zip, List.of("--test-timeout", "5"));
        Path root = tmp.resolve("autograder");
        List<String> names = unzip(zip, root.resolve("source"));
        assertTrue(names.containsAll(List.of("setup.sh", "run_autograder", "exercise/exercise.properties")), names.toString());
        assertFalse(names.stream().anyMatch(n -> n.contains("solution") || n.contains("exercises-")), names.toString());
        assertEquals(0, bash(root, "-n", root.resolve("source/setup.sh").toString()), "setup.sh is valid bash");

        Path submission = Files.createDirectories(root.resolve("submission"));
        Fixture.solution().forEach((path, text) -> write(submission.resolve(Path.of(path).getFileName()), text));
        // Gradescope copies run_autograder to /autograder; setup.sh's apt-get is skipped (this JDK is the one it would install).
        Files.copy(root.resolve("source/run_autograder"), root.resolve("run_autograder"));
        assertEquals(0, bash(root, root.resolve("run_autograder").toString()));

        JsonNode results = new ObjectMapper().readTree(root.resolve("results/results.json").toFile());
        assertEquals(10.0, results.get("score").asDouble(), results.toPrettyString());
        assertEquals(10.0, results.get("max_score").asDouble());
        assertTrue(results.get("execution_time").isIntegralNumber());
        assertEquals("hidden", results.get("stdout_visibility").asText());
        assertTrue(results.get("output").asText().contains("10 of 10 points"));
        assertEquals(5, results.get("tests").size());
        for (JsonNode t : results.get("tests")) {
            for (String field : List.of("name", "number", "score", "max_score", "status", "output", "visibility")) {
                assertTrue(t.has(field), field + " in " + t);
            }
            assertEquals("passed", t.get("status").asText());
        }
    }

    private static int bash(Path root, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().put("AUTOGRADER_ROOT", root.toString());
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "run_autograder finished in time");
        return p.exitValue();
    }

    private static List<String> unzip(Path zip, Path into) throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            for (ZipEntry e : z.stream().toList()) {
                names.add(e.getName());
                Path target = into.resolve(e.getName());
                Files.createDirectories(target.getParent());
                try (InputStream in = z.getInputStream(e)) {
                    Files.copy(in, target);
                }
            }
        }
        return names;
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
