package dev.vwb.workbench.hv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Descriptors as the real CPU gets them while the guest kernel runs at ring 1 (values from the SDM's Figure 3-8 layout). */
class RingCompressionTest {
    /** A flat 4 GiB ring-0 code segment, as every Multiboot kernel's GDT has it. */
    private static final long FLAT_CODE_0 = 0x00CF_9A00_0000_FFFFL;
    private static final long FLAT_DATA_3 = 0x00CF_F200_0000_FFFFL;
    private static final long TSS_32 = 0x0000_8900_1000_0067L;
    private static final long INT_GATE_0 = 0x0010_8E00_0008_1234L;
    private static final long INT_GATE_3 = 0x0010_EE00_0008_1234L;

    @Test
    void ringZeroSegmentsBecomeRingOneAndStopBelowTheHypervisorsWindow() {
        long d = RingCompression.segment(FLAT_CODE_0);
        assertEquals(1, RingCompression.dpl(d));
        assertEquals(0, RingCompression.base(d));
        assertEquals(0xFFFD_FFFFL, RingCompression.limitBytes(d));  // 0xFFFE0000 is the window
        assertEquals(0xA, RingCompression.type(d));
    }

    @Test
    void userSegmentsKeepTheirPrivilege() {
        long d = RingCompression.segment(FLAT_DATA_3);
        assertEquals(3, RingCompression.dpl(d));
        assertEquals(0xFFFD_FFFFL, RingCompression.limitBytes(d));
    }

    @Test
    void smallSegmentsBelowTheWindowAreUnchangedButForTheirPrivilege() {
        long small = 0x0040_9200_0000_1FFFL;  // data, 8 KiB, byte granular
        assertEquals(RingCompression.withDpl(small, 1), RingCompression.segment(small));
    }

    @Test
    void taskStateSegmentsAreNotPresentSoTaskSwitchesFaultIntoTheHypervisor() {
        assertFalse((RingCompression.segment(TSS_32) & RingCompression.PRESENT) != 0);
        assertTrue((TSS_32 & RingCompression.PRESENT) != 0);
    }

    @Test
    void gatesOfRingZeroStayReachableFromTheGuestKernelAndUserGatesStayUser() {
        assertEquals(1, RingCompression.dpl(RingCompression.gate(INT_GATE_0)));
        assertEquals(3, RingCompression.dpl(RingCompression.gate(INT_GATE_3)));
        assertTrue(RingCompression.gate32(INT_GATE_0));
        assertFalse(RingCompression.trapGate(INT_GATE_0));
    }

    /** Expand-down data, writable, DPL 0, present, B = 1: offsets from limit + 1 to FFFFFFFFh (SDM Vol. 3A §3.4.5.1). */
    private static final long DOWN_BIG_0 = 0x0040_9600_0000_0000L;

    @Test
    void anExpandDownSegmentWithBaseZeroReachesTheWindow_soNoOffsetStaysValid() {
        long d = RingCompression.segment(DOWN_BIG_0);  // limit 0: offsets 1-FFFFFFFFh, the window among them
        assertEquals(1, RingCompression.dpl(d));
        assertEquals(0xFFFF_FFFFL, RingCompression.limitBytes(d), "limit = the upper bound: an empty segment");
        assertEquals(6, RingCompression.type(d), "still expand-down writable data");
    }

    @Test
    void anExpandDownSegmentThatWrapsKeepsThePartPastTheWrap() {
        long d = RingCompression.withBaseAndLimit(DOWN_BIG_0, 0x0010_0000, 0xF_FFFF);  // linear 200000h up, wrapping to FFFFFh
        long compressed = RingCompression.segment(d);
        // Offsets FFF00000h-FFFFFFFFh stay valid: linear 0-FFFFFh, below the window.
        assertEquals(0xFFEF_FFFFL, RingCompression.limitBytes(compressed));
        assertEquals(0x0010_0000, RingCompression.base(compressed));
    }

    @Test
    void anExpandDownSegmentBelowTheWindowIsUnchangedButForItsPrivilege() {
        long small = 0x0000_9600_0000_0FFFL;  // B = 0: offsets 1000h-FFFFh, linear the same
        assertEquals(RingCompression.withDpl(small, 1), RingCompression.segment(small));
        long inWindow = RingCompression.withBaseAndLimit(DOWN_BIG_0, 0xFFFF_0000, 0xFFF);
        assertEquals(0xFFFF_FFFFL, RingCompression.limitBytes(RingCompression.segment(inWindow)),
                "based in the window: even the part past the wrap ends in it");
    }

    @Test
    void theNullDescriptorStaysNull() {
        assertEquals(0, RingCompression.segment(0));
    }
}
