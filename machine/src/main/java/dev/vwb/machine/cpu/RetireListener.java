package dev.vwb.machine.cpu;

/** Observes each retired instruction. Observers cannot change the run. */
@FunctionalInterface
public interface RetireListener {
    /**
     * @param eip    the address (offset in CS) the instruction started at
     * @param length its length in bytes
     */
    void retired(Cpu cpu, int eip, int length);
}
