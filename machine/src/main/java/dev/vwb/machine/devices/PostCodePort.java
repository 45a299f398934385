package dev.vwb.machine.devices;

import dev.vwb.machine.io.IoDevice;
import java.util.ArrayList;
import java.util.List;

/** Port 0x80, where firmware and kernels write POST progress codes; every byte is captured. */
public final class PostCodePort implements IoDevice {
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
}
