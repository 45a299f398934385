package dev.vwb.machine.io;

import java.util.ArrayList;
import java.util.List;

/**
 * The 64 KiB I/O port space. Each port belongs to at most one device; a port nobody claims
 * reads as all ones and ignores writes, like a floating ISA bus.
 */
public final class IoBus {
    private final IoDevice[] ports = new IoDevice[0x10000];
    private final List<IoDevice> devices = new ArrayList<>();

    /** Claims {@code count} consecutive ports starting at {@code first} for a device. */
    public void attach(IoDevice device, int first, int count) {
        for (int p = first; p < first + count; p++) {
            if (ports[p] != null) {
                throw new IllegalStateException(String.format("port %04Xh is already claimed", p));
            }
            ports[p] = device;
        }
        if (!devices.contains(device)) {
            devices.add(device);
        }
    }

    public IoDevice deviceAt(int port) {
        return ports[port & 0xFFFF];
    }

    public List<IoDevice> devices() {
        return List.copyOf(devices);
    }

    public int in(int port, int size) {
        IoDevice d = ports[port & 0xFFFF];
        if (d == null) {
            return size == 1 ? 0xFF : size == 2 ? 0xFFFF : 0xFFFF_FFFF;
        }
        return d.in(port & 0xFFFF, size);
    }

    public void out(int port, int size, int value) {
        IoDevice d = ports[port & 0xFFFF];
        if (d != null) {
            d.out(port & 0xFFFF, size, value);
        }
    }
}
