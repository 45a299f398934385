package dev.vwb.repl.cli;

import dev.vwb.repl.ReplCommand;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * The {@code vwb} command line, one level above workbench-core's: no command, or {@code repl},
 * opens the REPL; {@code bench-repl} measures it; every other command goes to
 * {@link dev.vwb.workbench.cli.Main} unchanged.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        dev.vwb.machine.cli.Main.exitWith(Main::dispatch, args);
    }

    static int dispatch(String[] args, PrintStream out) throws Exception {
        if (args.length == 0) {
            return ReplCommand.run(args, out);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "repl":
                return ReplCommand.run(rest, out);
            case "bench-repl":
                return ReplBench.run(rest, out);
            default:
                break;
        }
        int status = dev.vwb.workbench.cli.Main.dispatch(args, out);
        if (args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            out.println();
            out.println("the REPL:");
            out.printf("  %-11s %s%n", "repl", "the REPL: short commands and Java on a guest (./vwb alone: the teaching kernel under the hypervisor)");
            out.printf("  %-11s %s%n", "bench-repl", "time from launch to the REPL's prompt, and the round trip of si");
            out.println();
            out.println("notebooks (the vwb script runs them on the notebooks module):");
            out.printf("  %-11s %s%n", "notebook", "install the Jupyter kernel \"vwb (Java)\" and open Jupyter on the lessons (notebooks/)");
            out.printf("  %-11s %s%n", "kernel", "kernel install [--user|--sys-prefix]: the kernelspec alone");
            out.println();
            out.println("exercises (the vwb script runs them on the exercises module):");
            out.printf("  %-11s %s%n", "exercise", "exercise list | exercise handout NAME DIR: hypervisor extensions for students to write");
            out.println();
            out.println("grading (the vwb script runs it on the grading module):");
            out.printf("  %-11s %s%n", "grade", "grade submissions of an exercise in a sandboxed JVM: Gradescope results.json, JUnit XML,"
                    + " a report; --all DIR for a batch, package for a Gradescope autograder (grade --help)");
            out.printf("  %-11s %s%n", "bench-grade", "the grader's speed: one submission, and a batch of 50");
        }
        return status;
    }
}
