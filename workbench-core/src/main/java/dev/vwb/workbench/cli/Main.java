package dev.vwb.workbench.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code vwb} command line, one level above the machine's: {@code run} gains the tracing and
 * breakpoint options ({@link TracingRunOptions}), {@code bench-trace} measures tracing, {@code gdb}
 * serves a guest to gdb ({@link GdbCommand}), and
 * every other command goes to {@link dev.vwb.machine.cli.Main} unchanged.
 */
public final class Main {
    private Main() {
    }

    @FunctionalInterface
    interface Runner {
        int run(String[] args, PrintStream out) throws Exception;
    }

    private record Command(String summary, Runner runner) {
    }

    private static Map<String, Command> commands() {
        Map<String, Command> m = new LinkedHashMap<>();
        m.put("run", new Command("(with --hv[=trap|patch|paravirt] to run a kernel under the hypervisor, --stats-json FILE, --trace FILE.jsonl, --trace-chrome FILE.json, --break ADDR|SYMBOL)",
                (args, out) -> dev.vwb.machine.cli.RunCommand.run(args, out, new RunExtensions(new HypervisorRunOptions(), new TracingRunOptions()))));
        m.put("bench-trace", new Command("guest MIPS bare, with a detached tracer, and tracing every instruction into a ring buffer",
                TraceBench::run));
        m.put("gdb", new Command("serve a guest to gdb over the remote protocol (target remote :1234), as qemu -s -S; --hv[=MODE] under the hypervisor",
                GdbCommand::run));
        m.put("bench-hv", new Command("the hypervisor's cost: the teaching kernel bare and virtualized, and the cost of an exit",
                HypervisorBench::run));
        return m;
    }

    public static void main(String[] args) {
        dev.vwb.machine.cli.Main.exitWith(Main::dispatch, args);
    }

    public static int dispatch(String[] args, PrintStream out) throws Exception {
        Map<String, Command> commands = commands();
        if (args.length > 0 && commands.containsKey(args[0])) {
            return commands.get(args[0]).runner().run(Arrays.copyOfRange(args, 1, args.length), out);
        }
        int status = dev.vwb.machine.cli.Main.dispatch(args, out);
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help"))) {
            out.println();
            out.println("with tracing:");
            commands.forEach((name, c) -> out.printf("  %-11s %s%n", name, c.summary()));
        }
        return status;
    }
}
