package dev.vwb.exercises.cli;

import dev.vwb.exercises.Exercise;
import dev.vwb.exercises.Exercises;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code vwb exercise}: lists the exercises and writes a student's handout. Every error is one
 * line on stderr (exit status 2), never a stack trace.
 */
public final class Main {
    private static final String HELP = String.join("\n",
            "usage: vwb exercise COMMAND",
            "  list                  the exercises, one a line: NAME  lesson N  title",
            "  handout NAME DIR      write exercise NAME's student project into DIR (new or empty):",
            "                        a Maven project with the skeleton, the public tests and the workbench's jars;",
            "                        in it, ./vwb exercise check (or mvn test) runs the public tests",
            "  COMMAND --help        more about a command");

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    /** Runs the command; returns the exit status (0 done, 2 a usage or input error). */
    static int run(List<String> args, PrintStream out, PrintStream err) {
        try {
            if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("-h") || args.get(0).equals("help")) {
                out.println(HELP);
                return args.isEmpty() ? 2 : 0;
            }
            List<String> rest = args.subList(1, args.size());
            switch (args.get(0)) {
                case "list":
                    return list(rest, out);
                case "handout":
                    return handout(rest, out);
                default:
                    throw new UsageError("no command '" + args.get(0) + "'; the commands are list and handout (vwb exercise --help)");
            }
        } catch (UsageError | IllegalArgumentException e) {
            err.println("vwb exercise: " + e.getMessage());
            return 2;
        } catch (UncheckedIOException e) {
            err.println("vwb exercise: " + e.getCause().getMessage());
            return 2;
        }
    }

    private static int list(List<String> args, PrintStream out) {
        if (helpAsked(args)) {
            out.println("usage: vwb exercise list\n  the exercises, one a line: NAME  lesson N  title (NAME is what handout takes)");
            return 0;
        }
        if (!args.isEmpty()) {
            throw new UsageError("list takes no arguments");
        }
        List<Exercise> all = Exercises.all();
        int width = all.stream().mapToInt(e -> e.name().length()).max().orElse(0);
        for (Exercise e : all) {
            out.println(String.format("%-" + width + "s  lesson %d  %s", e.name(), e.lesson(), e.title()));
        }
        return 0;
    }

    private static int handout(List<String> args, PrintStream out) {
        if (helpAsked(args)) {
            out.println(String.join("\n",
                    "usage: vwb exercise handout NAME DIR",
                    "  writes exercise NAME's student project into DIR (created if missing; it must be empty):",
                    "  pom.xml, the workbench's jars under lib/, the skeleton under src/main/java, the public tests",
                    "  under src/test/java, README.md and a vwb script: ./vwb exercise check runs the public tests.",
                    "  No graded test and no solution goes into it."));
            return 0;
        }
        if (args.size() != 2) {
            throw new UsageError("handout takes an exercise's name and a folder: vwb exercise handout NAME DIR");
        }
        Exercise e = Exercises.byName(args.get(0));
        Path dir = Path.of(args.get(1));
        try {
            Handout.write(e, dir, Handout.workbenchJars());
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
        out.println("wrote exercise " + e.name() + " to " + dir + ": cd " + dir + " && ./vwb exercise check");
        return 0;
    }

    private static boolean helpAsked(List<String> args) {
        return args.contains("--help") || args.contains("-h");
    }

    /** A mistake in the command line, reported in one line. */
    static final class UsageError extends RuntimeException {
        UsageError(String message) {
            super(message);
        }
    }
}
