package dev.vwb.machine.asm;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A NASM-compatible assembler for flat binaries ({@code nasm -f bin}): the instructions the
 * vwb CPU executes, labels, expressions, and the directives lessons use. See
 * {@code package-info.java} for what is supported and the known limits.
 *
 * <pre>{@code
 * Assembly a = Assembler.assemble("bits 16\nstart: jmp start\n", "boot.asm");
 * a.bytes();   // EB FE
 * }</pre>
 */
public final class Assembler {
    /** Passes until label addresses stop moving; NASM's default optimizer allows as many. */
    private static final int MAX_PASSES = 40;

    private final String file;
    private final List<Statement> statements = new ArrayList<>();
    private final List<Diagnostic> errors = new ArrayList<>();
    private final Map<String, Long> symbols = new LinkedHashMap<>();
    private final Map<String, Integer> definedOn = new HashMap<>();

    private Assembler(String file) {
        this.file = file;
    }

    /**
     * Assembles {@code source}; never throws for bad input: every problem is a
     * {@link Diagnostic} in the result, naming {@code fileName}, line and column.
     */
    public static Assembly assemble(String source, String fileName) {
        Assembler a = new Assembler(fileName);
        a.parse(source);
        return a.run();
    }

    private void parse(String source) {
        String[] lines = source.split("\r?\n", -1);
        LineParser parser = new LineParser();
        for (int i = 0; i < lines.length; i++) {
            int first = i;
            StringBuilder text = new StringBuilder(lines[i]);
            // A backslash ending a line joins the next one to it (NASM 3.1).
            while (endsWithBackslash(text) && i + 1 < lines.length) {
                text.setLength(text.toString().stripTrailing().length() - 1);
                text.append(' ').append(lines[++i]);
            }
            try {
                Statement s = parser.parse(first + 1, lines[first], text.toString());
                if (s.label() != null) {
                    Integer before = definedOn.putIfAbsent(s.label(), s.line());
                    if (before != null) {
                        error(s.line(), s.labelColumn(), "label '" + s.label() + "' is already defined on line " + before);
                    }
                }
                statements.add(s);
            } catch (LineParser.ParseError e) {
                error(first + 1, e.column, e.getMessage());
            }
        }
    }

    private static boolean endsWithBackslash(StringBuilder sb) {
        String s = sb.toString();
        int semi = s.indexOf(';');
        String code = (semi >= 0 ? s.substring(0, semi) : s).stripTrailing();
        return semi < 0 && code.endsWith("\\");
    }

    private Assembly run() {
        Map<String, Long> previous = null;
        for (int pass = 0; pass < MAX_PASSES; pass++) {
            new Pass(false).run();
            if (symbols.equals(previous)) {
                break;
            }
            previous = new HashMap<>(symbols);
        }
        Pass last = new Pass(true);
        last.run();
        errors.sort((a, b) -> a.line() != b.line() ? Integer.compare(a.line(), b.line()) : Integer.compare(a.column(), b.column()));
        byte[] bytes = errors.isEmpty() ? last.out.toByteArray() : new byte[0];
        Set<String> constants = new HashSet<>();
        for (Statement s : statements) {
            if (s.kind() == Statement.Kind.EQU && s.label() != null) {
                constants.add(s.label());
            }
        }
        return new Assembly(bytes, List.copyOf(last.listing), new LinkedHashMap<>(symbols), List.copyOf(errors), constants);
    }

    private void error(int line, int column, String message) {
        Diagnostic d = new Diagnostic(file, line, column, message);
        if (!errors.contains(d)) {
            errors.add(d);
        }
    }

    /** One pass over the statements; the last one reports errors and keeps the bytes. */
    private final class Pass implements Expr.Env {
        final boolean last;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final List<Assembly.ListingLine> listing = new ArrayList<>();
        long origin;
        long here;
        int bits = 16;

        Pass(boolean last) {
            this.last = last;
        }

        @Override
        public Long symbol(String name) {
            return symbols.get(name);
        }

        @Override
        public long here() {
            return here;
        }

        @Override
        public long sectionStart() {
            return origin;
        }

        void run() {
            for (Statement s : statements) {
                long start = here;
                int before = out.size();
                if (s.label() != null && s.kind() != Statement.Kind.EQU) {
                    symbols.put(s.label(), here);
                }
                try {
                    statement(s);
                } catch (Expr.Undefined e) {
                    undefined(s, e);
                } catch (Expr.Invalid e) {
                    report(s, e.column, e.getMessage());
                }
                if (last) {
                    byte[] all = out.toByteArray();
                    byte[] mine = java.util.Arrays.copyOfRange(all, before, all.length);
                    listing.add(new Assembly.ListingLine(s.line(), start, mine, s.source()));
                }
            }
        }

        private void statement(Statement s) throws Expr.Undefined, Expr.Invalid {
            switch (s.kind()) {
                case EMPTY -> { }
                case EQU -> {
                    Expr.Value v = value(s, (Expr) s.args().get(0));
                    if (v.known()) {
                        symbols.put(s.label(), v.k());
                    } else {
                        symbols.remove(s.label());
                    }
                }
                case ORG -> {
                    origin = value(s, (Expr) s.args().get(0)).k();
                    here = origin + out.size();
                }
                case BITS -> {
                    long b = value(s, (Expr) s.args().get(0)).k();
                    if (b != 16 && b != 32) {
                        report(s, s.column(), "bits must be 16 or 32 (the CPU has no 64-bit mode)");
                    } else {
                        bits = (int) b;
                    }
                }
                case ALIGN -> align(s);
                default -> repeat(s);
            }
        }

        private void repeat(Statement s) throws Expr.Undefined, Expr.Invalid {
            long count = 1;
            if (s.times() != null) {
                Expr.Value v = value(s, s.times());
                count = v.known() ? v.k() : 0;
                if (count < 0) {
                    report(s, s.times().column(), "times needs a count of 0 or more, not " + count);
                    count = 0;
                }
            }
            for (long i = 0; i < count; i++) {
                switch (s.kind()) {
                    case DATA -> data(s);
                    case RESERVE -> {
                        long n = value(s, (Expr) s.args().get(0)).k() * width(s.mnemonic());
                        emit(new byte[(int) Math.max(0, Math.min(n, 1 << 24))]);
                    }
                    default -> instruction(s);
                }
            }
        }

        private void align(Statement s) throws Expr.Undefined, Expr.Invalid {
            long n = value(s, (Expr) s.args().get(0)).k();
            if (n <= 0 || (n & (n - 1)) != 0) {
                report(s, s.column(), "align needs a power of two, not " + n);
                return;
            }
            long pad = (n - ((here - origin) % n)) % n;
            // NASM's align macro pads code with NOPs; alignb and "align n, db 0" with zeros.
            byte fill = s.mnemonic().equals("alignb") || s.args().size() > 1 ? 0 : (byte) 0x90;
            byte[] b = new byte[(int) pad];
            java.util.Arrays.fill(b, fill);
            emit(b);
        }

        private void data(Statement s) throws Expr.Undefined, Expr.Invalid {
            int w = width(s.mnemonic());
            for (Object item : s.args()) {
                if (item instanceof Statement.Str str) {
                    byte[] b = str.text().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
                    int padded = (b.length + w - 1) / w * w;
                    emit(java.util.Arrays.copyOf(b, Math.max(padded, b.length == 0 ? 0 : w)));
                } else {
                    Expr.Value v = value(s, (Expr) item);
                    if (!v.constant()) {
                        report(s, ((Expr) item).column(), "a register cannot be a data value");
                    }
                    ByteArrayOutputStream b = new ByteArrayOutputStream();
                    MemoryEncoding.le(b, v.k(), w);
                    emit(b.toByteArray());
                }
            }
        }

        private void instruction(Statement s) throws Expr.Undefined, Expr.Invalid {
            String m = s.mnemonic();
            if (LineParser.PREFIXES.contains(m) && s.operands().isEmpty()) {
                emit(new byte[] {(byte) prefixByte(m)});
                return;
            }
            if (Forms.get().byMnemonic(m).isEmpty()) {
                String near = Suggest.closest(m, Forms.get().mnemonics());
                report(s, s.column(), "unknown instruction '" + m + "'" + (near != null ? " — did you mean '" + near + "'?" : ""));
                return;
            }
            List<Encoder.Evaluated> ops = new ArrayList<>();
            for (Operand o : s.operands()) {
                Expr.Value v = o.expr() == null ? null : value(s, o.expr());
                Expr.Value seg = o.segment() == null ? null : value(s, o.segment());
                if (o.type() == Operand.Type.IMM && v != null && !v.constant()) {
                    report(s, o.column(), "a register cannot be part of an immediate value; use [ ] for memory");
                    return;
                }
                ops.add(new Encoder.Evaluated(o, v, seg));
            }
            Encoder.Result r = Encoder.encode(m, s.prefixes(), ops, bits, here);
            if (r.ok()) {
                emit(r.bytes());
                return;
            }
            if (last) {
                String msg = r.message() != null ? r.message()
                        : "invalid combination of operands for '" + m + "' (" + describe(s.operands()) + ")";
                report(s, s.operands().isEmpty() ? s.column() : s.operands().get(0).column(), msg);
            }
        }

        private Expr.Value value(Statement s, Expr e) throws Expr.Undefined, Expr.Invalid {
            return e.eval(this, !last);
        }

        private void emit(byte[] b) {
            out.write(b, 0, b.length);
            here += b.length;
        }

        private void report(Statement s, int column, String message) {
            if (last) {
                error(s.line(), column, message);
            }
        }

        private void undefined(Statement s, Expr.Undefined e) {
            String near = Suggest.closest(e.name, symbols.keySet());
            report(s, e.column, "undefined label '" + e.name + "'" + (near != null ? " — did you mean '" + near + "'?" : ""));
        }
    }

    private static int width(String directive) {
        return switch (directive.charAt(directive.length() - 1)) {
            case 'b' -> 1;
            case 'w' -> 2;
            case 'd' -> 4;
            default -> 8;
        };
    }

    private static int prefixByte(String p) {
        return switch (p) {
            case "lock" -> 0xF0;
            case "repne", "repnz" -> 0xF2;
            case "o16", "o32" -> 0x66;
            case "a16", "a32" -> 0x67;
            default -> 0xF3;
        };
    }

    private static String describe(List<Operand> ops) {
        List<String> kinds = new ArrayList<>();
        for (Operand o : ops) {
            kinds.add(switch (o.type()) {
                case REG -> o.reg().kind().startsWith("r") ? o.reg().size() + "-bit register" : o.reg().name();
                case MEM -> (o.size() != 0 ? o.size() + "-bit " : "") + "memory";
                case IMM -> "immediate";
                case FAR -> "far address";
            });
        }
        return kinds.isEmpty() ? "no operands" : String.join(", ", kinds);
    }
}
