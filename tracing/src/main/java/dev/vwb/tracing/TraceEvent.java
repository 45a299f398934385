package dev.vwb.tracing;

import dev.vwb.machine.asm.Disassembler;
import dev.vwb.machine.cpu.ExceptionEvent;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * What a tracer records: one immutable record per event, each stamped with {@link #retired()},
 * the number of instructions retired before it (so an instruction, the memory accesses it made
 * and the exception it raised share a stamp). The family is closed: this permits list is the
 * one place to extend it (the hypervisor issue adds VM exits and shadow-table updates), together
 * with {@link EventKind}, {@link EventJson} and {@link TextPrinter}.
 */
public sealed interface TraceEvent permits TraceEvent.Instruction, TraceEvent.MemoryAccess, TraceEvent.PortIo,
        TraceEvent.Interrupt, TraceEvent.ConsoleOutput, TraceEvent.VmExit {

    /** Instructions retired before this event (the machine's virtual clock). */
    long retired();

    EventKind kind();

    /**
     * An instruction retired.
     *
     * @param cs       the CS selector it ran with
     * @param eip      its offset in CS
     * @param linear   its linear address (CS base + EIP)
     * @param physical its physical address, or -1 when its page was not mapped when it was read
     * @param bytes    its encoding
     * @param bits32   whether CS was a 32-bit segment (how the bytes decode)
     * @param changes  the registers it changed, in {@link Register} order; EIP is not listed
     */
    record Instruction(long retired, int cs, int eip, int linear, int physical, byte[] bytes, boolean bits32,
                       List<RegisterChange> changes) implements TraceEvent {
        public Instruction {
            bytes = bytes.clone();
            changes = List.copyOf(changes);
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        /** The disassembly (NASM syntax), worked out on demand: recording only keeps the bytes. */
        public String text() {
            return Disassembler.disassemble(bytes, 0, linear & 0xFFFF_FFFFL, bits32 ? 32 : 16).text();
        }

        public String mnemonic() {
            return InsnClass.mnemonic(text());
        }

        public Set<InsnClass> classes() {
            return InsnClass.of(text());
        }

        @Override
        public EventKind kind() {
            return EventKind.INSTRUCTION;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Instruction i && retired == i.retired && cs == i.cs && eip == i.eip && linear == i.linear
                    && physical == i.physical && Arrays.equals(bytes, i.bytes) && bits32 == i.bits32
                    && changes.equals(i.changes);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(retired) * 31 + linear;
        }

        @Override
        public String toString() {
            return TextPrinter.format(this);
        }
    }

    /**
     * A data access to memory (instruction fetches and page walks are not reported).
     *
     * @param size  1, 2 or 4 bytes
     * @param value the value read or written, zero-extended
     */
    record MemoryAccess(long retired, int linear, int physical, int size, int value, boolean write) implements TraceEvent {
        @Override
        public EventKind kind() {
            return EventKind.MEMORY;
        }

        @Override
        public String toString() {
            return TextPrinter.format(this);
        }
    }

    /** An IN ({@code out} false) or OUT of {@code size} bytes. */
    record PortIo(long retired, int port, int size, int value, boolean out) implements TraceEvent {
        @Override
        public EventKind kind() {
            return EventKind.PORT_IO;
        }

        @Override
        public String toString() {
            return TextPrinter.format(this);
        }
    }

    /**
     * An exception or interrupt about to be delivered.
     *
     * @param errorCode the error code pushed, or -1 when none is
     * @param eip       the EIP delivery pushes (the faulting instruction for faults)
     */
    record Interrupt(long retired, int vector, int errorCode, int eip, ExceptionEvent.Kind source) implements TraceEvent {
        @Override
        public EventKind kind() {
            return EventKind.EXCEPTION;
        }

        @Override
        public String toString() {
            return TextPrinter.format(this);
        }
    }

    /** Text the guest wrote to a console device (one event per byte written). */
    record ConsoleOutput(long retired, Console device, String text) implements TraceEvent {
        @Override
        public EventKind kind() {
            return EventKind.CONSOLE;
        }

        @Override
        public String toString() {
            return TextPrinter.format(this);
        }
    }

    /**
     * A decision of a hypervisor running the guest (the hypervisor publishes it through
     * {@link MachineEvents}): why the guest left native execution, where, and what was done.
     *
     * @param reason      the exit reason, e.g. "privileged instruction", "port I/O"
     * @param instruction the instruction at EIP disassembled, or ""
     * @param action      what the hypervisor did
     * @param nanos       host nanoseconds it spent
     */
    record VmExit(long retired, String reason, int cs, int eip, String instruction, String action, long nanos)
            implements TraceEvent {
        @Override
        public EventKind kind() {
            return EventKind.VM_EXIT;
        }

        @Override
        public String toString() {
            return TextPrinter.format(this);
        }
    }

    /** The guest's console devices. */
    enum Console {
        /** The debug console at port E9h. */
        E9,
        /** The 16550 UART at 3F8h. */
        COM1
    }
}
