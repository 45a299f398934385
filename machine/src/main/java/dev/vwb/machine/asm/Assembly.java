package dev.vwb.machine.asm;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The result of assembling a source.
 *
 * @param bytes   the flat binary (empty when there are errors)
 * @param listing one line per source line, included files' lines in place: address, bytes, source
 * @param symbols every label and {@code equ} with its value, in definition order (the
 *                workbench sets breakpoints by these names)
 * @param errors  every error found, in source order (an included file's where it is included)
 * @param constants the names among {@code symbols} that {@code equ} defined: values, not places
 *                in the code (a disassembly or a location names only labels)
 */
public record Assembly(byte[] bytes, List<ListingLine> listing, Map<String, Long> symbols, List<Diagnostic> errors,
                       Set<String> constants) {
    public Assembly {
        constants = Set.copyOf(constants);
    }

    /** The labels: {@code symbols} without the {@code equ} constants, in definition order. */
    public Map<String, Long> labels() {
        Map<String, Long> labels = new java.util.LinkedHashMap<>(symbols);
        labels.keySet().removeAll(constants);
        return labels;
    }

    public boolean ok() {
        return errors.isEmpty();
    }

    /**
     * One line of the listing; {@code bytes} is empty for lines that emit nothing. The lines of an
     * included file follow its {@code %include} line, with their own file's line numbers: the text
     * marks them with their nesting depth, {@code <1>} for a file the main file includes, as
     * {@code nasm -l} does.
     *
     * @param file  the file the line is in
     * @param depth 0 for the main file, 1 for a file it includes, and so on
     */
    public record ListingLine(int line, long address, byte[] bytes, String source, String file, int depth) {
        @Override
        public String toString() {
            StringBuilder hex = new StringBuilder();
            for (byte b : bytes) {
                hex.append(String.format("%02X", b & 0xFF));
            }
            String h = hex.length() > 20 ? hex.substring(0, 18) + "-" : hex.toString();
            String nesting = depth == 0 ? "" : "<" + depth + "> ";
            return String.format("%6d %08X %-20s %s%s", line, address, h, nesting, source);
        }
    }

    /** The listing as text, one line per source line. */
    public String listingText() {
        StringBuilder sb = new StringBuilder();
        for (ListingLine l : listing) {
            sb.append(l).append('\n');
        }
        return sb.toString();
    }
}
