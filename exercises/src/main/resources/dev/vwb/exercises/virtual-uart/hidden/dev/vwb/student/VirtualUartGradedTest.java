package dev.vwb.student;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.vwb.machine.StopReason;
import dev.vwb.workbench.guests.KernelGuests;
import dev.vwb.workbench.hv.Extensions;
import dev.vwb.workbench.hv.Hypervisor;
import dev.vwb.workbench.hv.KernelRun;
import dev.vwb.workbench.hv.SerialLine;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Graded tests of exercise "virtual-uart": each register after the 16550's data sheet, then whole guests against bare metal. */
class VirtualUartGradedTest {
    private final FakeLine line = new FakeLine();
    private final StudentUart uart = new StudentUart(line);

    @Test
    @Tag("points=1")
    @DisplayName("a byte written to THR goes out on the line")
    void thrTransmits() {
        uart.write(0, 'h');
        uart.write(0, 'i');
        assertEquals(List.of((int) 'h', (int) 'i'), line.sent);
    }

    @Test
    @Tag("points=2")
    @DisplayName("LSR says THRE and TEMT (60h) with nothing received")
    void lsrIdle() {
        assertEquals(0x60, uart.read(5));
        uart.write(0, 'x');
        assertEquals(0x60, uart.read(5), "the line is infinitely fast: empty again at once");
    }

    @Test
    @Tag("points=1")
    @DisplayName("LSR.DR follows the line, and reading RBR takes the byte")
    void receiving() {
        line.arriving.add(0x41);
        assertEquals(0x61, uart.read(5));
        assertEquals(0x41, uart.read(0));
        assertEquals(0x60, uart.read(5));
        assertEquals(0, uart.read(0), "RBR with nothing received");
    }

    @Test
    @Tag("points=2")
    @DisplayName("with DLAB set, registers 0 and 1 are the divisor latch and nothing is sent")
    void divisorLatch() {
        uart.write(3, 0x80);
        uart.write(0, 0x01);
        uart.write(1, 0x02);
        assertEquals(0x01, uart.read(0));
        assertEquals(0x02, uart.read(1));
        assertEquals(0x0201, uart.divisor());
        assertEquals(List.of(), line.sent, "a DLL write is no byte for the line");
        uart.write(3, 0x03);
        assertEquals(0, uart.read(1), "IER is untouched by DLM writes");
        uart.write(0, 'k');
        assertEquals(List.of((int) 'k'), line.sent);
    }

    @Test
    @Tag("points=1")
    @DisplayName("the divisor is 12 (9600 baud) after reset")
    void divisorAfterReset() {
        assertEquals(12, uart.divisor());
        uart.write(3, 0x80);
        assertEquals(12, uart.read(0));
        assertEquals(0, uart.read(1));
    }

    @Test
    @Tag("points=1")
    @DisplayName("IER keeps bits 0-3 only")
    void ierBits() {
        uart.write(1, 0xFF);
        assertEquals(0x0F, uart.read(1));
    }

    @Test
    @Tag("points=1")
    @DisplayName("LCR, MCR (bits 0-4) and the scratch register read back")
    void readBack() {
        uart.write(3, 0x1B);
        uart.write(4, 0xFF);
        uart.write(7, 0xA5);
        assertEquals(0x1B, uart.read(3));
        assertEquals(0x1F, uart.read(4));
        assertEquals(0xA5, uart.read(7));
    }

    @Test
    @Tag("points=1")
    @DisplayName("IIR says no interrupt pending; MSR says a peer is connected")
    void iirAndMsr() {
        assertEquals(0x01, uart.read(2) & 0x0F);
        assertEquals(0xB0, uart.read(6));
    }

    @Test
    @Tag("points=1")
    @DisplayName("LSR and MSR ignore writes; FCR writes send nothing")
    void readOnlyRegisters() {
        uart.write(5, 0x00);
        uart.write(6, 0x00);
        uart.write(2, 0x07);
        assertEquals(0x60, uart.read(5));
        assertEquals(0xB0, uart.read(6));
        assertEquals(List.of(), line.sent);
    }

    @Test
    @Tag("points=3")
    @DisplayName("the teaching kernel prints the same through your UART as on bare metal")
    void teachkernelIsEquivalentToBare() {
        assertEquivalent("teachkernel");
    }

    @Test
    @Tag("points=2")
    @DisplayName("the popf, sensitive and exits guests print the same through your UART as on bare metal")
    void otherGuestsAreEquivalentToBare() {
        assertEquivalent("popf");
        assertEquivalent("sensitive");
        assertEquivalent("exits");
    }

    private static void assertEquivalent(String guest) {
        byte[] kernel = KernelGuests.image(guest);
        KernelRun bare = KernelRun.bare(kernel);
        KernelRun hv = KernelRun.under(kernel, Hypervisor.Mode.PATCH, Extensions.builder().uart(StudentUart::new).build());
        assertFalse(bare.output().isEmpty());
        assertEquals(bare.output(), hv.output(), guest + ": the output through your UART differs from bare metal's");
        assertEquals(StopReason.EXIT_DEVICE, hv.result().reason(), guest + ": " + hv.result());
    }

    /** A serial line that keeps what was sent and hands out what was queued to arrive. */
    static final class FakeLine implements SerialLine {
        final List<Integer> sent = new ArrayList<>();
        final ArrayDeque<Integer> arriving = new ArrayDeque<>();

        @Override
        public void transmit(int b) {
            sent.add(b);
        }

        @Override
        public boolean hasReceived() {
            return !arriving.isEmpty();
        }

        @Override
        public int receive() {
            Integer b = arriving.poll();
            return b == null ? -1 : b;
        }
    }
}
