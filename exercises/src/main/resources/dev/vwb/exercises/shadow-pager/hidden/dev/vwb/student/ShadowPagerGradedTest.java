package dev.vwb.student;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.vwb.machine.StopReason;
import dev.vwb.workbench.guests.KernelGuests;
import dev.vwb.workbench.hv.Extensions;
import dev.vwb.workbench.hv.GuestPaging;
import dev.vwb.workbench.hv.Hypervisor;
import dev.vwb.workbench.hv.KernelRun;
import dev.vwb.workbench.hv.ShadowFill;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Graded tests of exercise "shadow-pager": faults answered against guest tables made by hand
 * (page directory at 1000h, the page table of linear 400000h-7FFFFFh at 2000h, guest memory
 * 16 MiB at host 800000h), then whole guests against bare metal.
 */
class ShadowPagerGradedTest {
    private static final int P = 1, W = 2, U = 4, A = 0x20, D = 0x40, PS = 0x80, G = 0x100;
    private static final int PAGE = 0x0040_3000;  // directory 1, table 3
    private static final int PTE_AT = 0x2000 + 3 * 4;
    private static final int PDE_AT = 0x1000 + 4;
    private final StudentShadowFill fill = new StudentShadowFill();
    private final FakePaging guest = new FakePaging();

    /** A guest with paging on, linear {@link #PAGE} mapped to guest frame 5000h with {@code pteFlags}. */
    private void mapPage(int pdeFlags, int pteFlags) {
        guest.cr0 = 0x8001_0011;  // PG, WP, ET, PE
        guest.cr3 = 0x1000;
        guest.memory.put(PDE_AT, 0x2000 | pdeFlags);
        guest.memory.put(PTE_AT, 0x5000 | pteFlags);
    }

    @Test
    @Tag("points=1")
    @DisplayName("with guest paging off the shadow maps the slice one to one, writable, user; outside it is refused")
    void identityWhenPagingIsOff() {
        assertEquals(new ShadowFill.Fill(0x0080_3000 | P | W | U, -1), fill.onPageFault(guest, 0x3456, 0));
        assertInstanceOf(ShadowFill.Refused.class, fill.onPageFault(guest, 0x0100_0000, 0), "16 MiB is past the guest's memory");
    }

    @Test
    @Tag("points=1")
    @DisplayName("a directory entry not present is a true fault with P = 0")
    void notPresentDirectoryEntry() {
        mapPage(0, P | W);
        assertEquals(new ShadowFill.GuestFault(W), fill.onPageFault(guest, PAGE, W));
    }

    @Test
    @Tag("points=1")
    @DisplayName("a table entry not present is a true fault with the access's W and U")
    void notPresentTableEntry() {
        mapPage(P | W | U, 0);
        assertEquals(new ShadowFill.GuestFault(W | U), fill.onPageFault(guest, PAGE, W | U));
    }

    @Test
    @Tag("points=1")
    @DisplayName("a user access to a supervisor page is a protection fault (P = 1); U is needed at both levels")
    void userAccessToSupervisorPage() {
        mapPage(P | W, P | W | U);
        assertEquals(new ShadowFill.GuestFault(P | U), fill.onPageFault(guest, PAGE, U));
    }

    @Test
    @Tag("points=1")
    @DisplayName("a supervisor write to a read-only page with CR0.WP set is a protection fault")
    void supervisorWriteWithWriteProtect() {
        mapPage(P | W | U, P | U);
        assertEquals(new ShadowFill.GuestFault(P | W), fill.onPageFault(guest, PAGE, W));
    }

    @Test
    @Tag("points=2")
    @DisplayName("with CR0.WP clear a supervisor write to a read-only page is mapped read-only, then run as a protected write")
    void supervisorWriteWithoutWriteProtect() {
        mapPage(P | W | U, P | U);
        guest.cr0 &= ~0x1_0000;
        ShadowFill.Verdict first = fill.onPageFault(guest, PAGE, W);
        assertInstanceOf(ShadowFill.Fill.class, first);
        assertEquals(0, ((ShadowFill.Fill) first).shadowEntry() & W, "the shadow entry stays read-only");
        ShadowFill.Verdict again = fill.onPageFault(guest, PAGE, P | W);
        assertInstanceOf(ShadowFill.ProtectedWrite.class, again);
        assertEquals(false, ((ShadowFill.ProtectedWrite) again).pageTable());
    }

    @Test
    @Tag("points=2")
    @DisplayName("a read sets A in the PDE and the PTE; a write sets D in the PTE too")
    void accessedAndDirtyBits() {
        mapPage(P | W | U, P | W | U);
        fill.onPageFault(guest, PAGE, 0);
        assertEquals(0x2000 | P | W | U | A, guest.memory.get(PDE_AT));
        assertEquals(0x5000 | P | W | U | A, guest.memory.get(PTE_AT), "a read does not set D");
        fill.onPageFault(guest, PAGE, P | W);
        assertEquals(0x5000 | P | W | U | A | D, guest.memory.get(PTE_AT));
        assertEquals(0x2000 | P | W | U | A, guest.memory.get(PDE_AT), "D is not a PDE's bit for a 4 KiB page");
    }

    @Test
    @Tag("points=2")
    @DisplayName("a clean writable page is mapped read-only until the first write, then writable; the entry is the p2m's host frame")
    void writableOnlyOnceDirty() {
        mapPage(P | W | U, P | W | U);
        assertEquals(new ShadowFill.Fill(0x0080_5000 | P | U, 2), fill.onPageFault(guest, PAGE, 0));
        assertEquals(new ShadowFill.Fill(0x0080_5000 | P | W | U, 2), fill.onPageFault(guest, PAGE, P | W));
    }

    @Test
    @Tag("points=2")
    @DisplayName("a guest page table is mapped read-only, and a write to it is a protected write")
    void pageTablesAreWriteProtected() {
        mapPage(P | W | U, P | W | U | A | D);
        guest.tables.add(5);
        ShadowFill.Verdict read = fill.onPageFault(guest, PAGE, 0);
        assertEquals(new ShadowFill.Fill(0x0080_5000 | P | U, 2), read);
        ShadowFill.Verdict write = fill.onPageFault(guest, PAGE, P | W);
        assertInstanceOf(ShadowFill.ProtectedWrite.class, write);
        assertEquals(true, ((ShadowFill.ProtectedWrite) write).pageTable());
        assertEquals(0, ((ShadowFill.ProtectedWrite) write).shadowEntry() & W);
    }

    @Test
    @Tag("points=2")
    @DisplayName("a 4 MiB page (PS with CR4.PSE) maps PDE bits 31-22 plus linear bits 21-12, sets A and D in the PDE, no guest table")
    void fourMegabytePages() {
        guest.cr0 = 0x8001_0011;
        guest.cr3 = 0x1000;
        guest.cr4 = 0x10;
        guest.memory.put(0x1000 + 4 * 1, 0x0040_0000 | P | W | PS);  // linear 400000h -> guest 400000h, 4 MiB
        assertEquals(new ShadowFill.Fill(0x0080_0000 + 0x0040_3000 | P | W, -1), fill.onPageFault(guest, 0x0040_3123, W));
        assertEquals(0x0040_0000 | P | W | PS | A | D, guest.memory.get(0x1000 + 4));
    }

    @Test
    @Tag("points=1")
    @DisplayName("PS is ignored without CR4.PSE: the PDE names a page table")
    void pageSizeIgnoredWithoutPse() {
        mapPage(P | W | U | PS, P | W | U | A | D);
        assertEquals(new ShadowFill.Fill(0x0080_5000 | P | W | U, 2), fill.onPageFault(guest, PAGE, 0));
    }

    @Test
    @Tag("points=1")
    @DisplayName("G goes into the shadow entry only with CR4.PGE")
    void globalOnlyWithPge() {
        mapPage(P | W, P | W | G | A | D);
        assertEquals(new ShadowFill.Fill(0x0080_5000 | P | W, 2), fill.onPageFault(guest, PAGE, 0));
        guest.cr4 = 0x80;
        assertEquals(new ShadowFill.Fill(0x0080_5000 | P | W | G, 2), fill.onPageFault(guest, PAGE, 0));
    }

    @Test
    @Tag("points=1")
    @DisplayName("a guest entry naming a frame outside the guest's memory is refused")
    void foreignFrameIsRefused() {
        mapPage(P | W, P | W);
        guest.memory.put(PTE_AT, 0x7F00_0000 | P | W);
        assertInstanceOf(ShadowFill.Refused.class, fill.onPageFault(guest, PAGE, 0));
    }

    @Test
    @Tag("points=2")
    @DisplayName("the teaching kernel (two address spaces, preemption) prints the same under your shadow pager as on bare metal")
    void teachkernelIsEquivalentToBare() {
        byte[] kernel = KernelGuests.image("teachkernel");
        KernelRun bare = KernelRun.bare(kernel);
        KernelRun hv = KernelRun.under(kernel, Hypervisor.Mode.PATCH, Extensions.builder().shadowFill(new StudentShadowFill()).build());
        assertEquals(bare.output(), hv.output(), "the output under your shadow pager differs from bare metal's");
        assertEquals(StopReason.EXIT_DEVICE, hv.result().reason(), hv.result().toString());
    }

    @Test
    @Tag("points=1")
    @DisplayName("stale translations (attack-stale) behave as under the reference shadow pager")
    void staleTranslationsAsTheReference() {
        byte[] kernel = KernelGuests.image("attack-stale");
        KernelRun reference = KernelRun.under(kernel, Hypervisor.Mode.PATCH, Extensions.REFERENCE);
        KernelRun hv = KernelRun.under(kernel, Hypervisor.Mode.PATCH, Extensions.builder().shadowFill(new StudentShadowFill()).build());
        assertEquals(reference.output(), hv.output());
    }

    /** Guest memory as a map of dwords; 16 MiB at host 800000h. */
    static final class FakePaging implements GuestPaging {
        int cr0 = 0x11;
        int cr3;
        int cr4;
        final Map<Integer, Integer> memory = new HashMap<>();
        final Set<Integer> tables = new HashSet<>(Set.of(1, 2));  // the directory and the table are tables

        @Override
        public int cr0() {
            return cr0;
        }

        @Override
        public int cr3() {
            return cr3;
        }

        @Override
        public int cr4() {
            return cr4;
        }

        @Override
        public boolean pagingEnabled() {
            return cr0 < 0;
        }

        @Override
        public int readPhysical(int address) {
            return memory.getOrDefault(address, 0);
        }

        @Override
        public void writePhysical(int address, int value) {
            memory.put(address, value);
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
            return tables.contains(frame);
        }
    }
}
