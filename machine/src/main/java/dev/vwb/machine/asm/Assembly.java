package dev.vwb.machine.asm;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The result of assembling a source.
 *
 * @param bytes   the flat binary (empty when there are errors)
 * @param listing one line per source line: address, bytes, source
 * @param symbols every label and {@code equ} with its value, in definition order (the
 *                workbench sets breakpoints by these names)
 * @param errors  every error found, in source order
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

    /** One line of the listing; {@code bytes} is empty for lines that emit nothing. */
    public record ListingLine(int line, long address, byte[] bytes, String source) {
        @Override
        public String toString() {
            StringBuilder hex = new StringBuilder();
            for (byte b : bytes) {
                hex.append(String.format("%02X", b & 0xFF));
            }
            String h = hex.length() > 20 ? hex.substring(0, 18) + "-" : hex.toString();
            return String.format("%6d %08X %-20s %s", line, address, h, source);
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
