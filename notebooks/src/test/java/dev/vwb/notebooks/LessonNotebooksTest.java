package dev.vwb.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Every lesson under notebooks/ executed by a real Jupyter client (nbclient) against the kernel:
 * no cell may fail; the lessons are kept with their outputs cleared. Then the executed lessons are
 * looked at as a person sees them: rendered to HTML by nbconvert, opened in headless Chromium, and
 * each picture and table of an output judged on a screenshot. The executed notebooks, their HTML
 * and the screenshots stay in target/lessons/ to be looked at.
 */
class LessonNotebooksTest {
    private static final Path WORK = Path.of("target", "lessons").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** nbclient's report, once per test run (executing the lessons takes a while). */
    private static String executed;

    private static List<Path> lessons() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("."))) {
            return s.filter(p -> p.toString().endsWith(".ipynb")).sorted().map(Path::toAbsolutePath).toList();
        }
    }

    /** Executes every lesson once (nbclient), keeping the executed notebooks in target/lessons/executed. */
    private static synchronized String execute() throws Exception {
        if (executed == null) {
            JupyterClient.assumeModules("nbclient", "nbformat");
            List<Path> lessons = lessons();
            assertFalse(lessons.isEmpty(), "no lessons under notebooks/");
            deleteTree(WORK);
            Path saved = Files.createDirectories(WORK.resolve("executed"));
            Path kernels = JupyterClient.installKernel(WORK.resolve("jupyter"));
            executed = JupyterClient.run("run_notebooks.py", kernels, WORK, lessons.stream().map(Path::toString).toList(), 900,
                    "VWB_EXECUTED_DIR", saved.toString());
        }
        return executed;
    }

    @Test
    void theLessonsAreKeptWithTheirOutputsCleared() throws IOException {
        for (Path lesson : lessons()) {
            for (JsonNode cell : JSON.readTree(lesson.toFile()).get("cells")) {
                if (cell.get("cell_type").asText().equals("code")) {
                    assertTrue(cell.get("outputs").isEmpty(), lesson.getFileName() + ": a cell kept its outputs: " + cell.get("source"));
                    assertTrue(cell.get("execution_count").isNull(), lesson.getFileName() + ": a cell kept its execution count");
                }
            }
        }
    }

    @Test
    void everyLessonRunsThroughNbclient_withoutAnError() throws Exception {
        String out = execute();
        int reported = 0;
        for (String line : out.split("\n")) {
            if (line.startsWith("{")) {
                JsonNode n = JSON.readTree(line);
                reported++;
                assertEquals(0, n.get("errors").size(), n.get("notebook").asText() + ": " + n.get("errors"));
                assertTrue(n.get("html").asInt() > 0, n.get("notebook").asText() + " showed nothing as HTML");
            }
        }
        assertEquals(lessons().size(), reported, out);
    }

    private static final Pattern PROBE = Pattern.compile("<pre id=\"vwb-render\"[^>]*>([^<]*)</pre>");

    /**
     * Each SVG picture and table a lesson's outputs hold is drawn on the screenshot across its box
     * (not blank), the pictures in colour, none shown as raw markup; the registers' changed values
     * and the current instruction are marked in colour; and together the lessons show every kind
     * of rich view: a timeline, an exit bar chart, a page-walk diagram, the exit table, registers,
     * a hex dump and a disassembly.
     */
    @Test
    void theExecutedLessonsRenderTheirDiagramsAndTablesInChromium() throws Exception {
        execute();
        JupyterClient.assumeModules("nbconvert");
        Chromium chromium = Chromium.find(WORK);
        Path html = Files.createDirectories(WORK.resolve("html"));
        List<String> executedNotebooks;
        try (Stream<Path> s = Files.list(WORK.resolve("executed"))) {
            executedNotebooks = s.map(Path::toString).sorted().toList();
        }
        List<String> args = new ArrayList<>(List.of(html.toString()));
        args.addAll(executedNotebooks);
        String pages = JupyterClient.run("render_lessons.py", WORK.resolve("jupyter"), WORK, args, 300);
        Set<String> seen = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        for (String page : pages.strip().split("\n")) {
            Path file = Path.of(page);
            String name = file.getFileName().toString();
            Matcher m = PROBE.matcher(chromium.dumpDom(file, 1280, 1000));
            assertTrue(m.find(), name + ": the page's probe did not run (no vwb-render in the DOM)");
            JsonNode probe = JSON.readTree(m.group(1).replace("&quot;", "\"").replace("&amp;", "&"));
            assertEquals(0, probe.get("raw").asInt(), name + ": an output shows SVG or table markup as text");
            int height = Math.min(probe.get("height").asInt(), 16_000);
            Path png = html.resolve(name.replace(".html", ".png"));
            chromium.screenshot(file, 1280, height, png);
            BufferedImage shot = ImageIO.read(png.toFile());
            for (JsonNode v : probe.get("views")) {
                String kind = v.get("kind").asText();
                String cls = v.get("cls").asText();
                Screenshot.Box box = new Screenshot.Box(v.get("x").asInt(), v.get("y").asInt(), v.get("w").asInt(), v.get("h").asInt());
                if (box.y() + box.height() > height || box.width() < 8 || box.height() < 8) {
                    continue;
                }
                Screenshot.Ink ink = Screenshot.inkIn(shot, box);
                String what = name + ": " + kind + (cls.isEmpty() ? "" : "." + cls) + " at " + box;
                if (!ink.rendered()) {
                    problems.add(what + " is blank or not drawn across its box: " + ink);
                }
                if (kind.equals("svg") && !ink.coloured()) {
                    problems.add(what + " has no colour: " + ink);
                }
                if (v.get("changed").asInt() > 0 && !ink.coloured()) {
                    problems.add(what + " marks changed values or the current instruction, but not in colour: " + ink);
                }
                seen.add(kind + (cls.isEmpty() ? "" : "." + cls) + (v.get("changed").asInt() > 0 ? "+marked" : ""));
            }
        }
        assertEquals(List.of(), problems, "views that did not render (screenshots in " + html + ")");
        for (String expected : List.of("svg.vwb-timeline", "svg.vwb-exit-chart", "svg.vwb-walk", "table.vwb-exits",
                "table.vwb-registers+marked", "table.vwb-hexdump", "table.vwb-disassembly+marked")) {
            assertTrue(seen.contains(expected), "no lesson showed a rendered " + expected + "; seen: " + seen);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }
}
