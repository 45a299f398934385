package dev.vwb.machine.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Channel 0 of the 8254 in virtual time. */
class Pit8254Test {
    private int irqs;
    private int reschedules;
    private final Pit8254 pit = new Pit8254(edge -> irqs++, () -> reschedules++);

    private void program(int control, int count) {
        pit.out(0x43, 1, control);
        pit.out(0x40, 1, count & 0xFF);
        pit.out(0x40, 1, count >>> 8);
    }

    @Test
    void rateGeneratorInterruptsOncePerPeriod() {
        program(0x34, 1000);  // channel 0, LSB then MSB, mode 2
        assertEquals(1, reschedules);
        pit.advanceTo(1000);
        assertEquals(0, irqs, "the count starts on the clock after it is written");
        pit.advanceTo(1001);
        assertEquals(1, irqs);
        pit.advanceTo(10_001);
        assertEquals(10, irqs);
    }

    @Test
    void modeZeroInterruptsOnceAtTerminalCount() {
        program(0x30, 500);  // mode 0
        pit.advanceTo(100_000);
        assertEquals(1, irqs);
    }

    @Test
    void aLatchedCountReadsBackLowByteThenHighByte() {
        program(0x34, 0x1234);
        pit.advanceTo(0x34 + 1);       // 0x34 ticks into the count
        pit.out(0x43, 1, 0x00);        // latch channel 0
        pit.advanceTo(0x200);          // the latch holds while time goes on
        int low = pit.in(0x40, 1);
        int high = pit.in(0x40, 1);
        assertEquals(0x1234 - 0x34, high << 8 | low);
    }

    @Test
    void readBackGivesTheStatusByte() {
        program(0x34, 100);
        pit.out(0x43, 1, 0xE2);        // read-back: status only, channel 0
        assertEquals(0x34, pit.in(0x40, 1) & 0x3F, "access mode LSB/MSB and mode 2");
    }

    @Test
    void theStatusByteReportsTheModeAndBcdBitsAsWritten() {
        // Mode 6 runs as mode 2, but the status shows the bits programmed (8254 data sheet, read-back).
        program(0x3D, 100);            // LSB/MSB, mode 6, BCD
        pit.out(0x43, 1, 0xE2);
        assertEquals(0x3D, pit.in(0x40, 1) & 0x3F);
    }

    @Test
    void aCountOfZeroMeans65536() {
        program(0x34, 0);
        pit.advanceTo(65_536);
        assertEquals(0, irqs);
        pit.advanceTo(65_537);
        assertEquals(1, irqs);
    }
}
