package dev.vwb.workbench.hv;

/**
 * The wire behind a {@link VirtualUart}: the other end of the guest's serial line. The
 * hypervisor makes one for the UART it boots with; tests make their own.
 */
public interface SerialLine {
    /** Sends one byte (0-FFh) down the line: it appears on the guest's console output at once. */
    void transmit(int b);

    /** Whether a byte has arrived from the other end and waits to be received. */
    boolean hasReceived();

    /** Takes the byte that arrived first (0-FFh), or -1 when none waits. */
    int receive();
}
