package dev.vwb.workbench.hv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Patch mode keeps the guest correct when it looks at or rewrites its own code: the patcher
 * changes what the decoder makes of the bytes, never the bytes, so the guest reads its POPF as
 * 9Dh; and an instruction rewritten after it ran is decoded, and patched, afresh.
 */
class PatchedCodeTest {
    private static final String GUEST = """
            bits 32
            org 0x100000
                    mov esp, 0x90000
                    cli
                    movzx eax, byte [site]      ; 1. the guest reads its own POPF
                    mov [read_back], eax
                    push dword 0x202
            site:   popf                        ; 2. POPF sets IF (virtually, under the hypervisor)
                    pushf
                    pop eax
                    and eax, 0x200
                    mov [if_after_popf], eax
                    cli
                    mov ecx, 2
            again:  cmp ecx, 1
                    jne run
                    mov byte [target], 0x9C     ; 3. the second time round, the NOP becomes PUSHF
            run:    push dword 0x11111111
            target: nop
                    pop eax
                    mov [last_pop], eax
                    dec ecx
                    jnz again
                    hlt
                    align 4
            read_back:      dd 0
            if_after_popf:  dd 0
            last_pop:       dd 0
            """;

    private record Result(int readBack, int ifAfterPopf, int lastPop) {
    }

    private static Result run(Hypervisor.Mode mode) throws Exception {
        FlatGuestRun r = FlatGuestRun.untilHalt(GUEST, mode);
        return new Result(r.read32("read_back"), r.read32("if_after_popf"), r.read32("last_pop"));
    }

    @Test
    void theGuestReadsAndRewritesItsCodeAsOnBareHardware() throws Exception {
        Result bare = run(null);
        assertEquals(new Result(0x9D, 0x200, bare.lastPop()), bare);
        assertEquals(0, bare.lastPop() & 0x200, "PUSHF after CLI shows IF clear");
        assertEquals(bare, run(Hypervisor.Mode.PATCH));
    }

    @Test
    void inTrapModeTheRewrittenPushfShowsTheRealInterruptFlag() throws Exception {
        Result trap = run(Hypervisor.Mode.TRAP);
        assertEquals(0x9D, trap.readBack());
        assertEquals(0x200, trap.lastPop() & 0x200, "unpatched PUSHF leaks the real IF");
    }
}
