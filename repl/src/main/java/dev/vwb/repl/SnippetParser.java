package dev.vwb.repl;

import java.util.function.Supplier;
import org.jline.reader.EOFError;
import org.jline.reader.ParsedLine;
import org.jline.reader.impl.DefaultParser;

/**
 * How the terminal splits a line: for completion into words at spaces (no quoting or escapes, so
 * Java text stays as typed); when Enter is pressed, Java that is not complete yet (an open brace,
 * a method without its body) asks for another line, as JShell's own tool does.
 */
final class SnippetParser extends DefaultParser {
    private final Supplier<Repl> repl;

    /** {@code repl} gives the session once it exists (the terminal is made while the guest loads). */
    SnippetParser(Supplier<Repl> repl) {
        this.repl = repl;
        setQuoteChars(new char[0]);
        setEscapeChars(new char[0]);
    }

    @Override
    public ParsedLine parse(String line, int cursor, ParseContext context) {
        if (context == ParseContext.ACCEPT_LINE && repl.get().incomplete(line)) {
            throw new EOFError(-1, -1, "incomplete Java", "...");
        }
        return super.parse(line, cursor, context);
    }
}
