package dev.vwb.repl;

import java.nio.file.Path;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

/**
 * The REPL on a terminal (JLine): line editing, history kept in {@code ~/.vwb_history} (the
 * system property {@code vwb.history} names another file), multi-line Java ({@link SnippetParser}),
 * completion ({@link ReplCompleter}), colours ({@link Highlighter}). Ctrl-C at the prompt clears
 * the line; while a guest or a snippet runs it stops it ({@link Repl#interrupt()}); Ctrl-D leaves.
 */
final class TerminalFrontEnd {
    static final String PROMPT = "vwb> ";

    private TerminalFrontEnd() {
    }

    /** The history file: {@code vwb.history}, else {@code ~/.vwb_history}. */
    static Path historyFile() {
        String p = System.getProperty("vwb.history");
        return p != null ? Path.of(p) : Path.of(System.getProperty("user.home"), ".vwb_history");
    }

    static void run(Repl repl, Terminal terminal) {
        LineReader reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("vwb")
                .parser(new SnippetParser(repl))
                .completer(new ReplCompleter(repl))
                .variable(LineReader.HISTORY_FILE, historyFile())
                .variable(LineReader.HISTORY_SIZE, 2000)
                .variable(LineReader.SECONDARY_PROMPT_PATTERN, "...> ")
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)   // '!' is Java's not, never history
                .option(LineReader.Option.INSERT_TAB, false)
                .build();
        terminal.handle(Terminal.Signal.INT, signal -> repl.interrupt());
        Highlighter hl = repl.printer().highlighter();
        repl.hint().forEach(line -> repl.printer().note(line));
        String prompt = hl.prompt(PROMPT);
        while (true) {
            String line;
            try {
                line = reader.readLine(prompt);
            } catch (UserInterruptException e) {
                continue;   // Ctrl-C at the prompt: the line is dropped
            } catch (EndOfFileException e) {
                break;      // Ctrl-D
            }
            if (!repl.accept(line)) {
                break;
            }
        }
        try {
            reader.getHistory().save();
        } catch (java.io.IOException e) {
            repl.printer().note("(the history could not be saved: " + e.getMessage() + ")");
        }
    }
}
