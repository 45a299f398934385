package dev.vwb.machine.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code vwb} command line. The shell script {@code ./vwb} builds the project when needed
 * and hands its arguments here (except {@code test}, which the script runs through Maven).
 */
public final class Main {
    private Main() {
    }

    /** A subcommand: its one-line summary and how to run it. */
    private record Command(String summary, Runner runner) {
    }

    @FunctionalInterface
    private interface Runner {
        int run(String[] args, PrintStream out) throws Exception;
    }

    private static Map<String, Command> commands() {
        Map<String, Command> m = new LinkedHashMap<>();
        m.put("demo", new Command("run the bundled demo guest and show what it did", DemoCommand::run));
        m.put("run", new Command("run a Multiboot kernel, flat binary or ROM image on the bare machine, output on stdout", RunCommand::run));
        m.put("bench", new Command("measure guest instructions per second, vwb against QEMU TCG", dev.vwb.machine.bench.Bench::run));
        m.put("asm", new Command("assemble NASM-syntax source into a flat binary (and a listing)", AsmCommand::run));
        m.put("disasm", new Command("disassemble a flat binary into NASM syntax, as ndisasm does", DisasmCommand::run));
        m.put("bench-asm", new Command("time the assembler on a generated 10,000-line source, against nasm", dev.vwb.machine.asm.AsmBench::run));
        m.put("test", new Command("run every test (installs the Debian packages the tests use when run as root)", Main::testHelp));
        return m;
    }

    public static void main(String[] args) {
        exitWith(Main::dispatch, args);
    }

    /** A launcher's command dispatch: the exit status for the arguments, output on {@code out}. */
    @FunctionalInterface
    public interface Dispatch {
        int dispatch(String[] args, PrintStream out) throws Exception;
    }

    /**
     * Runs a dispatch and exits with its status: bad input (an IllegalArgumentException) is one
     * line "vwb: ..." and status 2, anything else unexpected one line and status 1.
     */
    public static void exitWith(Dispatch d, String[] args) {
        PrintStream out = System.out;
        int status;
        try {
            status = d.dispatch(args, out);
        } catch (IllegalArgumentException e) {
            System.err.println("vwb: " + e.getMessage());
            status = 2;
        } catch (Exception e) {
            System.err.println("vwb: " + e);
            status = 1;
        }
        out.flush();
        System.exit(status);
    }

    /** Runs the command {@code args[0]} (the demo without one); returns the exit status. */
    public static int dispatch(String[] args, PrintStream out) throws Exception {
        Map<String, Command> commands = commands();
        if (args.length == 0) {
            return commands.get("demo").runner().run(new String[0], out);
        }
        String name = args[0];
        if (name.equals("--help") || name.equals("-h") || name.equals("help")) {
            usage(out, commands);
            return 0;
        }
        Command c = commands.get(name);
        if (c == null) {
            throw new IllegalArgumentException("unknown command '" + name + "'; try ./vwb --help");
        }
        return c.runner().run(Arrays.copyOfRange(args, 1, args.length), out);
    }

    private static void usage(PrintStream out, Map<String, Command> commands) {
        out.println("vwb — the Virtualization Workbench");
        out.println();
        out.println("usage: ./vwb [COMMAND] [OPTIONS]");
        out.println();
        out.println("commands:");
        commands.forEach((name, c) -> out.printf("  %-9s %s%n", name, c.summary()));
        out.println();
        out.println("Every command takes --help.");
    }

    /** {@code test} itself is run by the ./vwb script through Maven; this only explains it. */
    private static int testHelp(String[] args, PrintStream out) {
        out.println("usage: ./vwb test [MAVEN OPTIONS]");
        out.println();
        out.println("Runs every test of every module with Maven. As root it first installs the Debian");
        out.println("packages the tests use (nasm, python3-unicorn, qemu-system-x86, gdb, tmux) when they are missing;");
        out.println("otherwise it prints the apt-get line to run. Extra options go to Maven, for example");
        out.println("  ./vwb test -Dtest=UnicornDifferentialTest");
        return 0;
    }
}
