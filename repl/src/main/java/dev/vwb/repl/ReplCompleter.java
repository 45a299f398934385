package dev.vwb.repl;

import dev.vwb.workbench.Vm;
import dev.vwb.workbench.Workbench;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import jdk.jshell.SourceCodeAnalysis;
import org.jline.builtins.Completers;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion: command names in the first word, each command's arguments after it (symbols
 * and registers for addresses, guests and files for {@code load}, breakpoint and snapshot
 * numbers ...), and Java from JShell's source analysis everywhere Java can be.
 */
final class ReplCompleter implements Completer {
    /** Register names an address may use. */
    private static final List<String> REGISTERS = List.of("pc", "eax", "ebx", "ecx", "edx", "esi", "edi", "ebp", "esp", "eip");

    private final Supplier<Repl> session;
    private final Completer files = new Completers.FileNameCompleter();

    /** {@code session} gives the session once it exists (the terminal is made while the guest loads). */
    ReplCompleter(Supplier<Repl> session) {
        this.session = session;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        Repl repl = session.get();
        Optional<CommandLine> command = repl.command(line.line());
        if (line.wordIndex() == 0) {
            for (String name : repl.commands().names()) {
                boolean examine = name.equals("x");   // x takes its format after a slash, not a space
                candidates.add(new Candidate(examine ? "x/" : name, examine ? "x/NFMT" : name, "commands",
                        repl.commands().get(name).summary(), null, null, !examine));
            }
        } else if (command.isPresent()) {
            arguments(repl, reader, line, command.get(), candidates);
            return;
        }
        java(repl, line, candidates);
    }

    private void arguments(Repl repl, LineReader reader, ParsedLine line, CommandLine command, List<Candidate> out) {
        Vm vm = repl.session().current();
        List<String> words = new ArrayList<>();
        switch (repl.commands().get(command.name()).args()) {
            case ADDRESS -> {
                words.addAll(vm.symbols().all().keySet());
                words.addAll(REGISTERS);
            }
            case GUEST -> {
                words.addAll(Workbench.bundledGuests());
                words.add("--bare");
                files.complete(reader, line, out);
            }
            case BREAKPOINT -> vm.breakpoints().list().forEach(b -> words.add(Integer.toString(b.id())));
            case SNAPSHOT -> {
                for (int i = 1; i <= repl.session().snapshotCount(); i++) {
                    words.add(Integer.toString(i));
                }
            }
            case COMMAND -> repl.commands().listed().forEach(c -> words.add(c.name()));
            case TRACE -> words.addAll(line.wordIndex() == 1 ? List.of("on", "off", "show", "timeline") : List.of());
            case INFO -> words.addAll(List.of("b", "r"));
            default -> {
            }
        }
        words.forEach(w -> out.add(new Candidate(w)));
    }

    /** JShell's suggestions, as replacements of the whole word under the cursor. */
    private void java(Repl repl, ParsedLine line, List<Candidate> out) {
        String text = line.line();
        int cursor = line.cursor();
        int wordStart = cursor - line.wordCursor();
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> suggestions;
        try {
            suggestions = repl.engine().suggestions(text, cursor, anchor);
        } catch (RuntimeException e) {
            return;  // Java could not start, or cannot analyse this: no Java completions
        }
        if (anchor[0] < wordStart) {
            return;
        }
        String prefix = text.substring(wordStart, anchor[0]);
        for (SourceCodeAnalysis.Suggestion s : suggestions) {
            String c = s.continuation();
            out.add(new Candidate(prefix + c, c, "java", null, null, null, false));
        }
    }
}
