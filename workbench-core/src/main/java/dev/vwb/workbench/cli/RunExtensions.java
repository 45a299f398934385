package dev.vwb.workbench.cli;

import dev.vwb.machine.Machine;
import dev.vwb.machine.RunResult;
import dev.vwb.machine.cli.RunCommand;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.stream.Collectors;

/** Several {@link RunCommand.Extension}s as one, in order: the first that takes an option has it; the first exit status wins. */
final class RunExtensions implements RunCommand.Extension {
    private final List<RunCommand.Extension> parts;

    RunExtensions(RunCommand.Extension... parts) {
        this.parts = List.of(parts);
    }

    @Override
    public String optionsUsage() {
        return parts.stream().map(RunCommand.Extension::optionsUsage).collect(Collectors.joining());
    }

    @Override
    public String statusUsage() {
        return parts.stream().map(RunCommand.Extension::statusUsage).filter(s -> !s.isEmpty()).collect(Collectors.joining(", "));
    }

    @Override
    public int option(String[] args, int i) {
        for (RunCommand.Extension p : parts) {
            int used = p.option(args, i);
            if (used > 0) {
                return used;
            }
        }
        return 0;
    }

    @Override
    public Machine replaceMachine(Machine loaded) {
        Machine m = loaded;
        for (RunCommand.Extension p : parts) {
            m = p.replaceMachine(m);
        }
        return m;
    }

    @Override
    public void beforeRun(Machine machine, byte[] file) throws IOException {
        for (RunCommand.Extension p : parts) {
            p.beforeRun(machine, file);
        }
    }

    @Override
    public int afterRun(Machine machine, RunResult result, PrintStream out) throws IOException {
        int status = -1;
        for (RunCommand.Extension p : parts) {
            int s = p.afterRun(machine, result, out);
            if (status < 0) {
                status = s;
            }
        }
        return status;
    }

    @Override
    public void printStats(Machine machine, PrintStream err) {
        for (RunCommand.Extension p : parts) {
            p.printStats(machine, err);
        }
    }
}
