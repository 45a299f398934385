package dev.vwb.machine.devices;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * One Intel 8259A programmable interrupt controller (the 8259A data sheet, "Programming the
 * 8259A"): eight edge-triggered request lines, the interrupt request, in-service and mask
 * registers, the ICW1–ICW4 initialization sequence, OCW1 (mask), OCW2 (EOI) and OCW3 (register
 * read select), fixed priority with IR0 highest, and automatic EOI. Level-triggered mode, the
 * rotating priorities, poll mode and special mask mode are not modelled.
 * {@link PicPair} cascades two of them as on the PC.
 */
final class Pic8259 {
    // ICW1 bits.
    private static final int ICW1_IC4 = 0x01;   // ICW4 follows
    private static final int ICW1_SNGL = 0x02;  // single controller: no ICW3
    private static final int ICW1_INIT = 0x10;  // this write to the command port is ICW1
    // ICW4 bits.
    private static final int ICW4_AEOI = 0x02;  // automatic end of interrupt
    // OCW2/OCW3.
    private static final int OCW3_SELECT = 0x08;  // bits 4..3 = 01: OCW3 (else, with bit 4 clear: OCW2)
    private static final int OCW2_EOI = 0x20;
    private static final int OCW2_SPECIFIC = 0x40;

    private final String name;
    int irr;     // interrupt request register
    int isr;     // in-service register
    int imr;     // interrupt mask register
    int vectorBase;
    private int lines;           // current level of each IR input, for edge detection
    private int initStep;        // 0: initialized; 2..4: expecting that ICW
    private boolean expectIcw3;
    private boolean expectIcw4;
    private boolean autoEoi;
    private boolean readIsr;

    Pic8259(String name, int vectorBase) {
        this.name = name;
        this.vectorBase = vectorBase;
    }

    /** Sets the level of request line {@code ir}; a rising edge latches a request in the IRR. */
    void setLine(int ir, boolean high) {
        int bit = 1 << ir;
        if (high && (lines & bit) == 0) {
            irr |= bit;
        }
        lines = high ? lines | bit : lines & ~bit;
    }

    /** The highest-priority request that is unmasked and not blocked by one in service, or -1. */
    int pendingIr() {
        int requests = irr & ~imr;
        for (int ir = 0; ir < 8; ir++) {
            int bit = 1 << ir;
            if ((isr & bit) != 0) {
                return -1;  // something of equal or higher priority is in service
            }
            if ((requests & bit) != 0) {
                return ir;
            }
        }
        return -1;
    }

    /** The INTA cycle for request {@code ir}: moves it from IRR to ISR (unless auto-EOI) and returns the vector. */
    int acknowledge(int ir) {
        int bit = 1 << ir;
        irr &= ~bit;
        if (!autoEoi) {
            isr |= bit;
        }
        return (vectorBase & 0xF8) | ir;
    }

    /** With no request left at INTA time the 8259A answers with IR7, the "spurious" interrupt. */
    int spuriousVector() {
        return (vectorBase & 0xF8) | 7;
    }

    void writeCommand(int value) {
        if ((value & ICW1_INIT) != 0) {
            // ICW1 starts initialization: masks and requests clear, IR7 gets the lowest priority.
            imr = 0;
            isr = 0;
            irr = 0;
            readIsr = false;
            autoEoi = false;
            expectIcw3 = (value & ICW1_SNGL) == 0;
            expectIcw4 = (value & ICW1_IC4) != 0;
            initStep = 2;
        } else if ((value & 0x18) == OCW3_SELECT) {
            if ((value & 0x02) != 0) {
                readIsr = (value & 0x01) != 0;  // RR=1: RIS selects ISR (1) or IRR (0)
            }
        } else if ((value & 0x18) == 0) {
            if ((value & OCW2_EOI) != 0) {
                if ((value & OCW2_SPECIFIC) != 0) {
                    isr &= ~(1 << (value & 7));
                } else {
                    isr &= isr - 1;  // non-specific: the highest priority (lowest numbered) bit
                }
            }
        }
    }

    void writeData(int value) {
        switch (initStep) {
            case 2:
                vectorBase = value & 0xF8;  // ICW2: the vector of IR0
                initStep = expectIcw3 ? 3 : expectIcw4 ? 4 : 0;
                break;
            case 3:
                initStep = expectIcw4 ? 4 : 0;  // ICW3: the cascade wiring, fixed on a PC
                break;
            case 4:
                autoEoi = (value & ICW4_AEOI) != 0;
                initStep = 0;
                break;
            default:
                imr = value & 0xFF;  // OCW1
        }
    }

    int readCommand() {
        return readIsr ? isr : irr;
    }

    int readData() {
        return imr;
    }

    @Override
    public String toString() {
        return String.format("%s: IRR=%02X ISR=%02X IMR=%02X base=%02X", name, irr, isr, imr, vectorBase);
    }

    void save(DataOutput out) throws IOException {
        for (int v : new int[] {irr, isr, imr, vectorBase, lines, initStep}) {
            out.writeInt(v);
        }
        for (boolean b : new boolean[] {expectIcw3, expectIcw4, autoEoi, readIsr}) {
            out.writeBoolean(b);
        }
    }

    void restore(DataInput in) throws IOException {
        irr = in.readInt();
        isr = in.readInt();
        imr = in.readInt();
        vectorBase = in.readInt();
        lines = in.readInt();
        initStep = in.readInt();
        expectIcw3 = in.readBoolean();
        expectIcw4 = in.readBoolean();
        autoEoi = in.readBoolean();
        readIsr = in.readBoolean();
    }
}
