package dev.vwb.notebooks;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * How a value looks in a notebook: its text (JShell's, which is the {@code toString}) as
 * text/plain, and where the value has a public {@code String toHtml()} (Registers, Disassembly,
 * HexDump, Translation, ExitLog ...) that too, as text/html, so the front end shows the table
 * and a plain reader the text.
 */
final class Display {
    private Display() {
    }

    /** The display of {@code value}, shown as {@code text} in plain form. */
    static DisplayData of(Object value, String text) {
        DisplayData d = new DisplayData(text);
        String html = html(value);
        if (html != null) {
            d.putHTML(html);
        }
        return d;
    }

    /** The display of any object (for {@code display(x)} in a snippet). */
    static DisplayData of(Object value) {
        return of(value, String.valueOf(value));
    }

    /** {@code value.toHtml()}, or null when it has none or it failed. */
    static String html(Object value) {
        if (value == null) {
            return null;
        }
        try {
            Method m = value.getClass().getMethod("toHtml");
            if (m.getReturnType() != String.class || Modifier.isStatic(m.getModifiers())) {
                return null;
            }
            m.setAccessible(true);
            return (String) m.invoke(value);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
