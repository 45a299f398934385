package dev.vwb.repl;

import dev.vwb.workbench.Vm;
import dev.vwb.workbench.WorkbenchException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.jshell.SourceCodeAnalysis.Completeness;

/**
 * One REPL session, whatever the front end: a line is a short command ({@link Commands}) or Java
 * ({@link JavaEngine}); Ctrl-C stops what runs; nothing the user types ends the session with a
 * stack trace. The terminal and plain front ends only read lines and call {@link #accept}.
 */
final class Repl {
    private final Session session;
    private final JavaEngine engine;
    private final Printer printer;
    private final Commands commands;
    private final AtomicBoolean interrupted = new AtomicBoolean();

    Repl(Session session, JavaEngine engine, Printer printer) {
        this.session = session;
        this.engine = engine;
        this.printer = printer;
        this.commands = new Commands(session, printer, interrupted::get, engine::rebindVm);
    }

    Session session() {
        return session;
    }

    JavaEngine engine() {
        return engine;
    }

    Commands commands() {
        return commands;
    }

    Printer printer() {
        return printer;
    }

    /** The two lines printed at start: what is loaded, and how to get help. */
    List<String> hint() {
        String note = session.spec().note();
        return List.of(
                "vwb REPL: " + session.spec().describe() + " is loaded as vm" + (note.isEmpty() ? "." : " (" + note + ")."),
                "Type help for the commands (si, c, b, regs, x, pt, exits ...), or Java: vm.step(5). Ctrl-D leaves.");
    }

    /** The command {@code line} is, if it is one. */
    Optional<CommandLine> command(String line) {
        return commands.parse(line);
    }

    /** Whether {@code input} is Java that needs more lines (waits for JShell to start). */
    boolean incomplete(String input) {
        if (input.isBlank() || command(input).isPresent()) {
            return false;
        }
        try {
            Completeness c = engine.completeness(input);
            return c == Completeness.DEFINITELY_INCOMPLETE || c == Completeness.CONSIDERED_INCOMPLETE;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /** Runs one complete input: a command, or Java snippets. False when the session should end. */
    boolean accept(String input) {
        if (input.isBlank()) {
            return true;
        }
        interrupted.set(false);
        try {
            Optional<CommandLine> c = command(input);
            if (c.isPresent()) {
                return commands.run(c.get());
            }
            java(input);
        } catch (WorkbenchException | IllegalArgumentException | IllegalStateException e) {
            printer.error(e.getMessage());
        } catch (RuntimeException e) {
            printer.error(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
        return true;
    }

    private void java(String input) {
        printer.flush();
        List<JavaEngine.Result> results = engine.eval(input);
        SnippetFeedback feedback = new SnippetFeedback(engine.shell(), printer);
        for (JavaEngine.Result r : results) {
            feedback.print(r);
        }
        if (interrupted.get() && results.stream().allMatch(r -> r.value() == null)) {
            printer.note("stopped by Ctrl-C");
        }
        followVm();
    }

    /** After Java: if {@code vm} now holds another VM, the commands use it too. */
    void followVm() {
        Object value = engine.variable("vm").orElse(null);
        if (value instanceof Vm other && other != session.current()) {
            session.adopt(other);
            printer.note("the commands now work on this vm");
        }
    }

    /**
     * Ctrl-C, from the signal handler's thread: stops a running guest at an instruction boundary,
     * or else a running Java snippet.
     */
    void interrupt() {
        interrupted.set(true);
        Vm vm = session.current();
        if (vm.isRunning()) {
            vm.stop();
        } else if (engine.evaluating()) {
            engine.stop();
        }
    }
}
