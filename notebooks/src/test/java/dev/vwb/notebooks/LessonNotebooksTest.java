package dev.vwb.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every lesson under notebooks/ executed by a real Jupyter client (nbclient) against the kernel:
 * no cell may fail; the lessons are kept with their outputs cleared.
 */
class LessonNotebooksTest {
    private static List<Path> lessons() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("."))) {
            return s.filter(p -> p.toString().endsWith(".ipynb")).sorted().map(Path::toAbsolutePath).toList();
        }
    }

    @Test
    void theLessonsAreKeptWithTheirOutputsCleared() throws IOException {
        ObjectMapper json = new ObjectMapper();
        for (Path lesson : lessons()) {
            for (JsonNode cell : json.readTree(lesson.toFile()).get("cells")) {
                if (cell.get("cell_type").asText().equals("code")) {
                    assertTrue(cell.get("outputs").isEmpty(), lesson.getFileName() + ": a cell kept its outputs: " + cell.get("source"));
                    assertTrue(cell.get("execution_count").isNull(), lesson.getFileName() + ": a cell kept its execution count");
                }
            }
        }
    }

    @Test
    void everyLessonRunsThroughNbclient_withoutAnError(@TempDir Path dir) throws Exception {
        JupyterClient.assumeModules("nbclient", "nbformat");
        List<Path> lessons = lessons();
        assertFalse(lessons.isEmpty(), "no lessons under notebooks/");
        Path kernels = JupyterClient.installKernel(dir.resolve("jupyter"));
        String out = JupyterClient.run("run_notebooks.py", kernels, dir, lessons.stream().map(Path::toString).toList(), 600);
        ObjectMapper json = new ObjectMapper();
        int reported = 0;
        for (String line : out.split("\n")) {
            if (line.startsWith("{")) {
                JsonNode n = json.readTree(line);
                reported++;
                assertEquals(0, n.get("errors").size(), n.get("notebook").asText() + ": " + n.get("errors"));
                assertTrue(n.get("html").asInt() > 0, n.get("notebook").asText() + " showed nothing as HTML");
            }
        }
        assertEquals(lessons.size(), reported, out);
    }
}
