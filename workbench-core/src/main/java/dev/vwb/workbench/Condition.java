package dev.vwb.workbench;

import java.util.function.Predicate;

/**
 * A condition for {@link Vm#runUntil(Condition)}, checked after every retired instruction, with
 * a description for the report.
 */
public interface Condition {
    boolean test(Vm vm);

    String description();

    /** A condition from a predicate, named {@code description} in reports. */
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

    /**
     * The next instruction is at {@code symbol} of {@code vm}'s guest: its value as a linear
     * address, or in real mode as an offset in CS (see {@link Symbols}).
     */
    static Condition at(Vm vm, String symbol) {
        long a = vm.symbols().address(symbol);
        return of("CS:EIP reaches " + symbol, v -> Symbols.reached(v.machine().cpu(), a));
    }
}
