package dev.vwb.student;

import dev.vwb.workbench.hv.SerialLine;
import dev.vwb.workbench.hv.VirtualUart;

/**
 * Exercise "virtual-uart" (lesson 3, virtual devices): the reference solution - a 16550 UART as
 * the guest's COM1, after the National Semiconductor PC16550D data sheet. The line is infinitely
 * fast: a byte written to THR is on the wire at once, so the transmitter is always empty again.
 */
public final class StudentUart implements VirtualUart {
    // Registers, by offset from the base port (data sheet Table 2).
    static final int RBR_THR = 0, IER = 1, IIR_FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7;
    /** LCR bit 7, the divisor latch access bit: registers 0 and 1 become the divisor latch. */
    static final int LCR_DLAB = 0x80;
    /** LSR bit 0: data ready - a received byte waits in RBR. */
    static final int LSR_DR = 0x01;
    /** LSR bit 5: the transmitter holding register is empty (the guest may write THR). */
    static final int LSR_THRE = 0x20;
    /** LSR bit 6: the transmitter is empty (holding and shift registers both). */
    static final int LSR_TEMT = 0x40;
    /** IIR bit 0: set when no interrupt is pending. */
    static final int IIR_NONE = 0x01;
    /** IER bits 0-3 exist (the upper four read as 0). */
    static final int IER_BITS = 0x0F;
    /** MCR bits 0-4 exist (DTR, RTS, OUT1, OUT2, LOOP). */
    static final int MCR_BITS = 0x1F;
    /** MSR with a peer connected: CTS, DSR and DCD asserted. */
    static final int MSR_CONNECTED = 0xB0;

    private final SerialLine line;
    private int ier;
    private int lcr;
    private int mcr;
    private int scr;
    private int divisor = 12;  // 9600 baud until the guest says otherwise

    public StudentUart(SerialLine line) {
        this.line = line;
    }

    @Override
    public int read(int register) {
        boolean dlab = (lcr & LCR_DLAB) != 0;
        switch (register) {
            case RBR_THR:
                if (dlab) {
                    return divisor & 0xFF;
                }
                return line.hasReceived() ? line.receive() & 0xFF : 0;
            case IER:
                return dlab ? (divisor >>> 8) & 0xFF : ier;
            case IIR_FCR:
                return IIR_NONE;  // no interrupt is ever pending: this UART raises none
            case LCR:
                return lcr;
            case MCR:
                return mcr;
            case LSR:
                return (line.hasReceived() ? LSR_DR : 0) | LSR_THRE | LSR_TEMT;
            case MSR:
                return MSR_CONNECTED;
            case SCR:
                return scr;
            default:
                throw new IllegalArgumentException("a 16550 has registers 0-7, not " + register);
        }
    }

    @Override
    public void write(int register, int value) {
        boolean dlab = (lcr & LCR_DLAB) != 0;
        value &= 0xFF;
        switch (register) {
            case RBR_THR:
                if (dlab) {
                    divisor = (divisor & 0xFF00) | value;
                } else {
                    line.transmit(value);
                }
                break;
            case IER:
                if (dlab) {
                    divisor = (divisor & 0x00FF) | value << 8;
                } else {
                    ier = value & IER_BITS;
                }
                break;
            case LCR:
                lcr = value;
                break;
            case MCR:
                mcr = value & MCR_BITS;
                break;
            case SCR:
                scr = value;
                break;
            default:
                break;  // FCR: no FIFOs modelled; LSR and MSR are read-only
        }
    }

    /** The baud-rate divisor (115200 / divisor baud). */
    public int divisor() {
        return divisor;
    }
}
