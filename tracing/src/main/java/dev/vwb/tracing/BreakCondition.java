package dev.vwb.tracing;

import dev.vwb.machine.cpu.Cpu;
import dev.vwb.machine.cpu.Vectors;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * When a {@link Breakpoint} fires. The first five are checked before each instruction (the run
 * stops with the instruction not executed, and continuing runs it once before checking again);
 * the others ({@link Vector}, {@link Memory}, {@link Port}) fire during an instruction or a
 * delivery and stop the run after it.
 */
public sealed interface BreakCondition {
    /** Whether it is checked before each instruction (an execution breakpoint); the three that are not say so. */
    default boolean beforeInstruction() {
        return true;
    }

    /** Execution at a linear address (CS base + EIP). */
    record Address(long linear) implements BreakCondition {
        @Override
        public String toString() {
            return String.format("execution at %08X", linear);
        }
    }

    /** Execution at a physical address: CS:EIP translated through the page tables of the moment. */
    record PhysicalAddress(long physical) implements BreakCondition {
        @Override
        public String toString() {
            return String.format("execution at physical %08X", physical);
        }
    }

    /** Every instruction with this mnemonic ({@code hlt}, {@code mov}, {@code iret}...). */
    record Mnemonic(String mnemonic) implements BreakCondition {
        @Override
        public String toString() {
            return "every " + mnemonic;
        }
    }

    /** Every instruction of a class (e.g. every privileged instruction). */
    record OfClass(InsnClass insnClass) implements BreakCondition {
        @Override
        public String toString() {
            return "every " + insnClass.name().toLowerCase(Locale.ROOT).replace('_', ' ') + " instruction";
        }
    }

    /** Before each instruction, when a Java predicate over the CPU holds. */
    record When(String description, Predicate<Cpu> predicate) implements BreakCondition {
        @Override
        public String toString() {
            return "when " + description;
        }
    }

    /** An exception or interrupt with this vector: seen before its delivery, the run stops after it, at the handler. */
    record Vector(int vector) implements BreakCondition {
        public Vector {
            if (vector < 0 || vector > 255) {
                throw new IllegalArgumentException("a vector is 0 to 255, not " + vector);
            }
        }

        @Override
        public boolean beforeInstruction() {
            return false;
        }

        @Override
        public String toString() {
            return "vector " + vector + " (" + Vectors.name(vector) + ")";
        }
    }

    /**
     * A hypervisor's VM exit whose reason is {@code reason} (as the hypervisor labels it, e.g.
     * "privileged instruction", "port I/O", "halt"; case and spacing do not matter), or any exit
     * for "any". The run stops after the exit was handled.
     */
    record VmExitReason(String reason) implements BreakCondition {
        public VmExitReason {
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("a VM-exit breakpoint needs a reason (or \"any\")");
            }
        }

        @Override
        public boolean beforeInstruction() {
            return false;
        }

        boolean matches(String exitReason) {
            return reason.equalsIgnoreCase("any") || normal(reason).equals(normal(exitReason));
        }

        private static String normal(String s) {
            return s.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "");
        }

        @Override
        public String toString() {
            return "VM exit " + reason;
        }
    }

    /** A data access to any byte of a linear range (a watchpoint). */
    record Memory(AddressRange range, Access access) implements BreakCondition {
        @Override
        public boolean beforeInstruction() {
            return false;
        }

        @Override
        public String toString() {
            return access.spelling + " of " + range;
        }
    }

    /** IN or OUT on a port in {@code [first, last]}. */
    record Port(int first, int last) implements BreakCondition {
        public Port {
            if (first < 0 || last > 0xFFFF || first > last) {
                throw new IllegalArgumentException(String.format("ports are 0 to FFFFh, first <= last, not %X..%X", first, last));
            }
        }

        @Override
        public boolean beforeInstruction() {
            return false;
        }

        @Override
        public String toString() {
            return first == last ? String.format("I/O on port %04X", first) : String.format("I/O on ports %04X..%04X", first, last);
        }
    }

    /** Which accesses a memory watchpoint sees. */
    enum Access {
        READ("read"), WRITE("write"), READ_WRITE("read or write");

        private final String spelling;

        Access(String spelling) {
            this.spelling = spelling;
        }

        boolean matches(boolean write) {
            return this == READ_WRITE || (this == WRITE) == write;
        }
    }
}
