package dev.vwb.machine.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The TLB keeps hardware's (in)coherence: a translation survives a page-table write until INVLPG
 * or a CR3 load, and a global one (CR4.PGE) survives the CR3 load too (SDM Vol. 3A §4.10.4).
 */
class PagingTest {
    private static final int PD = 0x10000;
    private static final int PT = 0x11000;
    private static final int PAGE = 0x00050000;     // the linear page the tests read
    private static final int FRAME_A = 0x00060000;  // holds 0xAAAAAAAA
    private static final int FRAME_B = 0x00070000;  // holds 0xBBBBBBBB

    /** A flat machine whose first 4 MiB are identity-mapped, except PAGE, which maps FRAME_A. */
    private static TestRig pagedRig(int pteExtraBits, int... code) {
        TestRig r = TestRig.flat(code);
        for (int i = 0; i < 1024; i++) {
            r.machine.memory().write32(PT + i * 4, i << 12 | 0x3);
        }
        r.machine.memory().write32(PT + (PAGE >>> 12) * 4, FRAME_A | 0x3 | pteExtraBits);
        r.machine.memory().write32(PD, PT | 0x3);
        r.machine.memory().write32(FRAME_A, 0xAAAAAAAA);
        r.machine.memory().write32(FRAME_B, 0xBBBBBBBB);
        return r;
    }

    private static void repoint(TestRig r, int pteExtraBits) {
        r.machine.memory().write32(PT + (PAGE >>> 12) * 4, FRAME_B | 0x3 | pteExtraBits);
    }

    // mov eax, PD ; mov cr3, eax ; mov eax, cr0 ; or eax, 80000000h ; mov cr0, eax ;
    // mov ebx, [PAGE] ; hlt
    private static final int[] ENABLE_AND_READ = {
        0xB8, 0x00, 0x00, 0x01, 0x00, 0x0F, 0x22, 0xD8, 0x0F, 0x20, 0xC0, 0x0D, 0x00, 0x00, 0x00, 0x80,
        0x0F, 0x22, 0xC0, 0x8B, 0x1D, 0x00, 0x00, 0x05, 0x00, 0xF4};

    @Test
    void aStaleTranslationIsUsedUntilInvlpg() {
        // ... then: mov ecx, [PAGE] ; invlpg [PAGE] ; mov edx, [PAGE] ; hlt
        int[] code = concat(ENABLE_AND_READ, 0x8B, 0x0D, 0x00, 0x00, 0x05, 0x00, 0x0F, 0x01, 0x3D, 0x00, 0x00, 0x05, 0x00,
                0x8B, 0x15, 0x00, 0x00, 0x05, 0x00, 0xF4);
        TestRig r = pagedRig(0, code);
        r.run();
        assertEquals(0xAAAAAAAA, r.reg(Reg32.EBX));
        repoint(r, 0);
        r.run();
        assertEquals(0xAAAAAAAA, r.reg(Reg32.ECX), "the TLB still maps the old frame");
        assertEquals(0xBBBBBBBB, r.reg(Reg32.EDX), "INVLPG drops it");
    }

    @Test
    void aCr3LoadFlushesOrdinaryTranslationsButKeepsGlobalOnes() {
        // ... then: mov eax, cr3 ; mov cr3, eax ; mov ecx, [PAGE] ; hlt
        int[] code = concat(ENABLE_AND_READ, 0x0F, 0x20, 0xD8, 0x0F, 0x22, 0xD8, 0x8B, 0x0D, 0x00, 0x00, 0x05, 0x00, 0xF4);
        TestRig ordinary = pagedRig(0, code);
        ordinary.run();
        repoint(ordinary, 0);
        ordinary.run();
        assertEquals(0xBBBBBBBB, ordinary.reg(Reg32.ECX));

        TestRig global = pagedRig(Paging.G, code);
        global.cpu.setCr4ForTest(SystemOps.CR4_PGE);
        global.run();
        repoint(global, Paging.G);
        global.run();
        assertEquals(0xAAAAAAAA, global.reg(Reg32.ECX), "a global page survives the CR3 load");
    }

    /** a (which ends with HLT, where the test rewrites the page table) followed by b. */
    private static int[] concat(int[] a, int... b) {
        int[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
