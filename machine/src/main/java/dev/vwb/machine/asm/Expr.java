package dev.vwb.machine.asm;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An expression tree (NASM manual 3.5). Evaluation is linear so that memory operands such as
 * {@code [ebx+ecx*4+table-2]} come out as registers with scales plus a constant.
 */
sealed interface Expr {

    /** What symbols resolve to while evaluating; null means "not known yet". */
    interface Env {
        Long symbol(String name);

        long here();

        long sectionStart();
    }

    /** A symbol the environment does not know; carries the column for the message. */
    final class Undefined extends Exception {
        final String name;
        final int column;

        Undefined(String name, int column) {
            super(name, null, false, false);
            this.name = name;
            this.column = column;
        }
    }

    /** An expression that is not linear in registers, e.g. {@code eax*ebx}. */
    final class Invalid extends Exception {
        final int column;

        Invalid(String message, int column) {
            super(message, null, false, false);
            this.column = column;
        }
    }

    /**
     * A value: a constant plus registers with their multipliers (insertion order kept, because
     * the first register written is the base). {@code known} is false when a forward
     * reference was taken as 0 on an early pass.
     */
    record Value(long k, boolean known, Map<Regs.Reg, Long> regs) {
        static Value of(long k) {
            return new Value(k, true, Map.of());
        }

        boolean constant() {
            return regs.isEmpty();
        }
    }

    Value eval(Env env, boolean allowUnknown) throws Undefined, Invalid;

    int column();

    record Num(long v, int column) implements Expr {
        public Value eval(Env env, boolean allowUnknown) {
            return Value.of(v);
        }
    }

    record Here(boolean start, int column) implements Expr {
        public Value eval(Env env, boolean allowUnknown) {
            return Value.of(start ? env.sectionStart() : env.here());
        }
    }

    record Reg(Regs.Reg reg, int column) implements Expr {
        public Value eval(Env env, boolean allowUnknown) {
            Map<Regs.Reg, Long> m = new LinkedHashMap<>();
            m.put(reg, 1L);
            return new Value(0, true, m);
        }
    }

    record Sym(String name, int column) implements Expr {
        public Value eval(Env env, boolean allowUnknown) throws Undefined {
            Long v = env.symbol(name);
            if (v != null) {
                return Value.of(v);
            }
            if (allowUnknown) {
                return new Value(0, false, Map.of());
            }
            throw new Undefined(name, column);
        }
    }

    record Unary(String op, Expr e, int column) implements Expr {
        public Value eval(Env env, boolean allowUnknown) throws Undefined, Invalid {
            Value v = e.eval(env, allowUnknown);
            if (op.equals("+")) {
                return v;
            }
            if (op.equals("-")) {
                return scale(v, -1);
            }
            requireConstant(v, column);
            long r = op.equals("~") ? ~v.k() : v.k() == 0 ? 1 : 0;
            return new Value(r, v.known(), Map.of());
        }
    }

    record Binary(String op, Expr l, Expr r, int column) implements Expr {
        public Value eval(Env env, boolean allowUnknown) throws Undefined, Invalid {
            Value a = l.eval(env, allowUnknown);
            Value b = r.eval(env, allowUnknown);
            boolean known = a.known() && b.known();
            switch (op) {
                case "+":
                    return add(a, b, 1);
                case "-":
                    return add(a, b, -1);
                case "*":
                    if (a.constant()) {
                        return withKnown(scale(b, a.k()), known);
                    }
                    if (b.constant()) {
                        return withKnown(scale(a, b.k()), known);
                    }
                    throw new Invalid("a register can only be multiplied by a constant", column);
                default:
                    break;
            }
            requireConstant(a, column);
            requireConstant(b, column);
            long x = a.k();
            long y = b.k();
            if ((op.equals("/") || op.equals("//") || op.equals("%") || op.equals("%%")) && y == 0) {
                if (!known) {
                    return new Value(0, false, Map.of());
                }
                throw new Invalid("division by zero", column);
            }
            long v = switch (op) {
                case "/" -> Long.divideUnsigned(x, y);
                case "//" -> x / y;
                case "%" -> Long.remainderUnsigned(x, y);
                case "%%" -> x % y;
                case "<<" -> x << y;
                case ">>" -> x >>> y;
                case "&" -> x & y;
                case "|" -> x | y;
                case "^" -> x ^ y;
                default -> throw new Invalid("unknown operator " + op, column);
            };
            return new Value(v, known, Map.of());
        }
    }

    private static void requireConstant(Value v, int column) throws Invalid {
        if (!v.constant()) {
            throw new Invalid("registers can only be added, subtracted or scaled", column);
        }
    }

    private static Value withKnown(Value v, boolean known) {
        return new Value(v.k(), known, v.regs());
    }

    private static Value scale(Value v, long f) {
        Map<Regs.Reg, Long> m = new LinkedHashMap<>();
        v.regs().forEach((reg, c) -> m.put(reg, c * f));
        return new Value(v.k() * f, v.known(), m);
    }

    private static Value add(Value a, Value b, long sign) {
        Map<Regs.Reg, Long> m = new LinkedHashMap<>(a.regs());
        b.regs().forEach((reg, c) -> m.merge(reg, c * sign, Long::sum));
        m.values().removeIf(c -> c == 0);
        return new Value(a.k() + sign * b.k(), a.known() && b.known(), m);
    }
}
