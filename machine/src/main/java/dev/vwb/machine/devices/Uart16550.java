package dev.vwb.machine.devices;

import dev.vwb.machine.state.Stateful;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import dev.vwb.machine.io.IoDevice;
import java.util.ArrayDeque;
import java.util.function.IntConsumer;

/**
 * A 16550A UART, COM1 at 3F8h–3FFh with IRQ 4 (the National Semiconductor PC16550D data sheet).
 * Transmitted bytes go to a sink at once (the line is infinitely fast in virtual time); received
 * bytes come from a queue the user feeds with {@link #receive}. Modelled: the divisor latch
 * (DLAB), IER with the received-data and transmitter-empty interrupts, IIR with their priority,
 * FCR (FIFO enable and reset, with a 16-byte receive FIFO), LCR, MCR with loopback, LSR and
 * the scratch register. Not modelled: line-status and modem-status interrupts, baud-rate timing,
 * and the receiver's trigger levels (any byte raises the interrupt).
 */
public final class Uart16550 implements IoDevice, Stateful {
    public static final int COM1 = 0x3F8;
    public static final int PORTS = 8;
    public static final int IRQ = 4;

    // Register offsets.
    private static final int RBR_THR_DLL = 0, IER_DLM = 1, IIR_FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7;
    // IER bits.
    private static final int IER_RDA = 0x01;    // received data available
    private static final int IER_THRE = 0x02;   // transmitter holding register empty
    // LSR bits.
    private static final int LSR_DR = 0x01;     // data ready
    private static final int LSR_THRE = 0x20;   // transmitter holding register empty
    private static final int LSR_TEMT = 0x40;   // transmitter empty
    // IIR values.
    private static final int IIR_NONE = 0x01, IIR_THRE = 0x02, IIR_RDA = 0x04;
    private static final int LCR_DLAB = 0x80;
    private static final int MCR_OUT2 = 0x08;   // gates the interrupt onto the ISA bus on a PC
    private static final int MCR_LOOP = 0x10;
    private static final int FIFO_SIZE = 16;

    private final ArrayDeque<Integer> rx = new ArrayDeque<>();
    private final StringBuilder transmitted = new StringBuilder();
    private IntConsumer sink = c -> { };
    private IntConsumer irqLine = level -> { };
    private int ier, lcr, mcr, scr, fcr;
    private int divisor = 12;  // 9600 baud
    private boolean thrEmptyPending;  // the THRE interrupt, cleared by reading IIR or writing THR
    private boolean irqHigh;

    /** Where transmitted bytes go as they are sent, besides the captured text. */
    public void setSink(IntConsumer sink) {
        this.sink = sink;
    }

    /** The interrupt line: called with 1 when it rises and 0 when it falls. */
    public void setIrqLine(IntConsumer irqLine) {
        this.irqLine = irqLine;
    }

    /** Everything the guest has transmitted (bytes as ISO-8859-1 characters). */
    public String transmitted() {
        return transmitted.toString();
    }

    /** Queues bytes for the guest to receive, as if typed on the other end of the line. */
    public void receive(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            rx.add(text.charAt(i) & 0xFF);
        }
        updateIrq();
    }

    private boolean rxFifo() {
        return (fcr & 0x01) != 0;
    }

    private int interruptId() {
        if ((ier & IER_RDA) != 0 && !rx.isEmpty()) {
            return IIR_RDA;
        }
        if ((ier & IER_THRE) != 0 && thrEmptyPending) {
            return IIR_THRE;
        }
        return IIR_NONE;
    }

    private void updateIrq() {
        // On a PC the UART's interrupt reaches the PIC only with MCR.OUT2 set.
        boolean high = interruptId() != IIR_NONE && (mcr & MCR_OUT2) != 0;
        if (high != irqHigh) {
            irqHigh = high;
            irqLine.accept(high ? 1 : 0);
        }
    }

    @Override
    public int in(int port, int size) {
        int reg = port - COM1;
        boolean dlab = (lcr & LCR_DLAB) != 0;
        int value;
        switch (reg) {
            case RBR_THR_DLL:
                if (dlab) {
                    value = divisor & 0xFF;
                } else {
                    Integer b = rx.poll();
                    value = b == null ? 0 : b;
                }
                break;
            case IER_DLM: value = dlab ? (divisor >>> 8) & 0xFF : ier; break;
            case IIR_FCR: {
                int id = interruptId();
                if (id == IIR_THRE) {
                    thrEmptyPending = false;  // reading IIR with THRE the source clears it
                }
                value = id | (rxFifo() ? 0xC0 : 0);
                break;
            }
            case LCR: value = lcr; break;
            case MCR: value = mcr; break;
            case LSR: value = (rx.isEmpty() ? 0 : LSR_DR) | LSR_THRE | LSR_TEMT; break;
            case MSR:
                // In loopback the modem inputs follow MCR's outputs; otherwise report a
                // connected peer: CTS, DSR and DCD asserted.
                value = (mcr & MCR_LOOP) != 0 ? (mcr & 0x0F) << 4 : 0xB0;
                break;
            default: value = scr; break;
        }
        updateIrq();
        return value;
    }

    @Override
    public void out(int port, int size, int value) {
        int reg = port - COM1;
        boolean dlab = (lcr & LCR_DLAB) != 0;
        value &= 0xFF;
        switch (reg) {
            case RBR_THR_DLL:
                if (dlab) {
                    divisor = (divisor & 0xFF00) | value;
                } else if ((mcr & MCR_LOOP) != 0) {
                    if (rx.size() < (rxFifo() ? FIFO_SIZE : 1)) {
                        rx.add(value);  // loopback: the byte comes straight back
                    }
                    thrEmptyPending = true;
                } else {
                    transmitted.append((char) value);
                    sink.accept(value);
                    thrEmptyPending = true;  // sent at once: the holding register is empty again
                }
                break;
            case IER_DLM:
                if (dlab) {
                    divisor = (divisor & 0xFF) | value << 8;
                } else {
                    boolean threEnabled = (ier & IER_THRE) == 0 && (value & IER_THRE) != 0;
                    ier = value & 0x0F;
                    if (threEnabled) {
                        thrEmptyPending = true;  // enabling THRE with an empty THR interrupts at once
                    }
                }
                break;
            case IIR_FCR:
                fcr = value & 0xC9;
                if ((value & 0x02) != 0) {
                    rx.clear();  // reset the receive FIFO
                }
                break;
            case LCR: lcr = value; break;
            case MCR: mcr = value & 0x1F; break;
            case SCR: scr = value; break;
            default: break;  // LSR and MSR are read-only
        }
        updateIrq();
    }

    /** The baud-rate divisor the guest has set (115200 / divisor baud). */
    public int divisor() {
        return divisor;
    }

    @Override
    public void save(DataOutput out) throws IOException {
        for (int v : new int[] {ier, lcr, mcr, scr, fcr, divisor}) {
            out.writeInt(v);
        }
        out.writeBoolean(thrEmptyPending);
        out.writeBoolean(irqHigh);
        out.writeInt(rx.size());
        for (int b : rx) {
            out.writeByte(b);
        }
        Texts.write(out, transmitted);
    }

    @Override
    public void restore(DataInput in) throws IOException {
        ier = in.readInt();
        lcr = in.readInt();
        mcr = in.readInt();
        scr = in.readInt();
        fcr = in.readInt();
        divisor = in.readInt();
        thrEmptyPending = in.readBoolean();
        irqHigh = in.readBoolean();
        rx.clear();
        for (int n = in.readInt(); n > 0; n--) {
            rx.add(in.readUnsignedByte());
        }
        transmitted.setLength(0);
        transmitted.append(Texts.read(in));
    }
}
