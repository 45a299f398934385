package dev.vwb.tracing;

import java.util.Locale;

/**
 * The kinds of {@link TraceEvent}, one per record of the family; a tracer records only the kinds
 * it is asked for and installs only the machine hooks those kinds need.
 */
public enum EventKind {
    /** An instruction retired: {@link TraceEvent.Instruction}. Hooks: before-instruction and retire. */
    INSTRUCTION,
    /** A data access to memory: {@link TraceEvent.MemoryAccess}. Hook: memory listener (slow path). */
    MEMORY,
    /** An IN or OUT: {@link TraceEvent.PortIo}. Hook: I/O bus listener. */
    PORT_IO,
    /** An exception or interrupt about to be delivered: {@link TraceEvent.Interrupt}. Hook: exception interceptor. */
    EXCEPTION,
    /** A byte the guest wrote to the debug console or COM1: {@link TraceEvent.ConsoleOutput}. Hook: I/O bus listener. */
    CONSOLE,
    /** A hypervisor's VM exit: {@link TraceEvent.VmExit}. Source: the hypervisor, through {@link MachineEvents}. */
    VM_EXIT;

    /** The name used in JSON and on the command line: {@code instruction}, {@code port_io}, ... */
    public String spelling() {
        return name().toLowerCase(Locale.ROOT);
    }

    static EventKind ofSpelling(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
