package dev.vwb.workbench;

/**
 * Saves and restores a machine's whole state in memory: what snapshots and step-back are built
 * on. {@link MachineStateStore} is the one implementation, over the machine's own snapshots; the
 * interface keeps {@link VmState} independent of how the state is held. The snapshot file
 * stores only {@link MachineStateStore}'s format, which it reads without a machine
 * ({@link Snapshot#load} has none).
 */
interface StateStore {
    /** The name of the state's binary format, recorded in snapshot files. */
    String format();

    /** The VM's clock: instructions retired, as it was when snapshots restored it. */
    long time();

    MachineImage save();

    /** Why {@code image} cannot be restored into this machine, or null if it can. */
    String cannotRestore(MachineImage image);

    /** Restores {@code image}; call only when {@link #cannotRestore} said null. */
    void restore(MachineImage image);
}
