package dev.vwb.machine.asm;

/** An error in the source, at a 1-based line and column, worded for a student. */
public record Diagnostic(String file, int line, int column, String message) {
    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": error: " + message;
    }
}
