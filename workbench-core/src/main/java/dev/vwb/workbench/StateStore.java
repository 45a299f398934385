package dev.vwb.workbench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Saves and restores a machine's whole state: what snapshots, files and step-back are built on.
 *
 * <p>{@link MachineStateStore} is the one implementation, over the machine's own snapshots; the
 * interface keeps the snapshot file, step-back and the VM independent of how state is held.
 */
interface StateStore {
    /** The name of the binary format {@link #write} produces, recorded in snapshot files. */
    String format();

    /** The VM's clock: instructions retired, as it was when snapshots restored it. */
    long time();

    MachineImage save();

    /** Why {@code image} cannot be restored into this machine, or null if it can. */
    String cannotRestore(MachineImage image);

    /** Restores {@code image}; call only when {@link #cannotRestore} said null. */
    void restore(MachineImage image);

    void write(MachineImage image, OutputStream out) throws IOException;

    /**
     * Reads an image written by {@link #write}.
     *
     * @throws SnapshotFormatException if the bytes are not such an image
     */
    MachineImage read(InputStream in) throws IOException;
}
