package dev.vwb.workbench.hv;

import dev.vwb.machine.devices.Uart16550;
import dev.vwb.machine.io.IoBus;
import dev.vwb.machine.io.IoDevice;

/**
 * The I/O ports as the guest reaches them through the hypervisor's emulation of IN, OUT, INS,
 * OUTS and the paravirtual port hypercalls: the host machine's devices where the
 * {@link IsolationPolicy} lets the guest reach them, COM1 replaced by a {@link VirtualUart} when
 * the hypervisor was booted with one. A port nothing answers is the emulators' business (an
 * empty bus, a contained exit).
 */
final class GuestBus {
    private final IoBus host;
    private final IsolationPolicy policy;
    private final IoDevice uart;

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

    /** Whether the guest may reach a device at {@code port}: the policy allows it and some device answers there. */
    boolean reachable(int port) {
        return policy.portReachable(port & 0xFFFF) && device(port) != null;
    }

    int in(int port, int size) {
        IoDevice d = device(port);
        return d == uart && d != null ? d.in(port & 0xFFFF, size) : host.in(port, size);
    }

    void out(int port, int size, int value) {
        IoDevice d = device(port);
        if (d == uart && d != null) {
            d.out(port & 0xFFFF, size, value);
        } else {
            host.out(port, size, value);
        }
    }

    private IoDevice device(int port) {
        int p = port & 0xFFFF;
        if (uart != null && p >= VirtualUart.COM1 && p < VirtualUart.COM1 + Uart16550.PORTS) {
            return uart;
        }
        return host.deviceAt(p);
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
