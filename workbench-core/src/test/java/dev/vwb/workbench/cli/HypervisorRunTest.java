package dev.vwb.workbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vwb.workbench.guests.KernelGuests;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./vwb run --hv[=MODE] KERNEL}, {@code --stats-json FILE} and {@code bench-hv}, as a user types them. */
class HypervisorRunTest {
    @TempDir
    Path dir;

    private Path kernel(String name) throws Exception {
        Path p = dir.resolve(name + ".bin");
        Files.write(p, KernelGuests.image(name));
        return p;
    }

    private static String run(int expectedStatus, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(expectedStatus, Main.dispatch(args, new PrintStream(out, true, StandardCharsets.UTF_8)));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void runUnderTheHypervisorPrintsWhatTheBareRunPrints() throws Exception {
        Path k = kernel("teachkernel");
        String bare = run(1, "run", k.toString());
        assertEquals(bare, run(1, "run", "--hv", k.toString()));
        assertEquals(bare, run(1, "run", "--hv=trap", k.toString()));
    }

    @Test
    void statsJsonHasTheExitsByReason() throws Exception {
        Path json = dir.resolve("stats.json");
        run(1, "run", "--hv=patch", "--stats-json", json.toString(), kernel("teachkernel").toString());
        JsonNode n = new ObjectMapper().readTree(json.toFile());
        assertEquals("patch", n.get("mode").asText());
        assertTrue(n.get("exits").asLong() > 100, n.toString());
        JsonNode io = n.get("byReason").get("port_io");
        assertTrue(io.get("count").asLong() > 0, n.toString());
        assertTrue(io.get("meanNanos").asLong() > 0, n.toString());
        long sum = 0;
        for (JsonNode r : n.get("byReason")) {
            sum += r.get("count").asLong();
        }
        assertEquals(n.get("exits").asLong(), sum);
    }

    @Test
    void badModesAndMisplacedOptionsAreOneLineErrors() throws Exception {
        Path k = kernel("popf");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(0, "run", "--hv=fast", k.toString()));
        assertEquals("no hypervisor mode 'fast': use trap, patch or paravirt", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> run(0, "run", "--stats-json", "x.json", k.toString()));
        assertTrue(e.getMessage().contains("give --hv too"), e.getMessage());
    }

    @Test
    void aRealModeImageUnderTheHypervisorIsAOneLineError() throws Exception {
        Path rom = dir.resolve("demo.bin");
        Files.write(rom, dev.vwb.machine.guests.BundledGuests.load("demo"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run(0, "run", "--hv", "--rom", rom.toString()));
        assertTrue(e.getMessage().startsWith("run: --hv: the hypervisor runs guests that start in 32-bit protected mode"),
                e.getMessage());
    }

    @Test
    void benchHvReportsTheOverheadAndTheExitCosts() throws Exception {
        String out = run(0, "bench-hv", "--rounds", "1", "--repeat", "1", "--iterations", "5", "--exits", "100");
        String[] lines = out.split("\n");
        assertEquals(12, lines.length, out);
        assertTrue(lines[0].matches("compute bare [0-9.]+ MIPS"), out);
        assertTrue(lines[1].matches("compute hv [0-9.]+ MIPS \\([0-9.]+% of bare\\)"), out);
        assertTrue(lines[2].matches("exit privileged instruction \\(CLI/STI\\) -?[0-9.]+ us wall, [0-9.]+ us in the hypervisor"), out);
        assertTrue(lines[3].matches("exit port I/O \\(OUT 80h\\) -?[0-9.]+ us wall, [0-9.]+ us in the hypervisor"), out);
        assertTrue(lines[7].matches("teachkernel paravirt [0-9.]+ ms \\([0-9.]+x bare, [0-9]+ exits\\)"), out);
        assertTrue(lines[8].matches("shadow cache 1: teachkernel [0-9.]+ ms \\([0-9.]+x bare\\), [0-9]+ shadows built, [1-9][0-9]* evicted, [1-9][0-9]* hidden faults,"
                + " CR3 load [0-9.]+ us, hidden fault [0-9.]+ us, page-table write [0-9.]+ us"), out);
    }
}
