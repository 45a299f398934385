package dev.vwb.machine.asm;

import java.util.List;

/**
 * Parses expressions by NASM's precedence (manual 3.5): {@code |}, {@code ^}, {@code &},
 * {@code << >>}, {@code + -}, {@code * / // % %%}, then unary {@code + - ~ !}.
 */
final class ExprParser {
    private static final String[][] LEVELS = {{"|"}, {"^"}, {"&"}, {"<<", ">>"}, {"+", "-"}, {"*", "/", "//", "%", "%%"}};

    private final List<Token> tokens;
    int pos;

    /** A syntax error at a column. */
    static final class SyntaxError extends Exception {
        final int column;

        SyntaxError(String message, int column) {
            super(message, null, false, false);
            this.column = column;
        }
    }

    ExprParser(List<Token> tokens, int pos) {
        this.tokens = tokens;
        this.pos = pos;
    }

    Token peek() {
        return tokens.get(pos);
    }

    /** The token after the next one. */
    Token tokensAfter() {
        return tokens.get(Math.min(pos + 1, tokens.size() - 1));
    }

    Token next() {
        return tokens.get(pos++);
    }

    Expr parse() throws SyntaxError {
        return level(0);
    }

    private Expr level(int l) throws SyntaxError {
        if (l == LEVELS.length) {
            return unary();
        }
        Expr left = level(l + 1);
        for (;;) {
            Token t = peek();
            String op = null;
            for (String candidate : LEVELS[l]) {
                if (t.is(candidate)) {
                    op = candidate;
                }
            }
            if (op == null) {
                return left;
            }
            next();
            left = new Expr.Binary(op, left, level(l + 1), t.column());
        }
    }

    private Expr unary() throws SyntaxError {
        Token t = peek();
        if (t.is("-") || t.is("+") || t.is("~") || t.is("!")) {
            next();
            return new Expr.Unary(t.text(), unary(), t.column());
        }
        return primary();
    }

    private Expr primary() throws SyntaxError {
        Token t = next();
        switch (t.type()) {
            case NUMBER:
                return new Expr.Num(t.value(), t.column());
            case STRING:
                return new Expr.Num(charConstant(t.text()), t.column());
            case IDENT:
                if (t.text().equals("$")) {
                    return new Expr.Here(false, t.column());
                }
                if (t.text().equals("$$")) {
                    return new Expr.Here(true, t.column());
                }
                Regs.Reg r = Regs.parse(t.text());
                if (r != null) {
                    return new Expr.Reg(r, t.column());
                }
                return new Expr.Sym(t.text(), t.column());
            case PUNCT:
                if (t.is("(")) {
                    Expr e = parse();
                    if (!peek().is(")")) {
                        throw new SyntaxError("expected ')'", peek().column());
                    }
                    next();
                    return e;
                }
                throw new SyntaxError("expected a number, a label or '(' but found '" + t.text() + "'", t.column());
            default:
                throw new SyntaxError("expression expected", t.column());
        }
    }

    /** A character constant: the bytes of the string, little-endian (NASM 3.4.3). */
    static long charConstant(String s) {
        long v = 0;
        for (int i = Math.min(8, s.length()) - 1; i >= 0; i--) {
            v = (v << 8) | (s.charAt(i) & 0xFF);
        }
        return v;
    }
}
