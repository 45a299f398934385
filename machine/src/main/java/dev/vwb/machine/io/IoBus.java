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
    private final List<IoListener> listenerList = new ArrayList<>();
    private IoListener[] listeners;  // null when there are none

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
        int v;
        if (d == null) {
            v = size == 1 ? 0xFF : size == 2 ? 0xFFFF : 0xFFFF_FFFF;
        } else {
            v = d.in(port & 0xFFFF, size);
        }
        if (listeners != null) {
            for (IoListener l : listeners) {
                l.accessed(port & 0xFFFF, size, v, false);
            }
        }
        return v;
    }

    public void out(int port, int size, int value) {
        IoDevice d = ports[port & 0xFFFF];
        if (d != null) {
            d.out(port & 0xFFFF, size, value);
        }
        if (listeners != null) {
            for (IoListener l : listeners) {
                l.accessed(port & 0xFFFF, size, value, true);
            }
        }
    }

    /** Adds an observer of every IN and OUT; close the handle to remove it. */
    public AutoCloseable addListener(IoListener l) {
        listenerList.add(l);
        listeners = listenerList.toArray(new IoListener[0]);
        return () -> {
            listenerList.remove(l);
            listeners = listenerList.isEmpty() ? null : listenerList.toArray(new IoListener[0]);
        };
    }
}
