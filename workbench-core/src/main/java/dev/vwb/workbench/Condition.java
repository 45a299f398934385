package dev.vwb.workbench;

import java.util.function.Predicate;

/**
 * A condition for {@link Vm#runUntil(Condition)}, checked after every retired instruction, with
 * a description for the report.
 */
public interface Condition {
    boolean test(Vm vm);

    String description();

    static Condition of(String description, Predicate<Vm> test) {
        return new Condition() {
            @Override
            public boolean test(Vm vm) {
                return test.test(vm);
            }

            @Override
            public String description() {
                return description;
            }

            @Override
            public String toString() {
                return description;
            }
        };
    }

    /** The next instruction is at linear address {@code linear}. */
    static Condition at(long linear) {
        long a = linear & 0xFFFF_FFFFL;
        return of(String.format("CS:EIP reaches linear %08X", a), vm -> vm.where().linear() == a);
    }

    /** The next instruction is at {@code symbol} (its value as a linear address, or as an offset in CS). */
    static Condition at(Vm vm, String symbol) {
        long a = vm.symbols().address(symbol) & 0xFFFF_FFFFL;
        return of("CS:EIP reaches " + symbol, v -> v.where().linear() == a || (v.eip() & 0xFFFF_FFFFL) == a);
    }

    /** {@code count} more instructions have retired. */
    static Condition instructions(Vm vm, long count) {
        long target = vm.time() + count;
        return of(count + " instructions", v -> v.time() >= target);
    }
}
