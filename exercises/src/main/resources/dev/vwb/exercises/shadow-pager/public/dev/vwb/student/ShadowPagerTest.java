package dev.vwb.student;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vwb.workbench.guests.KernelGuests;
import dev.vwb.workbench.hv.Extensions;
import dev.vwb.workbench.hv.GuestPaging;
import dev.vwb.workbench.hv.Hypervisor;
import dev.vwb.workbench.hv.KernelRun;
import dev.vwb.workbench.hv.ShadowFill;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Public tests of exercise "shadow-pager": run them with {@code ./vwb exercise check}. The graded
 * tests check protection, accessed and dirty bits, page-table protection, 4 MiB and global pages,
 * foreign frames and more guests.
 */
class ShadowPagerTest {
    private static final int P = 1, W = 2, U = 4;
    private final StudentShadowFill fill = new StudentShadowFill();

    @Test
    void withGuestPagingOffTheShadowMapsTheSliceOneToOne() {
        ShadowFill.Verdict v = fill.onPageFault(new FakePaging(0x11, 0), 0x3456, 0);
        assertEquals(new ShadowFill.Fill(0x0080_3000 | P | W | U, -1), v,
                "guest-physical 3000h is host 803000h here; the shadow entry is present, writable and user");
    }

    @Test
    void aPageTheGuestDoesNotMapIsATrueFault() {
        FakePaging guest = new FakePaging(0x8000_0011, 0x1000);  // paging on; the directory at 1000h is empty
        assertEquals(new ShadowFill.GuestFault(W), fill.onPageFault(guest, 0x0040_0000, W),
                "a write to a page whose directory entry is not present: #PF with error code 2 (W, not P)");
    }

    @Test
    void theTeachingKernelPrintsTheSameUnderYourShadowPagerAsOnBareMetal() {
        byte[] kernel = KernelGuests.image("teachkernel");
        KernelRun bare = KernelRun.bare(kernel);
        KernelRun hv = KernelRun.under(kernel, Hypervisor.Mode.PATCH, Extensions.builder().shadowFill(new StudentShadowFill()).build());
        assertEquals(bare.output(), hv.output(), "the teaching kernel's output under your shadow pager differs from bare metal's");
    }

    /** Guest memory as a map of dwords (all zero), 16 MiB at host 800000h. */
    record FakePaging(int cr0, int cr3) implements GuestPaging {
        private static final Map<Integer, Integer> MEMORY = new HashMap<>();

        @Override
        public int cr4() {
            return 0;
        }

        @Override
        public boolean pagingEnabled() {
            return cr0 < 0;
        }

        @Override
        public int readPhysical(int address) {
            return MEMORY.getOrDefault(address, 0);
        }

        @Override
        public void writePhysical(int address, int value) {
            throw new AssertionError("nothing to write in this test");
        }

        @Override
        public long memorySize() {
            return 16 << 20;
        }

        @Override
        public long hostAddress(long address) {
            return address >= 0 && address < memorySize() ? 0x0080_0000 + address : -1;
        }

        @Override
        public boolean isPageTable(int frame) {
            return false;
        }
    }
}
