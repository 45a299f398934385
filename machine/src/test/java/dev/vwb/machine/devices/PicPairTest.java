package dev.vwb.machine.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The 8259A pair as a PC BIOS programs it: IRQ 0-7 at vectors 08h-0Fh, IRQ 8-15 at 70h-77h. */
class PicPairTest {
    private final PicPair pic = new PicPair();
    private int changes;

    @BeforeEach
    void initializeAsABiosDoes() {
        pic.setOnChange(() -> changes++);
        pic.out(0x20, 1, 0x11);  // ICW1: edge, cascade, ICW4 follows
        pic.out(0xA0, 1, 0x11);
        pic.out(0x21, 1, 0x08);  // ICW2: vector bases
        pic.out(0xA1, 1, 0x70);
        pic.out(0x21, 1, 0x04);  // ICW3: slave on IR2
        pic.out(0xA1, 1, 0x02);
        pic.out(0x21, 1, 0x01);  // ICW4: 8086 mode
        pic.out(0xA1, 1, 0x01);
    }

    @Test
    void anEdgeOnIrq0IsDeliveredAtTheMastersBaseVector() {
        pic.pulseIrq(0);
        assertTrue(pic.pending());
        assertEquals(0x08, pic.acknowledge());
        assertFalse(pic.pending(), "in service until EOI");
        assertTrue(changes > 0, "the CPU is told when INTR may change");
    }

    @Test
    void aMaskedRequestWaitsUntilUnmasked() {
        pic.out(0x21, 1, 0x01);  // OCW1: mask IRQ 0
        pic.pulseIrq(0);
        assertFalse(pic.pending());
        assertEquals(0x01, pic.in(0x21, 1));
        pic.out(0x21, 1, 0x00);
        assertTrue(pic.pending());
    }

    @Test
    void aLowerPriorityRequestWaitsForTheEoiOfAHigherOne() {
        pic.pulseIrq(0);
        assertEquals(0x08, pic.acknowledge());
        pic.pulseIrq(3);
        assertFalse(pic.pending(), "IRQ 3 is blocked while IRQ 0 is in service");
        pic.out(0x20, 1, 0x0B);  // OCW3: read ISR
        assertEquals(0x01, pic.in(0x20, 1));
        pic.out(0x20, 1, 0x20);  // non-specific EOI
        assertTrue(pic.pending());
        assertEquals(0x0B, pic.acknowledge());
    }

    @Test
    void slaveRequestsArriveThroughTheCascade() {
        pic.pulseIrq(9);
        assertTrue(pic.pending());
        assertEquals(0x71, pic.acknowledge());
        pic.out(0xA0, 1, 0x0B);
        assertEquals(0x02, pic.in(0xA0, 1), "IR1 of the slave is in service");
    }

    @Test
    void anAcknowledgeWithNothingPendingIsTheSpuriousIrq7() {
        assertEquals(0x0F, pic.acknowledge());
    }
}
