package dev.vwb.notebooks;

import java.util.ArrayList;
import java.util.List;

/**
 * A cell read as the kernel runs it: lines that begin with {@code %} are line magics (the REPL's
 * short commands: {@code %si 5}, {@code %regs}, {@code %pt 0x100000}), run in their place; the
 * lines between them are Java, each run of them evaluated as one input.
 */
record Cell(List<Part> parts) {
    /** One magic line (without its {@code %}) or one run of Java lines. */
    record Part(boolean magic, String text) {
    }

    static Cell parse(String code) {
        List<Part> parts = new ArrayList<>();
        StringBuilder java = new StringBuilder();
        for (String line : code.split("\n", -1)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("%") && !trimmed.startsWith("%%")) {
                flush(java, parts);
                parts.add(new Part(true, trimmed.substring(1).strip()));
            } else {
                java.append(line).append('\n');
            }
        }
        flush(java, parts);
        return new Cell(List.copyOf(parts));
    }

    private static void flush(StringBuilder java, List<Part> parts) {
        if (!java.toString().isBlank()) {
            parts.add(new Part(false, java.toString().strip()));
        }
        java.setLength(0);
    }

    /** The last run of Java, or "" (what is_complete judges: magics are always complete). */
    String lastJava() {
        for (int i = parts.size() - 1; i >= 0; i--) {
            if (!parts.get(i).magic()) {
                return parts.get(i).text();
            }
        }
        return "";
    }
}
