package dev.vwb.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel through a real Jupyter client: jupyter_client (Debian's, in /usr/bin/python3) starts
 * it from its kernelspec and sends the protocol's requests (kernel_protocol.py, one kernel for
 * every check, in this order).
 */
class KernelProtocolTest {
    private static final List<String> CHECKS = List.of("execute", "streams", "magic", "error", "is_complete", "complete", "inspect", "interrupt");
    private static final Map<String, JsonNode> seen = new HashMap<>();

    @BeforeAll
    static void runTheClient(@TempDir Path dir) throws Exception {
        JupyterClient.assumeModules("jupyter_client");
        Path kernels = JupyterClient.installKernel(dir.resolve("jupyter"));
        String out = JupyterClient.run("kernel_protocol.py", kernels, dir, CHECKS, 300);
        ObjectMapper json = new ObjectMapper();
        for (String line : out.split("\n")) {
            if (line.startsWith("{")) {
                JsonNode n = json.readTree(line);
                seen.put(n.get("check").asText(), n);
            }
        }
    }

    private static JsonNode check(String name) {
        JsonNode n = seen.get(name);
        assertTrue(n != null, "the client reported nothing for " + name + ": " + seen.keySet());
        return n;
    }

    private static JsonNode output(JsonNode execution, String type) {
        for (JsonNode o : execution.get("outputs")) {
            if (o.get("type").asText().equals(type)) {
                return o.get("content");
            }
        }
        throw new AssertionError("no " + type + " output in " + execution);
    }

    private static String streamText(JsonNode execution) {
        StringBuilder b = new StringBuilder();
        execution.get("outputs").forEach(o -> {
            if (o.get("type").asText().equals("stream")) {
                b.append(o.get("content").get("text").asText());
            }
        });
        return b.toString();
    }

    @Test
    void aCellThatStepsTheVm_printsTheStep_andShowsTheRegistersAsTextAndHtml() {
        JsonNode ex = check("execute");
        assertEquals("ok", ex.get("status").asText());
        assertTrue(streamText(ex).contains("COMPLETED after 3 instructions"), streamText(ex));
        JsonNode data = output(ex, "execute_result").get("data");
        assertTrue(data.get("text/plain").asText().contains("EIP="), data.toString());
        String html = data.get("text/html").asText();
        assertTrue(html.contains("<table class=\"vwb-registers\">") && html.contains("class=\"changed\""), html);
    }

    @Test
    void snippetsOutputGoesToTheStdoutAndStderrStreams_andDisplayShowsRichly() {
        JsonNode ex = check("streams");
        assertEquals("ok", ex.get("status").asText());
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        ex.get("outputs").forEach(o -> {
            if (o.get("type").asText().equals("stream")) {
                (o.get("content").get("name").asText().equals("stderr") ? err : out).append(o.get("content").get("text").asText());
            }
        });
        assertEquals("to stdout\n", out.toString());
        assertEquals("to stderr\n", err.toString());
        assertTrue(output(ex, "display_data").get("data").get("text/html").asText().contains("vwb-where"), ex.toString());
    }

    @Test
    void lineMagics_runTheReplsCommands_andShowTheirViewsAsHtmlWithATextFallback() {
        JsonNode ex = check("magic");
        assertEquals("ok", ex.get("status").asText());
        List<JsonNode> views = new java.util.ArrayList<>();
        ex.get("outputs").forEach(o -> {
            if (o.get("type").asText().equals("display_data")) {
                views.add(o.get("content").get("data"));
            }
        });
        assertEquals(3, views.size(), ex.toString());
        assertTrue(views.get(0).get("text/html").asText().contains("vwb-walk"), "%pt: the three-way diagram");
        assertTrue(views.get(0).get("text/plain").asText().contains("guest walk"), "%pt: its text too");
        assertTrue(views.get(1).get("text/html").asText().contains("<tr class=\"changed\""), "%regs: the changed values marked");
        assertTrue(views.get(2).get("text/html").asText().contains("vwb-exit-chart"), "%exits: the table and its chart");
        assertTrue(streamText(ex).contains("COMPLETED after 2 instructions") && streamText(ex).contains("the last"), streamText(ex));
    }

    @Test
    void aCompileError_isAnErrorReply_withThePlaceMarked() {
        JsonNode ex = check("error");
        assertEquals("error", ex.get("status").asText());
        String value = output(ex, "error").get("evalue").asText();
        assertTrue(value.contains("incompatible types") && value.contains("^"), value);
    }

    @Test
    void isComplete_followsJShellsAnalysis() {
        JsonNode n = check("is_complete");
        assertEquals("incomplete", n.get("incomplete").asText());
        assertEquals("complete", n.get("complete").asText());
    }

    @Test
    void complete_offersTheVmsMethods() {
        JsonNode n = check("complete");
        assertTrue(n.get("matches").toString().contains("step("), n.toString());
        assertEquals(3, n.get("start").asInt());
        assertEquals(6, n.get("end").asInt());
    }

    @Test
    void inspect_givesTheSignaturesWithTheWorkbenchsJavadoc() {
        JsonNode n = check("inspect");
        assertTrue(n.get("found").asBoolean(), n.toString());
        assertTrue(n.get("text").asText().contains("RunReport Vm.step(long n)\nExecutes n instructions (fewer if the guest halts"),
                n.toString());
    }

    @Test
    void interrupt_stopsAGuestThatNeverHalts_andTheNextCellRuns() {
        JsonNode n = check("interrupt");
        assertTrue(List.of("ok", "error").contains(n.get("interrupted").asText()), n.toString());
        JsonNode after = n.get("after");
        assertEquals("ok", after.get("status").asText());
        assertEquals("2", output(after, "execute_result").get("data").get("text/plain").asText());
    }
}
