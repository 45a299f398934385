package dev.vwb.workbench.hv;

import dev.vwb.machine.devices.Uart16550;
import dev.vwb.machine.io.IoBus;
import dev.vwb.machine.io.IoDevice;

/**
 * The I/O ports as the guest reaches them through the hypervisor's emulation of IN, OUT, INS,
 * OUTS and the paravirtual port hypercalls: the host machine's devices where the
 * {@link IsolationPolicy} lets the guest reach them, COM1 replaced by a {@link VirtualUart} when
 * the hypervisor was booted with one, and before both the virtual devices attached to the
 * hypervisor ({@link Hypervisor#attachDevice}): those are the hypervisor's own emulation, not host
 * hardware, so the policy (which guards the host's devices) does not filter them. A port nothing
 * answers is the emulators' business (an empty bus, a contained exit).
 */
final class GuestBus {
    private final IoBus host;
    private final IsolationPolicy policy;
    private final IoDevice uart;
    /** Devices emulated for this guest alone, by port. */
    private final java.util.Map<Integer, IoDevice> virtual = new java.util.HashMap<>();

    /** {@code uart}: the guest's COM1, or null for the host machine's own. */
    GuestBus(IoBus host, IsolationPolicy policy, VirtualUart uart) {
        this.host = host;
        this.policy = policy;
        this.uart = uart == null ? null : new IoDevice() {
            @Override
            public int in(int port, int size) {
                return uart.read(port - VirtualUart.COM1) & 0xFF;
            }

            @Override
            public void out(int port, int size, int value) {
                uart.write(port - VirtualUart.COM1, value & 0xFF);
            }
        };
    }

    /** Attaches a virtual device at {@code count} ports from {@code first}; a one-line error if one is there already. */
    void attach(IoDevice device, int first, int count) {
        if (first < 0 || count < 1 || first + count > 0x10000) {
            throw new IllegalArgumentException(String.format("ports %Xh+%d are not in the 64 Ki I/O space", first, count));
        }
        for (int p = first; p < first + count; p++) {
            if (virtual.containsKey(p)) {
                throw new IllegalArgumentException(String.format("port %Xh already has a virtual device", p));
            }
        }
        for (int p = first; p < first + count; p++) {
            virtual.put(p, device);
        }
    }

    /** Whether the guest may reach a device at {@code port}: a virtual device, or a host device the policy allows. */
    boolean reachable(int port) {
        int p = port & 0xFFFF;
        return virtual.containsKey(p) || policy.portReachable(p) && device(port) != null;
    }

    int in(int port, int size) {
        IoDevice own = emulated(port);
        return own != null ? own.in(port & 0xFFFF, size) : host.in(port, size);
    }

    void out(int port, int size, int value) {
        IoDevice own = emulated(port);
        if (own != null) {
            own.out(port & 0xFFFF, size, value);
        } else {
            host.out(port, size, value);
        }
    }

    /** The device at {@code port}: the hypervisor's own, else the host machine's; null if none answers. */
    private IoDevice device(int port) {
        IoDevice own = emulated(port);
        return own != null ? own : host.deviceAt(port & 0xFFFF);
    }

    /** A device the hypervisor emulates at {@code port} (a virtual device, or the virtual UART), or null. */
    private IoDevice emulated(int port) {
        int p = port & 0xFFFF;
        IoDevice v = virtual.get(p);
        if (v != null) {
            return v;
        }
        boolean com1 = p >= VirtualUart.COM1 && p < VirtualUart.COM1 + Uart16550.PORTS;
        return com1 ? uart : null;
    }

    /**
     * The line a virtual UART transmits on: the host machine's own UART model, which the guest no
     * longer reaches, stands for the wire - a byte written to its THR (its LCR left at reset: DLAB
     * off, no loopback) goes to the machine's COM1 output as the guest's own would; bytes queued
     * on it ({@link Uart16550#receive}) are the ones that arrive.
     */
    static SerialLine lineThrough(Uart16550 wire) {
        return new SerialLine() {
            @Override
            public void transmit(int b) {
                wire.out(Uart16550.COM1, 1, b & 0xFF);
            }

            @Override
            public boolean hasReceived() {
                return (wire.in(Uart16550.COM1 + 5, 1) & 1) != 0;  // LSR.DR
            }

            @Override
            public int receive() {
                return hasReceived() ? wire.in(Uart16550.COM1, 1) & 0xFF : -1;
            }
        };
    }
}
