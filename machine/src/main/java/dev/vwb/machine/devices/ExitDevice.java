package dev.vwb.machine.devices;

import dev.vwb.machine.state.Stateful;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import dev.vwb.machine.io.IoDevice;

/**
 * QEMU's {@code isa-debug-exit} device (iobase 0xF4, iosize 4): a write of {@code v} ends the
 * machine; QEMU's process then exits with status {@code (v << 1) | 1}, which this device reports
 * as {@link #exitStatus()} so results compare directly with QEMU's.
 */
public final class ExitDevice implements IoDevice, Stateful {
    public static final int PORT = 0xF4;
    public static final int SIZE = 4;
    private boolean exited;
    private int value;
    private Runnable onExit = () -> { };

    /** Called when the guest writes the port (the machine stops its run). */
    public void setOnExit(Runnable onExit) {
        this.onExit = onExit;
    }

    public boolean exited() {
        return exited;
    }

    /** The value the guest wrote. */
    public int value() {
        return value;
    }

    /** The status QEMU would exit with: {@code (value << 1) | 1}. */
    public int exitStatus() {
        return (value << 1) | 1;
    }

    public void reset() {
        exited = false;
        value = 0;
    }

    @Override
    public int in(int port, int size) {
        return 0;
    }

    @Override
    public void out(int port, int size, int value) {
        exited = true;
        this.value = size == 1 ? value & 0xFF : size == 2 ? value & 0xFFFF : value;
        onExit.run();
    }

    @Override
    public void save(DataOutput out) throws IOException {
        out.writeBoolean(exited);
        out.writeInt(value);
    }

    @Override
    public void restore(DataInput in) throws IOException {
        exited = in.readBoolean();
        value = in.readInt();
    }
}
