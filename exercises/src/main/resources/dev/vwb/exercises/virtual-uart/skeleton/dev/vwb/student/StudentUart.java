package dev.vwb.student;

import dev.vwb.workbench.hv.SerialLine;
import dev.vwb.workbench.hv.VirtualUart;

/**
 * Exercise "virtual-uart" (lesson 3, virtual devices): a 16550 UART as the guest's COM1.
 *
 * <p>Under the hypervisor the guest kernel's IN and OUT instructions trap (it runs at ring 1 with
 * IOPL 0; Intel SDM Vol. 1 §19.5.1) and the hypervisor sends every access to ports 3F8h-3FFh
 * here: {@link #read} and {@link #write} of register 0-7. What the guest writes to the transmit
 * holding register goes out on the {@link SerialLine}: that is the guest's console output. The
 * guests are written for a real 16550 (National Semiconductor PC16550D data sheet, "Registers"),
 * so they program the baud rate through the divisor latch and poll the line status before each
 * byte: get a register wrong and the output differs from bare metal's, or the guest waits forever.
 *
 * <pre>
 *   reg  DLAB=0 read       DLAB=0 write      DLAB=1
 *   0    RBR receive buf   THR transmit      DLL divisor latch, low byte
 *   1    IER (bits 0-3)    IER               DLM divisor latch, high byte
 *   2    IIR int. ident.   FCR FIFO control
 *   3    LCR line control (bit 7 = DLAB), read and write
 *   4    MCR modem control (bits 0-4), read and write
 *   5    LSR line status: bit 0 DR data ready, bit 5 THRE, bit 6 TEMT  (read-only)
 *   6    MSR modem status (read-only)
 *   7    SCR scratch, any byte, read and write
 * </pre>
 *
 * Our line is infinitely fast: a byte written to THR is sent at once, so THR and the transmitter
 * are always empty again. This UART raises no interrupts: IIR always says none is pending.
 * Run the public tests with {@code ./vwb exercise check} (or {@code mvn test}).
 */
public final class StudentUart implements VirtualUart {
    // Registers, by offset from the base port.
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
    /** MSR with a peer connected: CTS (bit 4), DSR (bit 5) and DCD (bit 7) asserted. */
    static final int MSR_CONNECTED = 0xB0;

    private final SerialLine line;

    public StudentUart(SerialLine line) {
        this.line = line;
        // TODO: the registers' state. After reset the divisor is 12 (9600 baud); the rest is 0.
    }

    /**
     * The guest reads register {@code register} (0-7): return a byte.
     * <ul>
     *   <li>0: with DLAB, the divisor's low byte; else RBR: the next received byte
     *       ({@code line.receive()}) when one waits ({@code line.hasReceived()}), 0 when none does.</li>
     *   <li>1: with DLAB, the divisor's high byte; else IER as last written (only bits 0-3 exist).</li>
     *   <li>2: IIR: {@link #IIR_NONE}.  3, 4, 7: LCR, MCR (bits 0-4 exist), SCR as last written.</li>
     *   <li>5: LSR: THRE and TEMT always; DR when a received byte waits.  6: MSR: {@link #MSR_CONNECTED}.</li>
     * </ul>
     */
    @Override
    public int read(int register) {
        // TODO
        throw new UnsupportedOperationException("TODO: read register " + register);
    }

    /**
     * The guest writes {@code value} (a byte) to register {@code register} (0-7).
     * <ul>
     *   <li>0: with DLAB, the divisor's low byte; else THR: send the byte ({@code line.transmit}).</li>
     *   <li>1: with DLAB, the divisor's high byte; else IER (keep bits 0-3).</li>
     *   <li>2: FCR: nothing to do (no FIFOs here).  3, 4, 7: LCR, MCR (keep bits 0-4), SCR.</li>
     *   <li>5, 6: LSR and MSR are read-only: writes change nothing.</li>
     * </ul>
     */
    @Override
    public void write(int register, int value) {
        // TODO
        throw new UnsupportedOperationException("TODO: write register " + register);
    }

    /** The baud-rate divisor the guest set (115200 / divisor baud). */
    public int divisor() {
        // TODO
        throw new UnsupportedOperationException("TODO: the divisor");
    }
}
