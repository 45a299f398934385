package dev.vwb.workbench.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vwb.machine.Machine;
import dev.vwb.machine.RunResult;
import dev.vwb.machine.cli.RunCommand;
import dev.vwb.workbench.hv.ExitLog;
import dev.vwb.workbench.hv.Hypervisor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/** The options {@code vwb run} gains from the hypervisor: {@code --hv[=MODE]} and {@code --stats-json FILE}. */
final class HypervisorRunOptions implements RunCommand.Extension {
    private Hypervisor.Mode mode;
    private Path statsJson;
    private Hypervisor hypervisor;

    @Override
    public String optionsUsage() {
        return """
                  --hv[=MODE]           run the kernel deprivileged under vwb's hypervisor (ring 1,
                                        trap-and-emulate); MODE: patch (default: sensitive
                                        instructions patched into traps), trap (pure trap-and-
                                        emulate: POPF, PUSHF, SGDT... misbehave as on 1990s x86),
                                        paravirt (trap, plus the VMCALL hypercall ABI)
                  --stats-json FILE     with --hv, write the VM exits by reason (count, mean and
                                        total host nanoseconds) as JSON
                """;
    }

    @Override
    public String statusUsage() {
        return "";
    }

    @Override
    public int option(String[] args, int i) {
        String a = args[i];
        if (a.equals("--hv")) {
            mode = Hypervisor.Mode.PATCH;
            return 1;
        }
        if (a.startsWith("--hv=")) {
            mode = Hypervisor.Mode.parse(a.substring(5));
            return 1;
        }
        if (a.equals("--stats-json")) {
            if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                throw new IllegalArgumentException("run: --stats-json needs a file name; try ./vwb run --help");
            }
            statsJson = Path.of(args[i + 1]);
            return 2;
        }
        return 0;
    }

    @Override
    public Machine replaceMachine(Machine loaded) {
        if (mode == null) {
            if (statsJson != null) {
                throw new IllegalArgumentException("run: --stats-json reports the hypervisor's exits; give --hv too");
            }
            return loaded;
        }
        try {
            hypervisor = Hypervisor.boot(loaded, mode);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("run: --hv: " + e.getMessage());
        }
        return hypervisor.machine();
    }

    @Override
    public void beforeRun(Machine machine, byte[] file) {
    }

    @Override
    public int afterRun(Machine machine, RunResult result, PrintStream out) throws IOException {
        if (hypervisor == null) {
            return -1;
        }
        String crash = hypervisor.afterRun(result);
        if (!crash.isEmpty()) {
            out.flush();
            System.err.println("vwb run: " + crash);
        }
        if (statsJson != null) {
            writeJson(result);
        }
        return -1;
    }

    @Override
    public void printStats(Machine machine, PrintStream err) {
        if (hypervisor == null) {
            return;
        }
        err.println("vwb run: hypervisor (" + hypervisor.mode().label() + " mode) exits:");
        for (String line : hypervisor.exits().table().split("\n")) {
            err.println("vwb run:   " + line);
        }
        err.println("vwb run: shadow paging: " + hypervisor.shadowStats());
    }

    private void writeJson(RunResult result) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("mode", hypervisor.mode().label());
        root.put("instructions", result.instructions());
        root.put("stopped", result.reason().name().toLowerCase(Locale.ROOT));
        ExitLog log = hypervisor.exits();
        ObjectNode shadow = root.putObject("shadowPaging");
        shadow.put("hiddenFaults", hypervisor.shadowStats().hiddenFaults());
        shadow.put("trueFaults", hypervisor.shadowStats().trueFaults());
        shadow.put("pageTableWrites", hypervisor.shadowStats().tableWrites());
        shadow.put("shadowsBuilt", hypervisor.shadowStats().builds());
        shadow.put("cacheHits", hypervisor.shadowStats().cacheHits());
        shadow.put("evictions", hypervisor.shadowStats().evictions());
        root.put("exits", log.total());
        ObjectNode reasons = root.putObject("byReason");
        log.stats().forEach((reason, s) -> {
            ObjectNode n = reasons.putObject(reason.name().toLowerCase(Locale.ROOT));
            n.put("label", reason.label());
            n.put("count", s.count());
            n.put("meanNanos", Math.round(s.meanNanos()));
            n.put("totalNanos", s.totalNanos());
        });
        json.writeValue(statsJson.toFile(), root);
    }
}
