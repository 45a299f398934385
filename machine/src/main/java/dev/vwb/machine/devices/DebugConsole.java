package dev.vwb.machine.devices;

import dev.vwb.machine.state.Stateful;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import dev.vwb.machine.io.IoDevice;
import java.util.function.IntConsumer;

/**
 * Bochs/QEMU's debug console at port 0xE9: every byte written is a character of output.
 * Reading the port returns 0xE9, which is how guests detect it.
 */
public final class DebugConsole implements IoDevice, Stateful {
    public static final int PORT = 0xE9;
    private final StringBuilder output = new StringBuilder();
    private IntConsumer sink = c -> { };

    /** Where characters go as they are written, besides the captured text. */
    public void setSink(IntConsumer sink) {
        this.sink = sink;
    }

    /** Everything the guest has written so far (bytes as ISO-8859-1 characters). */
    public String output() {
        return output.toString();
    }

    @Override
    public int in(int port, int size) {
        return PORT;
    }

    @Override
    public void out(int port, int size, int value) {
        int c = value & 0xFF;
        output.append((char) c);
        sink.accept(c);
    }

    @Override
    public void save(DataOutput out) throws IOException {
        Texts.write(out, output);
    }

    @Override
    public void restore(DataInput in) throws IOException {
        output.setLength(0);
        output.append(Texts.read(in));
    }
}
