package dev.vwb.student;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vwb.workbench.guests.KernelGuests;
import dev.vwb.workbench.hv.ExitReason;
import dev.vwb.workbench.hv.Extensions;
import dev.vwb.workbench.hv.GuestSlice;
import dev.vwb.workbench.hv.Hypervisor;
import dev.vwb.workbench.hv.KernelRun;
import org.junit.jupiter.api.Test;

/**
 * Public tests of exercise "isolation-policy": run them with {@code ./vwb exercise check}. The
 * graded tests check each rule's edge cases (the slice's end, the ports next to the guest's,
 * ranges that wrap, page-granular limits, expand-down segments) and every attack guest.
 */
class IsolationPolicyTest {
    private final StudentIsolation policy = new StudentIsolation();

    @Test
    void aFrameOutsideTheGuestsMemoryIsNotItsOwn() {
        GuestSlice slice = new GuestSlice(0x0080_0000L, 32L << 20);
        assertEquals(0x0080_1000L, policy.hostAddress(slice, 0x1000), "guest-physical 1000h is host 801000h");
        assertEquals(-1, policy.hostAddress(slice, 0x7F00_0000L), "7F000000h is beyond the guest's 32 MiB");
    }

    @Test
    void com1IsReachableButTheHostsDiskIsNot() {
        assertTrue(policy.portReachable(0x3F8), "COM1 is the guest's");
        assertFalse(policy.portReachable(0x1F0), "the IDE controller is the host's");
    }

    @Test
    void theFlatSegmentStopsBelowTheWindow() {
        assertEquals(0xFFFD_FFFFL, policy.expandUpLimit(0, 0xFFFF_FFFFL), "base 0, 4 GiB: the last byte must be FFFDFFFFh");
    }

    @Test
    void attackOutsideIsContained() {
        KernelRun hv = KernelRun.under(KernelGuests.image("attack-outside"), Hypervisor.Mode.PATCH,
                Extensions.builder().isolation(new StudentIsolation()).build());
        assertTrue(hv.hypervisor().exits().count(ExitReason.CONTAINED) > 0,
                "the guest's read of a foreign frame must be refused: " + hv.output() + "\n" + hv.hypervisor().exits().table());
    }
}
