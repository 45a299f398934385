package dev.vwb.machine.cpu;

/**
 * Observes the CPU's data accesses to memory, after each one happened: the instructions' reads
 * and writes and the CPU's own (descriptor tables, the IDT, the TSS, stack frames it pushes).
 * Instruction fetches and page-table walks are not reported. Observers cannot change the run;
 * while one is attached every access takes the CPU's slow path.
 */
@FunctionalInterface
public interface MemoryListener {
    /**
     * @param linear   the linear address of the first byte
     * @param physical the physical address of the first byte
     * @param size     1, 2 or 4 bytes
     * @param value    the value read or written (zero-extended)
     * @param write    a write (true) or a read
     */
    void accessed(Cpu cpu, int linear, int physical, int size, int value, boolean write);
}
