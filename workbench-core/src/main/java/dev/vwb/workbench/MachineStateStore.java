package dev.vwb.workbench;

import dev.vwb.machine.Machine;
import dev.vwb.machine.state.MachineState;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The state store over the machine's own snapshots ({@link Machine#saveState()}): the CPU with
 * every register and hidden descriptor cache, the devices (PIC, PIT, UART, consoles) and RAM,
 * so a restored machine runs on exactly as before, timer interrupts included.
 */
final class MachineStateStore implements StateStore {
    static final String FORMAT = "machine-state-" + MachineState.FORMAT_VERSION;

    private final Machine machine;

    MachineStateStore(Machine machine) {
        this.machine = machine;
    }

    /** A machine snapshot as the workbench holds it. */
    private record Image(MachineState state) implements MachineImage {
        @Override
        public long time() {
            return state.instructionsRetired();
        }

        @Override
        public int ramSize() {
            return state.ramSize();
        }
    }

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public long time() {
        return machine.cpu().instructionsRetired();
    }

    @Override
    public MachineImage save() {
        return new Image(machine.saveState());
    }

    @Override
    public String cannotRestore(MachineImage image) {
        if (!(image instanceof Image)) {
            return "the snapshot was made by another state format than " + FORMAT;
        }
        if (image.ramSize() != machine.memory().ramSize()) {
            return String.format("the snapshot is of a machine with %d KiB of RAM, this one has %d KiB",
                    image.ramSize() >> 10, machine.memory().ramSize() >> 10);
        }
        return null;
    }

    @Override
    public void restore(MachineImage image) {
        machine.restoreState(((Image) image).state());
    }

    /** Writes {@code image} in {@link #FORMAT} (for the snapshot file). */
    static void writeImage(MachineImage image, OutputStream out) throws IOException {
        ((Image) image).state().write(out);
    }

    /**
     * Reads an image {@link #writeImage} wrote.
     *
     * @throws SnapshotFormatException if the bytes are not such an image
     */
    static MachineImage readImage(InputStream in) throws IOException {
        try {
            return new Image(MachineState.read(in));
        } catch (SnapshotFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new SnapshotFormatException("the machine state: " + e.getMessage());
        }
    }
}
