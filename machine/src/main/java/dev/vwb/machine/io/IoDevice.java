package dev.vwb.machine.io;

/** A device on the I/O bus. Sizes are 1, 2 or 4 bytes; values are zero-extended. */
public interface IoDevice {
    int in(int port, int size);

    void out(int port, int size, int value);
}
