package dev.vwb.machine.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** COM1 as a guest driver programs it, port by port (PC16550D data sheet). */
class Uart16550Test {
    private static final int COM1 = Uart16550.COM1;
    private final Uart16550 uart = new Uart16550();
    private final List<Integer> irqLevels = new ArrayList<>();

    Uart16550Test() {
        uart.setIrqLine(irqLevels::add);
    }

    @Test
    void transmittedBytesReachTheSinkAndTheLineStaysReady() {
        StringBuilder seen = new StringBuilder();
        uart.setSink(c -> seen.append((char) c));
        for (char c : "hi\n".toCharArray()) {
            assertTrue((uart.in(COM1 + 5, 1) & 0x20) != 0, "THRE before each byte");
            uart.out(COM1, 1, c);
        }
        assertEquals("hi\n", seen.toString());
        assertEquals("hi\n", uart.transmitted());
    }

    @Test
    void receivedBytesAreReadInOrderWhileDataReadyIsSet() {
        uart.receive("ok");
        assertEquals(1, uart.in(COM1 + 5, 1) & 0x01);
        assertEquals('o', uart.in(COM1, 1));
        assertEquals('k', uart.in(COM1, 1));
        assertEquals(0, uart.in(COM1 + 5, 1) & 0x01);
    }

    @Test
    void theDivisorLatchSharesPortsWithDataAndIer() {
        uart.out(COM1 + 3, 1, 0x80);   // DLAB
        uart.out(COM1, 1, 0x01);       // divisor 1: 115200 baud
        uart.out(COM1 + 1, 1, 0x00);
        uart.out(COM1 + 3, 1, 0x03);   // 8N1, DLAB off
        assertEquals(1, uart.divisor());
        uart.out(COM1 + 1, 1, 0x01);   // IER: received data
        assertEquals(0x01, uart.in(COM1 + 1, 1));
    }

    @Test
    void receivedDataInterruptsThroughOut2UntilTheFifoIsDrained() {
        uart.out(COM1 + 1, 1, 0x01);   // IER: received data available
        uart.receive("x");
        assertTrue(irqLevels.isEmpty(), "without MCR.OUT2 the interrupt does not reach the bus");
        uart.out(COM1 + 4, 1, 0x08);   // MCR: OUT2
        assertEquals(List.of(1), irqLevels);
        assertEquals(0x04, uart.in(COM1 + 2, 1) & 0x0F, "IIR: received data available");
        uart.in(COM1, 1);
        assertEquals(List.of(1, 0), irqLevels);
        assertEquals(0x01, uart.in(COM1 + 2, 1) & 0x0F, "IIR: no interrupt pending");
    }

    @Test
    void enablingTheTransmitterInterruptFiresAtOnceAndReadingIirClearsIt() {
        uart.out(COM1 + 4, 1, 0x08);
        uart.out(COM1 + 1, 1, 0x02);   // IER: THR empty
        assertEquals(List.of(1), irqLevels);
        assertEquals(0x02, uart.in(COM1 + 2, 1) & 0x0F);
        assertEquals(List.of(1, 0), irqLevels);
    }

    @Test
    void loopbackSendsBytesBackToTheReceiver() {
        uart.out(COM1 + 4, 1, 0x10);   // MCR: loop
        uart.out(COM1, 1, 'L');
        assertEquals('L', uart.in(COM1, 1));
        assertEquals("", uart.transmitted());
    }

    @Test
    void onTheMachineComOneInterruptsThroughIrq4() {
        dev.vwb.machine.Machine m = dev.vwb.machine.Machine.builder().ramMiB(1).build();
        PicPair pic = m.pic();
        for (int[] w : new int[][] {{0x20, 0x11}, {0xA0, 0x11}, {0x21, 0x08}, {0xA1, 0x70}, {0x21, 0x04},
                {0xA1, 0x02}, {0x21, 0x01}, {0xA1, 0x01}, {0x21, 0xEF}}) {
            pic.out(w[0], 1, w[1]);    // BIOS mapping; only IRQ 4 unmasked
        }
        m.io().out(COM1 + 1, 1, 0x01);
        m.io().out(COM1 + 4, 1, 0x08);
        m.com1().receive("a");
        assertTrue(pic.pending());
        assertEquals(0x0C, pic.acknowledge(), "IRQ 4 at vector 08h + 4");
    }
}
