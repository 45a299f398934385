package dev.vwb.repl;

import java.io.IOException;
import java.nio.file.Path;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The REPL on a terminal (JLine): line editing, history kept in {@code ~/.vwb_history} (the
 * system property {@code vwb.history} names another file), multi-line Java ({@link SnippetParser}),
 * completion ({@link ReplCompleter}), colours ({@link Highlighter}). Ctrl-C at the prompt clears
 * the line; while a guest or a snippet runs it stops it ({@link Repl#interrupt()}); Ctrl-D leaves.
 *
 * <p>{@link #open()} makes the terminal and the line reader before there is a session (they take
 * a few hundred milliseconds on a cold JVM, as the guest does, so the launcher does both at once);
 * {@link #run} then serves the session.
 */
final class TerminalFrontEnd implements AutoCloseable {
    static final String PROMPT = "vwb> ";

    private final Terminal terminal;
    private final LineReader reader;
    private volatile Repl repl;

    private TerminalFrontEnd() throws IOException {
        terminal = TerminalBuilder.builder().system(true).name("vwb").build();
        reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("vwb")
                .parser(new SnippetParser(() -> repl))
                .completer(new ReplCompleter(() -> repl))
                .variable(LineReader.HISTORY_FILE, historyFile())
                .variable(LineReader.HISTORY_SIZE, 2000)
                .variable(LineReader.SECONDARY_PROMPT_PATTERN, "...> ")
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)   // '!' is Java's not, never history
                .option(LineReader.Option.INSERT_TAB, false)
                .build();
    }

    /** The terminal and its line reader, with no session yet. */
    static TerminalFrontEnd open() throws IOException {
        return new TerminalFrontEnd();
    }

    /** The history file: {@code vwb.history}, else {@code ~/.vwb_history}. */
    static Path historyFile() {
        String p = System.getProperty("vwb.history");
        return p != null ? Path.of(p) : Path.of(System.getProperty("user.home"), ".vwb_history");
    }

    /** Where the session prints, in the terminal's colours. */
    Printer printer() {
        return new Printer(terminal.writer(), Highlighter.forTerminal(terminal));
    }

    /**
     * Reads and runs lines until Ctrl-D or {@code quit}. {@code beforePrompt} runs just before the
     * first prompt is drawn (the launcher starts Java's warm-up there, so it takes no CPU from
     * anything the prompt waits for).
     */
    void run(Repl session, Runnable beforePrompt) {
        repl = session;
        terminal.handle(Terminal.Signal.INT, signal -> session.interrupt());
        session.hint().forEach(line -> session.printer().note(line));
        String prompt = session.printer().highlighter().prompt(PROMPT);
        beforePrompt.run();
        while (true) {
            String line;
            try {
                line = reader.readLine(prompt);
            } catch (UserInterruptException e) {
                continue;   // Ctrl-C at the prompt: the line is dropped
            } catch (EndOfFileException e) {
                break;      // Ctrl-D
            }
            if (!session.accept(line)) {
                break;
            }
        }
        try {
            reader.getHistory().save();
        } catch (IOException e) {
            session.printer().note("(the history could not be saved: " + e.getMessage() + ")");
        }
    }

    @Override
    public void close() throws IOException {
        terminal.close();
    }
}
