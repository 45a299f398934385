package dev.vwb.workbench.hv;

/**
 * A virtual 16550 UART for the guest's COM1 (extension point; exercise {@code virtual-uart},
 * lesson 3). Under the hypervisor the guest's IN and OUT trap (its kernel runs at ring 1 with
 * IOPL 0, SDM Vol. 1 §19.5.1), and an access to ports 3F8h-3FFh becomes a {@link #read} or
 * {@link #write} of register 0-7 here, in place of the machine's own UART. What the guest
 * transmits goes out on the {@link SerialLine} the device was made with: it becomes the guest's
 * console output, exactly as the machine's UART's would.
 *
 * <p>The registers, by offset from the base port (PC16550D data sheet, Table 2; DLAB is LCR bit 7):
 * <pre>
 *   0  DLAB=0: read RBR (receive buffer) / write THR (transmit holding)   DLAB=1: DLL (divisor, low byte)
 *   1  DLAB=0: IER (interrupt enable)                                    DLAB=1: DLM (divisor, high byte)
 *   2  read IIR (interrupt identification) / write FCR (FIFO control)
 *   3  LCR (line control: word length, stop bits, parity, DLAB)
 *   4  MCR (modem control: DTR, RTS, OUT1, OUT2, LOOP)
 *   5  LSR (line status: DR, ..., THRE, TEMT), read-only
 *   6  MSR (modem status), read-only
 *   7  SCR (scratch)
 * </pre>
 * The reference hypervisor, with no virtual UART given, lets the guest reach the machine's own
 * UART model ({@link dev.vwb.machine.devices.Uart16550}).
 */
public interface VirtualUart {
    /** COM1's base port. */
    int COM1 = 0x3F8;

    /** The guest reads register {@code register} (0-7); returns its value, a byte (0-FFh). */
    int read(int register);

    /** The guest writes {@code value} (a byte, 0-FFh) to register {@code register} (0-7). */
    void write(int register, int value);
}
