package dev.vwb.student;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vwb.machine.io.IoDevice;
import dev.vwb.workbench.guests.KernelGuests;
import dev.vwb.workbench.hv.ExitReason;
import dev.vwb.workbench.hv.Extensions;
import dev.vwb.workbench.hv.GuestSlice;
import dev.vwb.workbench.hv.Hypervisor;
import dev.vwb.workbench.hv.KernelRun;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Graded tests of exercise "isolation-policy": each rule with its edge cases, then the attack guests contained. */
class IsolationPolicyGradedTest {
    private static final GuestSlice SLICE = new GuestSlice(0x0080_0000L, 32L << 20);
    private final StudentIsolation policy = new StudentIsolation();

    @Test
    @Tag("points=1")
    @DisplayName("frames: guest-physical addresses in the slice map to the slice")
    void framesInsideTheSlice() {
        assertEquals(0x0080_0000L, policy.hostAddress(SLICE, 0));
        assertEquals(0x0280_0000L - 1, policy.hostAddress(SLICE, (32L << 20) - 1));
    }

    @Test
    @Tag("points=2")
    @DisplayName("frames: the first address past the slice and addresses far beyond it are not the guest's")
    void framesOutsideTheSlice() {
        assertEquals(-1, policy.hostAddress(SLICE, 32L << 20));
        assertEquals(-1, policy.hostAddress(SLICE, 0x7F00_0000L));
        assertEquals(-1, policy.hostAddress(SLICE, 0xFFFF_F000L), "would wrap to host 7FF000h, the hypervisor's pool");
    }

    @Test
    @Tag("points=1")
    @DisplayName("ports: every port of the guest's devices is reachable")
    void guestPorts() {
        for (int port : new int[] {0x20, 0x21, 0xA0, 0xA1, 0x40, 0x41, 0x42, 0x43, 0x3F8, 0x3FB, 0x3FD, 0x3FF, 0xE9, 0xF4, 0xF7, 0x80}) {
            assertTrue(policy.portReachable(port), Integer.toHexString(port));
        }
    }

    @Test
    @Tag("points=1")
    @DisplayName("ports: the host's disk, CMOS, PCI and the ports next to the guest's are refused")
    void hostPorts() {
        for (int port : new int[] {0x1F0, 0x1F7, 0x70, 0x71, 0xCF8, 0xCFC, 0x22, 0x44, 0x3F7, 0x400, 0xE8, 0xF8, 0x81, 0xFFFF}) {
            assertFalse(policy.portReachable(port), Integer.toHexString(port));
        }
    }

    @Test
    @Tag("points=1")
    @DisplayName("linear ranges: up to FFFDFFFFh is clear; a byte at FFFE0000h or a range wrapping past 4 GiB reaches the window")
    void linearRanges() {
        assertFalse(policy.reachesWindow(0xFFFD_FFFF, 1));
        assertTrue(policy.reachesWindow(0xFFFD_FFFF, 2));
        assertTrue(policy.reachesWindow(0xFFFE_0000, 1));
        assertTrue(policy.reachesWindow(0xFFFF_FFF0, 0x20));
        assertFalse(policy.reachesWindow(0x1000, 0));
        assertFalse(policy.reachesWindow(0, 0xFFFE_0000L));
        assertTrue(policy.reachesWindow(0, 0xFFFE_0001L));
    }

    @Test
    @Tag("points=1")
    @DisplayName("segments: an expand-up segment that ends below the window keeps its limit")
    void expandUpBelowTheWindow() {
        assertEquals(0xF_FFFFL, policy.expandUpLimit(0, 0xF_FFFFL));
        assertEquals(0xFFFD_FFFFL, policy.expandUpLimit(0, 0xFFFD_FFFFL));
        assertEquals(0x1000L, policy.expandUpLimit(0x1000_0000, 0x1000L));
    }

    @Test
    @Tag("points=1")
    @DisplayName("segments: the flat 4 GiB segment ends at FFFDFFFFh")
    void expandUpFlat() {
        assertEquals(0xFFFD_FFFFL, policy.expandUpLimit(0, 0xFFFF_FFFFL));
    }

    @Test
    @Tag("points=2")
    @DisplayName("segments: a cut limit above FFFFFh ends on a page; below, it is byte-exact")
    void expandUpGranularity() {
        assertEquals(0xFFFD_EFFFL, policy.expandUpLimit(0x10, 0xFFFF_FFFFL));
        assertEquals(0xD_FFFFL, policy.expandUpLimit(0xFFF0_0000, 0xF_FFFFL));
    }

    @Test
    @Tag("points=1")
    @DisplayName("segments: an expand-up segment that starts in the window keeps nothing (-1)")
    void expandUpInsideTheWindow() {
        assertEquals(-1, policy.expandUpLimit(0xFFFF_0000, 0xFFL));
    }

    @Test
    @Tag("points=1")
    @DisplayName("segments: expand-down with base 0 and limit 0 (all of memory) keeps no valid offset")
    void expandDownFlat() {
        assertEquals(0xFFFF_FFFFL, policy.expandDownLimit(0, 0, true));
    }

    @Test
    @Tag("points=1")
    @DisplayName("segments: expand-down segments that miss the window keep their limit")
    void expandDownClear() {
        assertEquals(0x1000L, policy.expandDownLimit(0x0009_0000, 0x1000, false), "a 16-bit stack below 1 MiB");
        assertEquals(0xFFFF_FFFFL, policy.expandDownLimit(0x1234_0000, 0xFFFF_FFFFL, true), "already empty");
        assertEquals(0x7FFF_FFFFL, policy.expandDownLimit(0x8000_0000, 0x7FFF_FFFFL, true), "all of it past the wrap, below the window");
    }

    @Test
    @Tag("points=1")
    @DisplayName("segments: an expand-down segment whose top lies past the wrap keeps only the wrapped part")
    void expandDownWrapped() {
        assertEquals(0xEFFF_FFFFL, policy.expandDownLimit(0x1000_0000, 0, true));
    }

    @Test
    @Tag("points=1")
    @DisplayName("attack-outside: the foreign frame is refused and the guest stopped, as by the reference")
    void attackOutside() {
        assertContainedAsTheReference("attack-outside", Hypervisor.Mode.PATCH);
    }

    @Test
    @Tag("points=2")
    @DisplayName("attack-ports: the host's CMOS, IDE and PCI ports are not reached")
    void attackPorts() {
        IoDevice hostCmos = new IoDevice() {
            @Override
            public int in(int port, int size) {
                return 0x5A;  // what the host's CMOS would tell
            }

            @Override
            public void out(int port, int size, int value) {
                throw new AssertionError("the guest wrote the host's CMOS");
            }
        };
        byte[] kernel = KernelGuests.image("attack-ports");
        KernelRun reference = KernelRun.run(kernel, Hypervisor.Mode.PATCH, Extensions.REFERENCE, m -> m.io().attach(hostCmos, 0x70, 2));
        KernelRun hv = KernelRun.run(kernel, Hypervisor.Mode.PATCH, Extensions.builder().isolation(new StudentIsolation()).build(),
                m -> m.io().attach(hostCmos, 0x70, 2));
        assertEquals(reference.output(), hv.output());
        assertTrue(hv.hypervisor().exits().count(ExitReason.CONTAINED) > 0, hv.hypervisor().exits().table());
    }

    @Test
    @Tag("points=1")
    @DisplayName("attack-flat: segments reaching the window are cut short, as by the reference")
    void attackFlat() {
        assertContainedAsTheReference("attack-flat", Hypervisor.Mode.PATCH);
    }

    @Test
    @Tag("points=1")
    @DisplayName("attack-window: the task switch writing the hypervisor's GDT is refused, as by the reference")
    void attackWindow() {
        assertContainedAsTheReference("attack-window", Hypervisor.Mode.TRAP);
    }

    @Test
    @Tag("points=1")
    @DisplayName("the teaching kernel still prints the same under your policy as on bare metal")
    void teachkernelStillRuns() {
        byte[] kernel = KernelGuests.image("teachkernel");
        assertEquals(KernelRun.bare(kernel).output(),
                KernelRun.under(kernel, Hypervisor.Mode.PATCH, Extensions.builder().isolation(new StudentIsolation()).build()).output());
    }

    private static void assertContainedAsTheReference(String guest, Hypervisor.Mode mode) {
        byte[] kernel = KernelGuests.image(guest);
        KernelRun reference = KernelRun.under(kernel, mode, Extensions.REFERENCE);
        KernelRun hv = KernelRun.under(kernel, mode, Extensions.builder().isolation(new StudentIsolation()).build());
        assertEquals(reference.output(), hv.output(), guest + ": the output differs from the reference hypervisor's");
        assertEquals(reference.result().reason(), hv.result().reason(), guest + ": " + hv.result());
        assertEquals(reference.hypervisor().exits().count(ExitReason.CONTAINED), hv.hypervisor().exits().count(ExitReason.CONTAINED),
                guest + ": contained exits\n" + hv.hypervisor().exits().table());
        assertTrue(hv.hypervisor().exits().count(ExitReason.CONTAINED) > 0);
    }
}
