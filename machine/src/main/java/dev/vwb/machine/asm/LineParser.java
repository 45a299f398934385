package dev.vwb.machine.asm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses source lines into {@link Statement}s (NASM manual 3.1: {@code label: instruction
 * operands ; comment}). Keeps the state that spans lines: the last global label, which local
 * labels ({@code .x}) hang under (3.9), and {@code %define}d names (4.1.1); names what
 * {@code %include} (4.6.1) includes, which the assembler reads.
 */
final class LineParser {
    static final Set<String> PREFIXES = Set.of("lock", "rep", "repe", "repz", "repne", "repnz", "a16", "a32", "o16", "o32");
    static final Set<String> DATA = Set.of("db", "dw", "dd", "dq");
    static final Set<String> RESERVE = Set.of("resb", "resw", "resd", "resq");
    private static final Map<String, Integer> SIZES = Map.of("byte", 8, "word", 16, "dword", 32, "qword", 64);

    private final Map<String, List<Token>> defines = new HashMap<>();
    private String scope = "";

    /** A syntax error at a column. */
    static final class ParseError extends Exception {
        final int column;

        ParseError(String message, int column) {
            super(message, null, false, false);
            this.column = column;
        }
    }

    Statement parse(int lineNo, String source, String text) throws ParseError {
        try {
            return parseLine(lineNo, source, text);
        } catch (ExprParser.SyntaxError e) {
            throw new ParseError(e.getMessage(), e.column);
        }
    }

    private Statement parseLine(int lineNo, String source, String text) throws ParseError, ExprParser.SyntaxError {
        List<Token> toks;
        try {
            toks = Lexer.tokens(text);
        } catch (Lexer.LexError e) {
            throw new ParseError(e.getMessage(), e.column);
        }
        if (toks.get(0).type() == Token.Type.END) {
            return empty(lineNo, source);
        }
        String trimmed = text.trim();
        if (trimmed.startsWith("%")) {
            return directive(lineNo, source, trimmed);
        }
        toks = substitute(toks);
        int p = 0;
        // "[bits 32]" and "[org 0x7c00]": the bracketed, primitive forms of the directives.
        if (toks.get(0).is("[") && toks.get(toks.size() - 2).is("]")) {
            toks = new ArrayList<>(toks.subList(1, toks.size() - 2));
            toks.add(new Token(Token.Type.END, "", 0, text.length() + 1));
        }
        String label = null;
        int labelColumn = 0;
        Token first = toks.get(0);
        if (first.type() == Token.Type.IDENT && !isKeyword(first.text())) {
            Token after = toks.get(1);
            boolean colon = after.is(":");
            // Without a colon, a word is a label only before an instruction or at the end of the
            // line; "movv ax, bx" is a misspelt instruction, not a label.
            boolean beforeKeyword = after.type() == Token.Type.IDENT && isKeyword(after.text());
            if (colon || beforeKeyword || after.type() == Token.Type.END) {
                label = qualify(first.text());
                labelColumn = first.column();
                if (!first.text().startsWith(".")) {
                    scope = first.text();
                }
                p = colon ? 2 : 1;
            }
        }
        Token t = toks.get(p);
        if (t.type() == Token.Type.END) {
            if (label == null) {
                throw new ParseError("expected an instruction or a label", t.column());
            }
            return new Statement(lineNo, source, label, labelColumn, Statement.Kind.EMPTY, null, List.of(), null, 0, List.of(), List.of());
        }
        if (t.isWord("equ")) {
            if (label == null) {
                throw new ParseError("'equ' needs a label before it", t.column());
            }
            ExprParser ep = exprs(toks, p + 1);
            Expr e = ep.parse();
            end(ep);
            return new Statement(lineNo, source, label, labelColumn, Statement.Kind.EQU, null, List.of(), "equ", t.column(), List.of(), List.of(e));
        }
        Expr times = null;
        if (t.isWord("times")) {
            ExprParser ep = exprs(toks, p + 1);
            times = ep.parse();
            p = ep.pos;
            t = toks.get(p);
        }
        List<String> prefixes = new ArrayList<>();
        while (t.type() == Token.Type.IDENT && PREFIXES.contains(lower(t.text()))) {
            prefixes.add(lower(t.text()));
            t = toks.get(++p);
        }
        if (t.type() == Token.Type.END) {
            if (prefixes.isEmpty()) {
                throw new ParseError("expected an instruction after 'times'", t.column());
            }
            // A prefix alone on a line is emitted as a byte, as NASM does.
            String m = prefixes.remove(prefixes.size() - 1);
            return new Statement(lineNo, source, label, labelColumn, Statement.Kind.INSTRUCTION, times, prefixes, m, t.column(), List.of(), List.of());
        }
        if (t.type() != Token.Type.IDENT) {
            throw new ParseError("expected an instruction but found '" + t.text() + "'", t.column());
        }
        String m = lower(t.text());
        int col = t.column();
        p++;
        Statement.Kind kind;
        List<Object> args = new ArrayList<>();
        List<Operand> operands = new ArrayList<>();
        if (DATA.contains(m)) {
            kind = Statement.Kind.DATA;
            dataItems(toks, p, args);
        } else if (RESERVE.contains(m) || m.equals("org") || m.equals("align") || m.equals("alignb")) {
            kind = m.equals("org") ? Statement.Kind.ORG : m.startsWith("align") ? Statement.Kind.ALIGN : Statement.Kind.RESERVE;
            ExprParser ep = exprs(toks, p);
            args.add(ep.parse());
            if (ep.peek().is(",") && kind == Statement.Kind.ALIGN) {
                ep.next();
                Token fill = ep.next();
                args.add(fill.text());
            }
            end(ep);
        } else if (m.equals("bits") || m.equals("use16") || m.equals("use32")) {
            kind = Statement.Kind.BITS;
            if (m.equals("bits")) {
                ExprParser ep = exprs(toks, p);
                args.add(ep.parse());
                end(ep);
            } else {
                args.add(new Expr.Num(m.equals("use16") ? 16 : 32, col));
            }
        } else if (m.equals("section") || m.equals("segment") || m.equals("global") || m.equals("extern") || m.equals("cpu")) {
            kind = Statement.Kind.EMPTY; // one flat section; nothing to link
        } else {
            kind = Statement.Kind.INSTRUCTION;
            operands(toks, p, operands);
        }
        return new Statement(lineNo, source, label, labelColumn, kind, times, prefixes, m, col, operands, args);
    }

    private Statement empty(int lineNo, String source) {
        return new Statement(lineNo, source, null, 0, Statement.Kind.EMPTY, null, List.of(), null, 0, List.of(), List.of());
    }

    /** {@code %define NAME value}: later lines see NAME replaced by the value's tokens. */
    private Statement directive(int lineNo, String source, String text) throws ParseError {
        int col = source.indexOf('%') + 1;
        String[] w = text.split("\\s+", 3);
        String d = lower(w[0]);
        if (d.equals("%define") || d.equals("%xdefine") || d.equals("%assign")) {
            if (w.length < 2 || !w[1].matches("[A-Za-z_.?][A-Za-z0-9_.$#@~?]*")) {
                throw new ParseError(d + " needs a name", col);
            }
            try {
                List<Token> value = substitute(Lexer.tokens(w.length > 2 ? w[2] : ""));
                defines.put(w[1], value.subList(0, value.size() - 1));
            } catch (Lexer.LexError e) {
                throw new ParseError(e.getMessage(), col + e.column);
            }
            return empty(lineNo, source);
        }
        if (d.equals("%undef") && w.length >= 2) {
            defines.remove(w[1]);
            return empty(lineNo, source);
        }
        if (d.equals("%include") || d.startsWith("%include\"") || d.startsWith("%include'")) {
            return include(lineNo, source, text.substring("%include".length()).trim(), col);
        }
        throw new ParseError("unsupported preprocessor directive '" + w[0] + "' (only %define, %assign, %undef and %include)", col);
    }

    /**
     * {@code %include "file"} (4.6.1): the name in double or single quotes, nothing after it but a
     * comment. The assembler reads the file; this only names it.
     */
    private Statement include(int lineNo, String source, String rest, int col) throws ParseError {
        char q = rest.isEmpty() ? ' ' : rest.charAt(0);
        int close = q == '"' || q == '\'' ? rest.indexOf(q, 1) : -1;
        if (close < 0) {
            throw new ParseError("%include needs a file name in quotes, as in %include \"com1.inc\"", col);
        }
        String after = rest.substring(close + 1).trim();
        if (!after.isEmpty() && !after.startsWith(";")) {
            throw new ParseError("unexpected '" + after + "' after the file name of %include", col);
        }
        String name = rest.substring(1, close);
        if (name.isEmpty()) {
            throw new ParseError("%include needs a file name in quotes, as in %include \"com1.inc\"", col);
        }
        return new Statement(lineNo, source, null, 0, Statement.Kind.INCLUDE, null, List.of(), "%include", col, List.of(),
                List.of(name));
    }

    private List<Token> substitute(List<Token> toks) {
        if (defines.isEmpty()) {
            return toks;
        }
        List<Token> out = new ArrayList<>();
        for (Token t : toks) {
            List<Token> v = t.type() == Token.Type.IDENT ? defines.get(t.text()) : null;
            if (v == null) {
                out.add(t);
            } else {
                for (Token r : v) {
                    out.add(new Token(r.type(), r.text(), r.value(), t.column()));
                }
            }
        }
        return out;
    }

    private boolean isKeyword(String word) {
        String w = lower(word);
        return Forms.get().isMnemonic(w) || PREFIXES.contains(w) || DATA.contains(w) || RESERVE.contains(w)
                || Set.of("times", "equ", "org", "bits", "align", "alignb", "section", "segment", "global", "extern",
                "use16", "use32", "cpu").contains(w);
    }

    private String qualify(String name) {
        return name.startsWith(".") && !name.startsWith("..") ? scope + name : name;
    }

    private ExprParser exprs(List<Token> toks, int p) {
        List<Token> q = new ArrayList<>(toks.size());
        for (Token t : toks) {
            q.add(t.type() == Token.Type.IDENT && t.text().startsWith(".") && !t.text().startsWith("..")
                    ? new Token(t.type(), qualify(t.text()), 0, t.column()) : t);
        }
        return new ExprParser(q, p);
    }

    private static void end(ExprParser ep) throws ParseError {
        Token t = ep.peek();
        if (t.type() != Token.Type.END) {
            throw new ParseError("unexpected '" + t.text() + "' after the expression", t.column());
        }
    }

    private void dataItems(List<Token> toks, int p, List<Object> args) throws ParseError, ExprParser.SyntaxError {
        ExprParser ep = exprs(toks, p);
        for (;;) {
            Token t = ep.peek();
            if (t.type() == Token.Type.END) {
                throw new ParseError("expected a value", t.column());
            }
            Token after = ep.tokensAfter();
            if (t.type() == Token.Type.STRING && (after.is(",") || after.type() == Token.Type.END)) {
                ep.next();
                args.add(new Statement.Str(t.text()));
            } else if (t.is("?") || t.text().equals("?")) {
                ep.next();
                args.add(new Expr.Num(0, t.column()));
            } else {
                args.add(ep.parse());
            }
            if (!ep.peek().is(",")) {
                end(ep);
                return;
            }
            ep.next();
        }
    }

    private void operands(List<Token> toks, int p, List<Operand> out) throws ParseError {
        ExprParser ep = exprs(toks, p);
        if (ep.peek().type() == Token.Type.END) {
            return;
        }
        for (;;) {
            out.add(operand(ep));
            if (ep.peek().type() == Token.Type.END) {
                return;
            }
            if (!ep.peek().is(",")) {
                throw new ParseError("expected ',' between operands but found '" + ep.peek().text() + "'", ep.peek().column());
            }
            ep.next();
        }
    }

    private Operand operand(ExprParser ep) throws ParseError {
        int column = ep.peek().column();
        int size = 0;
        String qualifier = null;
        for (;;) {
            Token t = ep.peek();
            String w = t.type() == Token.Type.IDENT ? lower(t.text()) : "";
            if (SIZES.containsKey(w)) {
                size = SIZES.get(w);
            } else if (w.equals("short") || w.equals("near") || w.equals("far")) {
                qualifier = w;
            } else if (!w.equals("strict")) {
                break;
            }
            ep.next();
        }
        Token t = ep.peek();
        if (t.is("[")) {
            ep.next();
            int dispSize = 0;
            int seg = -1;
            Token s = ep.peek();
            if (s.type() == Token.Type.IDENT && SIZES.containsKey(lower(s.text()))) {
                dispSize = SIZES.get(lower(s.text()));
                ep.next();
            }
            s = ep.peek();
            Regs.Reg r = s.type() == Token.Type.IDENT ? Regs.parse(s.text()) : null;
            if (r != null && r.kind().equals("sreg") && ep.tokensAfter().is(":")) {
                seg = r.n();
                ep.next();
                ep.next();
            }
            Expr e = parseExpr(ep);
            if (!ep.peek().is("]")) {
                throw new ParseError("expected ']' to close the memory operand", ep.peek().column());
            }
            ep.next();
            return new Operand(Operand.Type.MEM, null, e, null, size, qualifier, seg, dispSize, column);
        }
        if (t.type() == Token.Type.IDENT) {
            Regs.Reg r = Regs.parse(t.text());
            Token after = ep.tokensAfter();
            if (r != null && (after.is(",") || after.type() == Token.Type.END)) {
                ep.next();
                return new Operand(Operand.Type.REG, r, null, null, size, qualifier, -1, 0, column);
            }
        }
        Expr e = parseExpr(ep);
        if (ep.peek().is(":")) {
            ep.next();
            Expr off = parseExpr(ep);
            return new Operand(Operand.Type.FAR, null, off, e, size, qualifier, -1, 0, column);
        }
        return new Operand(Operand.Type.IMM, null, e, null, size, qualifier, -1, 0, column);
    }

    private static Expr parseExpr(ExprParser ep) throws ParseError {
        try {
            return ep.parse();
        } catch (ExprParser.SyntaxError e) {
            throw new ParseError(e.getMessage(), e.column);
        }
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
