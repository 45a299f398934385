package dev.vwb.student;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vwb.workbench.guests.KernelGuests;
import dev.vwb.workbench.hv.Extensions;
import dev.vwb.workbench.hv.Hypervisor;
import dev.vwb.workbench.hv.KernelRun;
import dev.vwb.workbench.hv.SerialLine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Public tests of exercise "virtual-uart": run them with {@code ./vwb exercise check}. The graded
 * tests check every register (the divisor latch, IER, MCR, receiving ...) and more guests.
 */
class VirtualUartTest {
    private final List<Integer> sent = new ArrayList<>();
    private final StudentUart uart = new StudentUart(new SerialLine() {
        @Override
        public void transmit(int b) {
            sent.add(b);
        }

        @Override
        public boolean hasReceived() {
            return false;
        }

        @Override
        public int receive() {
            return -1;
        }
    });

    @Test
    void aByteWrittenToThrGoesOutOnTheLine() {
        uart.write(0, 'A');
        assertEquals(List.of((int) 'A'), sent, "writing register 0 (THR, DLAB clear) must call line.transmit");
    }

    @Test
    void lineStatusSaysTheTransmitterIsEmpty() {
        assertEquals(0x60, uart.read(5), "LSR must have THRE (20h) and TEMT (40h) set: the guest waits for THRE before each byte");
    }

    @Test
    void theTeachingKernelPrintsTheSameThroughYourUartAsOnBareMetal() {
        byte[] kernel = KernelGuests.image("teachkernel");
        KernelRun bare = KernelRun.bare(kernel);
        KernelRun hv = KernelRun.under(kernel, Hypervisor.Mode.PATCH, Extensions.builder().uart(StudentUart::new).build());
        assertEquals(bare.output(), hv.output(), "the teaching kernel's output through your UART differs from bare metal's");
    }
}
