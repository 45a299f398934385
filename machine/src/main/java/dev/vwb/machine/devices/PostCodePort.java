package dev.vwb.machine.devices;

import dev.vwb.machine.state.Stateful;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import dev.vwb.machine.io.IoDevice;
import java.util.ArrayList;
import java.util.List;

/** Port 0x80, where firmware and kernels write POST progress codes; every byte is captured. */
public final class PostCodePort implements IoDevice, Stateful {
    public static final int PORT = 0x80;
    private final List<Integer> codes = new ArrayList<>();

    public List<Integer> codes() {
        return List.copyOf(codes);
    }

    @Override
    public int in(int port, int size) {
        return codes.isEmpty() ? 0xFF : codes.get(codes.size() - 1);
    }

    @Override
    public void out(int port, int size, int value) {
        codes.add(value & 0xFF);
    }

    @Override
    public void save(DataOutput out) throws IOException {
        out.writeInt(codes.size());
        for (int c : codes) {
            out.writeByte(c);
        }
    }

    @Override
    public void restore(DataInput in) throws IOException {
        codes.clear();
        for (int n = in.readInt(); n > 0; n--) {
            codes.add(in.readUnsignedByte());
        }
    }
}
