package dev.vwb.machine.asm;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one logical source line into tokens, following the NASM manual (3.1 layout, 3.4.1
 * numbers, 3.4.2 character strings). Stops at a ';' comment.
 */
final class Lexer {
    private Lexer() {
    }

    /** Thrown for a malformed token; carries the 1-based column. */
    static final class LexError extends Exception {
        final int column;

        LexError(String message, int column) {
            super(message, null, false, false);
            this.column = column;
        }
    }

    static List<Token> tokens(String line) throws LexError {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (c == ';') {
                break;
            }
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int start = i;
            if (c == '\'' || c == '"' || c == '`') {
                int close = line.indexOf(c, i + 1);
                if (close < 0) {
                    throw new LexError("unterminated string (missing closing " + c + ")", i + 1);
                }
                String s = line.substring(i + 1, close);
                if (c == '`') {
                    s = unescape(s);
                }
                out.add(new Token(Token.Type.STRING, s, 0, start + 1));
                i = close + 1;
            } else if (Character.isDigit(c) || c == '$' && i + 1 < n && Character.isDigit(line.charAt(i + 1))) {
                while (i < n && (Character.isLetterOrDigit(line.charAt(i)) || line.charAt(i) == '_' || line.charAt(i) == '$')) {
                    i++;
                }
                String text = line.substring(start, i);
                out.add(new Token(Token.Type.NUMBER, text, number(text, start + 1), start + 1));
            } else if (c == '$' && i + 1 < n && line.charAt(i + 1) == '$') {
                out.add(new Token(Token.Type.IDENT, "$$", 0, start + 1));
                i += 2;
            } else if (isIdentStart(c) || c == '$') {
                i++;
                while (i < n && isIdentPart(line.charAt(i))) {
                    i++;
                }
                String text = line.substring(start, i);
                if (text.length() > 1 && text.charAt(0) == '$') {
                    text = text.substring(1); // "$name" escapes a keyword (NASM 3.1)
                }
                out.add(new Token(Token.Type.IDENT, text, 0, start + 1));
            } else {
                String two = i + 1 < n ? line.substring(i, i + 2) : "";
                if (two.equals("<<") || two.equals(">>") || two.equals("//") || two.equals("%%")) {
                    out.add(new Token(Token.Type.PUNCT, two, 0, start + 1));
                    i += 2;
                } else if ("+-*/%()[],:~&|^!".indexOf(c) >= 0) {
                    out.add(new Token(Token.Type.PUNCT, String.valueOf(c), 0, start + 1));
                    i++;
                } else {
                    throw new LexError("unexpected character '" + c + "'", start + 1);
                }
            }
        }
        out.add(new Token(Token.Type.END, "", 0, n + 1));
        return out;
    }

    static boolean isIdentStart(char c) {
        return Character.isLetter(c) || c == '_' || c == '.' || c == '?' || c == '@';
    }

    static boolean isIdentPart(char c) {
        return Character.isLetterOrDigit(c) || "_.$#@~?".indexOf(c) >= 0;
    }

    /** NASM numeric constants: 0x/0h/$ hex, h suffix, 0b/b binary, 0o/o/q octal, 0d/d decimal. */
    private static long number(String raw, int column) throws LexError {
        String t = raw.replace("_", "").toLowerCase(java.util.Locale.ROOT);
        int radix = 10;
        if (t.startsWith("$")) {
            radix = 16;
            t = t.substring(1);
        } else if (t.startsWith("0x") || t.startsWith("0h")) {
            radix = 16;
            t = t.substring(2);
        } else if (t.startsWith("0b") || t.startsWith("0y")) {
            radix = 2;
            t = t.substring(2);
        } else if (t.startsWith("0o") || t.startsWith("0q")) {
            radix = 8;
            t = t.substring(2);
        } else if (t.startsWith("0d") || t.startsWith("0t")) {
            t = t.substring(2);
        } else if (t.endsWith("h")) {
            radix = 16;
            t = t.substring(0, t.length() - 1);
        } else if ((t.endsWith("b") || t.endsWith("y")) && t.matches("[01]+[by]")) {
            radix = 2;
            t = t.substring(0, t.length() - 1);
        } else if (t.endsWith("q") || t.endsWith("o")) {
            radix = 8;
            t = t.substring(0, t.length() - 1);
        } else if (t.endsWith("d") || t.endsWith("t")) {
            t = t.substring(0, t.length() - 1);
        }
        try {
            return Long.parseUnsignedLong(t, radix);
        } catch (NumberFormatException e) {
            throw new LexError("'" + raw + "' is not a number", column);
        }
    }

    private static String unescape(String s) {
        return s.replace("\\n", "\n").replace("\\t", "\t").replace("\\r", "\r").replace("\\0", "\0")
                .replace("\\'", "'").replace("\\\"", "\"").replace("\\`", "`").replace("\\\\", "\\");
    }
}
