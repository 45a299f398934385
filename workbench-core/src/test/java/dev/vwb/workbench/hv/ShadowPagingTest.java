package dev.vwb.workbench.hv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vwb.machine.Machine;
import dev.vwb.machine.StopReason;
import dev.vwb.machine.asm.Assembler;
import dev.vwb.machine.asm.Assembly;
import dev.vwb.machine.loader.FlatBinaryLoader;
import dev.vwb.machine.loader.MultibootLoader;
import dev.vwb.workbench.guests.KernelGuests;
import org.junit.jupiter.api.Test;

/** Shadow paging at work: its counters on a paging guest, the shadow cache, stale TLB entries, the three-way view. */
class ShadowPagingTest {
    /**
     * Maps 400000h to frame 200000h (holding 111), reads it, points the entry at 201000h
     * (holding 222) without INVLPG and reads again (a stale TLB entry: still 111 on hardware),
     * then INVLPG and reads once more (222).
     */
    private static final String STALE_TLB = """
            bits 32
            org 0x100000
                    mov esp, 0x90000
                    mov dword [0x200000], 111
                    mov dword [0x201000], 222
                    mov edi, 0x300000           ; page directory
                    xor eax, eax
                    mov ecx, 2048
                    rep stosd                   ; the directory and the table at 301000h
                    mov dword [0x300000], 0x000083  ; 0-4 MiB: one 4 MiB page (identity)
                    mov dword [0x300004], 0x301003  ; 4-8 MiB: the table
                    mov dword [0x301000], 0x200003  ; 400000h -> 200000h
                    mov eax, cr4
                    or eax, 0x10                ; PSE
                    mov cr4, eax
                    mov eax, 0x300000
                    mov cr3, eax
                    mov eax, cr0
                    or eax, 0x80000000
                    mov cr0, eax
                    mov eax, [0x400000]
                    mov [first], eax
                    mov dword [0x301000], 0x201003  ; remapped, no INVLPG
                    mov eax, [0x400000]
                    mov [stale], eax
                    invlpg [0x400000]
                    mov eax, [0x400000]
                    mov [fresh], eax
                    hlt
                    align 4
            first:  dd 0
            stale:  dd 0
            fresh:  dd 0
            """;

    @Test
    void aGuestThatReliesOnAStaleTlbEntrySeesItStaleUnderShadowPagingToo() throws Exception {
        int[] bare = staleRun(null);
        assertEquals(111, bare[0]);
        assertEquals(111, bare[1], "bare hardware keeps the stale entry until INVLPG");
        assertEquals(222, bare[2]);
        int[] hv = staleRun(Hypervisor.Mode.PATCH);
        assertEquals(java.util.Arrays.toString(bare), java.util.Arrays.toString(hv));
    }

    private static int[] staleRun(Hypervisor.Mode mode) throws Exception {
        FlatGuestRun r = FlatGuestRun.untilHalt(STALE_TLB, mode);
        if (r.hypervisor() != null) {
            assertTrue(r.hypervisor().exits().count(ExitReason.PAGE_TABLE_WRITE) >= 1, r.hypervisor().exits().table());
        }
        return new int[] {r.read32("first"), r.read32("stale"), r.read32("fresh")};
    }

    @Test
    void theTeachingKernelShowsTheShadowMachineryAtWork() {
        KernelRun bare = KernelRun.of(KernelGuests.image("teachkernel"), null);
        KernelRun hv = KernelRun.of(KernelGuests.image("teachkernel"), Hypervisor.Mode.PATCH);
        assertEquals(bare.output(), hv.output());
        ShadowStats s = hv.hypervisor().shadowStats();
        assertTrue(s.hiddenFaults() > 0, s.toString());
        assertTrue(s.tableWrites() > 0, s.toString());
        assertTrue(s.builds() >= 2, s.toString());  // one shadow per task's address space at least
        assertTrue(s.cacheHits() > 0, s.toString());  // the tasks switch back and forth
        assertEquals(s.builds(), hv.hypervisor().exits().count(ExitReason.SHADOW_BUILT));
    }

    @Test
    void aShadowCacheOfOneEvictsOnEverySwitchAndStaysCorrect() throws Exception {
        Machine staged = Machine.builder().ramMiB(KernelRun.MEMORY_MIB).build();
        MultibootLoader.load(staged, KernelGuests.image("teachkernel"));
        Hypervisor hv = Hypervisor.boot(staged, Hypervisor.Mode.PATCH, 1);
        StringBuilder out = new StringBuilder();
        hv.machine().com1().setSink(c -> out.append((char) c));
        assertEquals(StopReason.EXIT_DEVICE, hv.machine().run(KernelRun.BUDGET).reason());
        assertEquals(KernelRun.of(KernelGuests.image("teachkernel"), null).output(), out.toString());
        assertTrue(hv.shadowStats().evictions() > 0, hv.shadowStats().toString());
        assertEquals(hv.shadowStats().evictions(), hv.exits().count(ExitReason.SHADOW_EVICTED));
    }

    @Test
    void theThreeWayViewAgreesWithTheP2mOnceTheShadowHoldsThePage() {
        KernelRun hv = KernelRun.of(KernelGuests.image("teachkernel"), Hypervisor.Mode.PATCH);
        Translation t = hv.hypervisor().translate(0x100000);  // the kernel's code, identity mapped
        assertTrue(t.guestPaging(), t.toString());
        assertEquals(0x100000, t.guestPhysical(), t.toString());
        assertEquals(Hypervisor.SLICE_HOST + 0x100000L, t.host(), t.toString());
        assertTrue(t.shadowHost() == -1 || t.shadowHost() == t.host(), t.toString());
        assertTrue(t.toString().contains("p2m:         guest-physical 00100000 -> host 00900000"), t.toString());
    }

    @Test
    void withGuestPagingOffTheShadowIsAnIdentityOfTheSlice() throws Exception {
        Assembly a = Assembler.assemble("bits 32\norg 0x100000\nmov eax, [0x123456]\nhlt\n", "flat.asm");
        Machine m = Machine.builder().ramMiB(8).build();
        FlatBinaryLoader.load(m, a.bytes(), 0x100000, FlatBinaryLoader.Mode.PROTECTED);
        Hypervisor hv = Hypervisor.boot(m, Hypervisor.Mode.PATCH);
        hv.machine().run(100);
        Translation t = hv.translate(0x123456);
        assertEquals(0x123456, t.guestPhysical());
        assertEquals(Hypervisor.SLICE_HOST + 0x123456L, t.shadowHost(), t.toString());
    }
}
