package dev.vwb.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vwb.workbench.WorkbenchException;
import dev.vwb.workbench.hv.Hypervisor;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuestSpecTest {
    @Test
    void guestKernelsRunUnderTheHypervisorInPatchModeUnlessBare() {
        assertEquals(Hypervisor.Mode.PATCH, new GuestSpec("teachkernel", false).mode());
        assertNull(new GuestSpec("teachkernel", true).mode());
        assertEquals("teachkernel under the hypervisor (patch mode)", GuestSpec.DEFAULT.describe());
    }

    @Test
    void theParavirtualKernelRunsOnlyInParavirtMode() {
        assertEquals(Hypervisor.Mode.PARAVIRT, new GuestSpec("teachkernel-pv", false).mode());
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> new GuestSpec("teachkernel-pv", true).mode());
        assertEquals("teachkernel-pv makes hypercalls: it runs only under the hypervisor (paravirt mode)", e.getMessage());
    }

    @Test
    void biosImagesRunBareAndSayWhy() {
        GuestSpec demo = new GuestSpec("demo", false);
        assertNull(demo.mode());
        assertTrue(demo.note().startsWith("demo is a BIOS image that starts in real mode: it runs bare"), demo.note());
        assertEquals("", new GuestSpec("demo", true).note());
    }

    @Test
    void argumentsAreAGuestAndBare() {
        assertEquals(new GuestSpec("popf", true), GuestSpec.parse(List.of("--bare", "popf"), "teachkernel"));
        assertEquals(GuestSpec.DEFAULT, GuestSpec.parse(List.of(), "teachkernel"));
        assertThrows(IllegalArgumentException.class, () -> GuestSpec.parse(List.of("--fast"), "teachkernel"));
        assertThrows(IllegalArgumentException.class, () -> GuestSpec.parse(List.of("a", "b"), "teachkernel"));
    }

    @Test
    void anUnknownNameThatIsNoFileIsAOneLineError() {
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> new GuestSpec("nosuch", false).open());
        assertTrue(e.getMessage().startsWith("no bundled guest or file named 'nosuch'; the bundled guests are: demo"),
                e.getMessage());
    }
}
