package dev.vwb.workbench;

/**
 * The whole state of a machine at one instruction boundary, opaque to everything but the
 * {@link StateStore} that made it.
 */
interface MachineImage {
    /** Instructions retired when it was taken: the VM's time. */
    long time();

    /** The RAM size of the machine it came from, in bytes. */
    int ramSize();
}
