package dev.vwb.machine.asm;

import java.util.List;

/**
 * One parsed source line: an optional label and one instruction or directive.
 *
 * @param line      1-based line number (the first line of a continued line)
 * @param source    the line as written, for the listing
 * @param label     the label defined here (local labels already prefixed), or null
 * @param kind      what the rest of the line is
 * @param times     the repeat count of {@code times}, or null
 * @param prefixes  instruction prefixes written before the mnemonic ({@code lock}, {@code rep}...)
 * @param mnemonic  the instruction or data directive, lower case
 * @param column    the mnemonic's column
 * @param operands  instruction operands
 * @param args      expressions of directives (db items that are strings are {@link Str})
 */
record Statement(int line, String source, String label, int labelColumn, Kind kind, Expr times,
                 List<String> prefixes, String mnemonic, int column, List<Operand> operands, List<Object> args) {
    /** INCLUDE: {@code %include}, args holding the file's name; the included lines follow it. */
    enum Kind { EMPTY, INSTRUCTION, DATA, RESERVE, EQU, ORG, BITS, ALIGN, INCLUDE }

    /** A string item of a data directive. */
    record Str(String text) {
    }
}
