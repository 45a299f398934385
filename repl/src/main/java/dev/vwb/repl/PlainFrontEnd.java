package dev.vwb.repl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;

/**
 * The REPL when stdin or stdout is not a terminal (a pipe, a script, a test): lines read as they
 * come, a simple prompt ({@code vwb> }, {@code ...> } while a snippet is incomplete), no escape
 * codes. End of input ends the session as Ctrl-D does.
 */
final class PlainFrontEnd {
    static final String PROMPT = "vwb> ";
    static final String MORE = "...> ";

    private PlainFrontEnd() {
    }

    static void run(Repl repl, BufferedReader in, PrintStream out) throws IOException {
        repl.hint().forEach(out::println);
        while (true) {
            out.print(PROMPT);
            out.flush();
            String line = in.readLine();
            if (line == null) {
                out.println();
                return;
            }
            StringBuilder input = new StringBuilder(line);
            while (repl.incomplete(input.toString())) {
                out.print(MORE);
                out.flush();
                String next = in.readLine();
                if (next == null) {
                    break;
                }
                input.append('\n').append(next);
            }
            if (!repl.accept(input.toString())) {
                return;
            }
        }
    }
}
