package dev.vwb.repl;

import dev.vwb.workbench.Outcome;
import dev.vwb.workbench.Registers;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * Colours for a terminal: changed registers, the current instruction, outcomes, errors, guest
 * output. {@link #PLAIN} leaves every text as it is, for pipes, scripts and tests: the same words,
 * no escape codes.
 */
final class Highlighter {
    /** Highlights nothing. */
    static final Highlighter PLAIN = new Highlighter(null);

    private static final AttributedStyle CHANGED = AttributedStyle.BOLD.foreground(AttributedStyle.YELLOW);
    private static final AttributedStyle CURRENT = AttributedStyle.BOLD.foreground(AttributedStyle.GREEN);
    private static final AttributedStyle ERROR = AttributedStyle.DEFAULT.foreground(AttributedStyle.RED);
    private static final AttributedStyle NOTE = AttributedStyle.DEFAULT.faint();
    private static final AttributedStyle GUEST = AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN);
    private static final AttributedStyle PROMPT = AttributedStyle.BOLD.foreground(AttributedStyle.BLUE);
    private static final AttributedStyle STOP = AttributedStyle.BOLD.foreground(AttributedStyle.MAGENTA);
    /** A register as {@code Registers.toString} prints it: {@code EAX=0000002A}, {@code CS=0008}, {@code CPL=1}. */
    private static final Pattern REGISTER = Pattern.compile("\\b([A-Z][A-Z0-9]*)=([0-9A-F]+(?:/[0-9A-F]+)?)");

    private final Terminal terminal;

    private Highlighter(Terminal terminal) {
        this.terminal = terminal;
    }

    /** Highlights for {@code terminal}'s capabilities. */
    static Highlighter forTerminal(Terminal terminal) {
        return new Highlighter(terminal);
    }

    boolean plain() {
        return terminal == null;
    }

    String error(String text) {
        return style(text, ERROR);
    }

    String note(String text) {
        return style(text, NOTE);
    }

    String guestOutput(String text) {
        return style(text, GUEST);
    }

    String prompt(String text) {
        return style(text, PROMPT);
    }

    /** The registers as {@link Registers#toString()} prints them, those that changed highlighted. */
    String registers(Registers r) {
        return changedRegisters(r.toString(), r.changed());
    }

    /** {@code NAME=VALUE} pairs in {@code text} whose name is in {@code changed}, highlighted. */
    String changedRegisters(String text, List<String> changed) {
        if (plain() || changed.isEmpty()) {
            return text;
        }
        AttributedStringBuilder b = new AttributedStringBuilder();
        Matcher m = REGISTER.matcher(text);
        int at = 0;
        while (m.find()) {
            b.append(text, at, m.start());
            b.append(m.group(), changed.contains(m.group(1)) ? CHANGED : AttributedStyle.DEFAULT);
            at = m.end();
        }
        b.append(text.substring(at));
        return b.toAnsi(terminal);
    }

    /** A disassembly as {@code Disassembly.toString} prints it, the current line ({@code =>}) highlighted. */
    String disassembly(String text) {
        if (plain()) {
            return text;
        }
        AttributedStringBuilder b = new AttributedStringBuilder();
        for (String line : text.split("\n", -1)) {
            if (b.length() > 0) {
                b.append('\n');
            }
            b.append(line, line.startsWith("=>") ? CURRENT : line.strip().startsWith("<") ? NOTE : AttributedStyle.DEFAULT);
        }
        return b.toAnsi(terminal);
    }

    /** A run report's text with its outcome word coloured (green when it did what was asked). */
    String report(Outcome outcome, String text) {
        if (plain() || !text.startsWith(outcome.name())) {
            return text;
        }
        boolean asked = outcome == Outcome.COMPLETED || outcome == Outcome.CONDITION_MET;
        return style(outcome.name(), asked ? CURRENT : STOP) + text.substring(outcome.name().length());
    }

    private String style(String text, AttributedStyle style) {
        if (plain()) {
            return text;
        }
        return new AttributedStringBuilder().append(text, style).toAnsi(terminal);
    }
}
