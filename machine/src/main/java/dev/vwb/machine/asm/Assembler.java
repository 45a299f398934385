package dev.vwb.machine.asm;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Comparator;
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

    /** How deep includes may nest; NASM stops at a cycle, this stops at a runaway resolver too. */
    private static final int MAX_INCLUDE_DEPTH = 32;

    private final Includes includes;
    private final List<Placed> statements = new ArrayList<>();
    private final List<Found> errors = new ArrayList<>();
    private final Map<String, Long> symbols = new LinkedHashMap<>();
    private final Map<String, Placed> definedAt = new HashMap<>();
    private final LineParser parser = new LineParser();

    /**
     * A statement and where it stands: the file (the main file or an included one), how deeply
     * that file is included (0 for the main file) and its index among all statements.
     */
    private record Placed(Statement s, String file, int depth, int index) {
    }

    /** An error and the place in source order it sorts by: its statement's index. */
    private record Found(int order, Diagnostic d) {
    }

    private Assembler(Includes includes) {
        this.includes = includes;
    }

    /**
     * Assembles {@code source}; never throws for bad input: every problem is a
     * {@link Diagnostic} in the result, naming {@code fileName}, line and column. A
     * {@code %include} is an error here: there is nothing to include from (see
     * {@link #assemble(String, String, Includes)}).
     */
    public static Assembly assemble(String source, String fileName) {
        return assemble(source, fileName, null);
    }

    /**
     * Assembles {@code source}, reading the files its {@code %include} lines name through
     * {@code includes} (null: none). An included file's lines are assembled where the directive
     * stands, as NASM does; its labels are ordinary symbols, its diagnostics name it and its own
     * line numbers, and so does its part of the listing. A file that cannot be found and an
     * include cycle are diagnostics at the including line.
     */
    public static Assembly assemble(String source, String fileName, Includes includes) {
        Assembler a = new Assembler(includes);
        a.parse(source, fileName, new ArrayList<>());
        return a.run();
    }

    /** Parses one file's lines; {@code including} holds the files that include it, outermost first. */
    private void parse(String source, String file, List<String> including) {
        // A final newline ends the last line; it does not start another.
        String[] lines = source.split("\r?\n", -1);
        int count = lines.length > 1 && lines[lines.length - 1].isEmpty() ? lines.length - 1 : lines.length;
        for (int i = 0; i < count; i++) {
            int first = i;
            StringBuilder text = new StringBuilder(lines[i]);
            // A backslash ending a line joins the next one to it (NASM 3.1).
            while (endsWithBackslash(text) && i + 1 < count) {
                text.setLength(text.toString().stripTrailing().length() - 1);
                text.append(' ').append(lines[++i]);
            }
            try {
                Statement s = parser.parse(first + 1, lines[first], text.toString());
                Placed p = new Placed(s, file, including.size(), statements.size());
                statements.add(p);
                if (s.label() != null) {
                    Placed before = definedAt.putIfAbsent(s.label(), p);
                    if (before != null) {
                        error(p, s.labelColumn(), "label '" + s.label() + "' is already defined " + where(before, file));
                    }
                }
                if (s.kind() == Statement.Kind.INCLUDE) {
                    include(p, (String) s.args().get(0), including);
                }
            } catch (LineParser.ParseError e) {
                // The line stays in the listing, as a line that assembles to nothing.
                Placed p = new Placed(new Statement(first + 1, lines[first], null, 0, Statement.Kind.EMPTY, null, List.of(), null, 0,
                        List.of(), List.of()), file, including.size(), statements.size());
                statements.add(p);
                error(p, e.column, e.getMessage());
            }
        }
    }

    /** Reads and parses the file {@code %include} at {@code p} names, or says why it cannot. */
    private void include(Placed p, String name, List<String> including) {
        if (includes == null) {
            error(p, p.s().column(), "%include \"" + name + "\" needs a file to include from: assemble a file"
                    + " (./vwb asm FILE.asm) or pass an include resolver");
            return;
        }
        Includes.Source found = includes.find(name, p.file()).orElse(null);
        if (found == null) {
            error(p, p.s().column(), "cannot find the include file '" + name + "'");
            return;
        }
        List<String> chain = new ArrayList<>(including);
        chain.add(p.file());
        if (chain.contains(found.name())) {
            error(p, p.s().column(), "include cycle: " + String.join(" includes ", chain) + " includes " + found.name());
            return;
        }
        if (chain.size() > MAX_INCLUDE_DEPTH) {
            error(p, p.s().column(), "includes nest deeper than " + MAX_INCLUDE_DEPTH + " files");
            return;
        }
        parse(found.text(), found.name(), chain);
    }

    private static String where(Placed before, String file) {
        return before.file().equals(file) ? "on line " + before.s().line() : "in " + before.file() + " line " + before.s().line();
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
        // Source order: by statement (files in the order they are read), then by column; the
        // sort is stable, so a statement's errors keep the order they were found in.
        errors.sort(Comparator.comparingInt(Found::order).thenComparingInt(f -> f.d().column()));
        byte[] bytes = errors.isEmpty() ? last.out.toByteArray() : new byte[0];
        Set<String> constants = new HashSet<>();
        for (Placed p : statements) {
            if (p.s().kind() == Statement.Kind.EQU && p.s().label() != null) {
                constants.add(p.s().label());
            }
        }
        List<Diagnostic> found = errors.stream().map(Found::d).toList();
        return new Assembly(bytes, List.copyOf(last.listing), new LinkedHashMap<>(symbols), found, constants);
    }

    private void error(Placed p, int column, String message) {
        Diagnostic d = new Diagnostic(p.file(), p.s().line(), column, message);
        if (errors.stream().noneMatch(f -> f.d().equals(d))) {
            errors.add(new Found(p.index(), d));
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
        /** The statement being assembled, which errors are reported at. */
        Placed current;

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
            for (Placed p : statements) {
                Statement s = p.s();
                current = p;
                long start = here;
                int before = out.size();
                if (s.label() != null && s.kind() != Statement.Kind.EQU) {
                    symbols.put(s.label(), here);
                }
                try {
                    statement(s);
                } catch (Expr.Undefined e) {
                    undefined(e);
                } catch (Expr.Invalid e) {
                    report(e.column, e.getMessage());
                }
                if (last) {
                    byte[] all = out.toByteArray();
                    byte[] mine = java.util.Arrays.copyOfRange(all, before, all.length);
                    listing.add(new Assembly.ListingLine(s.line(), start, mine, s.source(), p.file(), p.depth()));
                }
            }
        }

        private void statement(Statement s) throws Expr.Undefined, Expr.Invalid {
            switch (s.kind()) {
                case EMPTY, INCLUDE -> { }
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
                        report(s.column(), "bits must be 16 or 32 (the CPU has no 64-bit mode)");
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
                    report(s.times().column(), "times needs a count of 0 or more, not " + count);
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
                report(s.column(), "align needs a power of two, not " + n);
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
                        report(((Expr) item).column(), "a register cannot be a data value");
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
                report(s.column(), "unknown instruction '" + m + "'" + (near != null ? " — did you mean '" + near + "'?" : ""));
                return;
            }
            List<Encoder.Evaluated> ops = new ArrayList<>();
            for (Operand o : s.operands()) {
                Expr.Value v = o.expr() == null ? null : value(s, o.expr());
                Expr.Value seg = o.segment() == null ? null : value(s, o.segment());
                if (o.type() == Operand.Type.IMM && v != null && !v.constant()) {
                    report(o.column(), "a register cannot be part of an immediate value; use [ ] for memory");
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
                report(s.operands().isEmpty() ? s.column() : s.operands().get(0).column(), msg);
            }
        }

        private Expr.Value value(Statement s, Expr e) throws Expr.Undefined, Expr.Invalid {
            return e.eval(this, !last);
        }

        private void emit(byte[] b) {
            out.write(b, 0, b.length);
            here += b.length;
        }

        private void report(int column, String message) {
            if (last) {
                error(current, column, message);
            }
        }

        private void undefined(Expr.Undefined e) {
            String near = Suggest.closest(e.name, symbols.keySet());
            report(e.column, "undefined label '" + e.name + "'" + (near != null ? " — did you mean '" + near + "'?" : ""));
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
