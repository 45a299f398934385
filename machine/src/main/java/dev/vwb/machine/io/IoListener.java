package dev.vwb.machine.io;

/** Observes port I/O on the bus, after each access. Observers cannot change the run. */
@FunctionalInterface
public interface IoListener {
    /**
     * @param port  the port, 0–FFFFh
     * @param size  1, 2 or 4 bytes
     * @param value the value read or written
     * @param write OUT (true) or IN
     */
    void accessed(int port, int size, int value, boolean write);
}
