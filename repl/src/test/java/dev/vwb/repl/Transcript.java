package dev.vwb.repl;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A scripted REPL session in this JVM, as a pipe would drive it: the lines go in on "stdin", the
 * whole output comes back, and {@link #answer(int)} is what the session printed for one line
 * (the text between its prompt and the next).
 */
final class Transcript {
    private final String output;
    private final List<String> answers;

    private Transcript(String output) {
        this.output = output;
        this.answers = Arrays.asList(output.split(java.util.regex.Pattern.quote(PlainFrontEnd.PROMPT), -1));
    }

    static Transcript of(String... lines) {
        return of(GuestSpec.DEFAULT, lines);
    }

    static Transcript of(GuestSpec spec, String... lines) {
        String input = String.join("\n", lines) + "\n";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try {
            ReplCommand.runPlain(spec, new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Transcript(bytes.toString(StandardCharsets.UTF_8));
    }

    /** Everything printed. */
    String output() {
        return output;
    }

    /** What was printed before the first prompt: the hint. */
    String hint() {
        return answers.get(0);
    }

    /** What the session printed for input line {@code i} (from 0), continuation prompts included. */
    String answer(int i) {
        return answers.get(i + 1);
    }

    @Override
    public String toString() {
        return output;
    }
}
