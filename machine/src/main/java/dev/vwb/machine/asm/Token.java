package dev.vwb.machine.asm;

/** One lexical token of a source line; {@code column} is 1-based, for messages. */
record Token(Type type, String text, long value, int column) {
    enum Type { IDENT, NUMBER, STRING, PUNCT, END }

    boolean is(String punct) {
        return type == Type.PUNCT && text.equals(punct);
    }

    boolean isWord(String word) {
        return type == Type.IDENT && text.equalsIgnoreCase(word);
    }
}
