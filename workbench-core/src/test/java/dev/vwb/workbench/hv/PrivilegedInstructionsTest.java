package dev.vwb.workbench.hv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Each privileged instruction of the list, emulated against the virtual CPU, leaves what
 * it leaves on bare hardware: a guest runs them and stores what it reads back; the stored words
 * are the same bare and under the hypervisor, and each instruction was an exit.
 */
class PrivilegedInstructionsTest {
    private static final String GUEST = """
            bits 32
            org 0x100000
                    mov esp, 0x90000
                    mov edi, results
                    mov eax, cr0
                    or eax, 8                   ; TS
                    mov cr0, eax
                    mov eax, cr0
                    stosd
                    clts
                    mov eax, cr0
                    stosd
                    mov ax, 0x0003              ; LMSW: PE stays, MP set
                    lmsw ax
                    mov eax, cr0
                    stosd
                    mov eax, 0x12345678
                    mov cr2, eax
                    mov eax, cr2
                    stosd
                    mov eax, 0x10               ; CR4.PSE
                    mov cr4, eax
                    mov eax, cr4
                    stosd
                    mov eax, 0xABCD0000
                    mov dr0, eax
                    mov eax, dr0
                    stosd
                    mov ecx, 0x10               ; the time-stamp counter
                    xor edx, edx
                    mov eax, 0x40000000
                    wrmsr
                    rdmsr
                    sub eax, 0x40000000         ; instructions since the WRMSR
                    stosd
                    wbinvd
                    invd
                    lgdt [gdtr]
                    sgdt [stored]
                    mov eax, [stored + 2]
                    stosd
                    lidt [idtr]
                    mov eax, 0xFF
                    out 0x21, al                ; the master PIC's mask
                    in al, 0x21
                    stosd
                    invlpg [0x200000]
                    cli
                    pushf
                    pop eax
                    stosd
                    sti
                    cli
                    hlt
                    align 4
            gdtr:   dw 31
                    dd 0x800                    ; the loader's GDT
            idtr:   dw 0x7FF
                    dd 0x1000
            stored: dq 0
            results: times 16 dd 0
            """;

    private static int[] run(Hypervisor.Mode mode, Set<String> exits) throws Exception {
        FlatGuestRun r = FlatGuestRun.untilHalt(GUEST, mode);
        if (r.hypervisor() != null) {
            exits.addAll(r.hypervisor().exits().recent().stream().filter(e -> e instanceof VmExit.PrivilegedInstruction)
                    .map(e -> ((VmExit.PrivilegedInstruction) e).mnemonic()).collect(Collectors.toSet()));
        }
        int[] words = new int[12];
        for (int k = 0; k < words.length; k++) {
            words[k] = r.read32("results", 4 * k);
        }
        return words;
    }

    @Test
    void eachLeavesWhatItLeavesBareAndIsAnExit() throws Exception {
        int[] bare = run(null, new java.util.HashSet<>());
        assertEquals(0x12345678, bare[3], "CR2 read back");
        assertEquals(0xABCD0000, bare[5], "DR0 read back");
        Set<String> exits = new java.util.HashSet<>();
        int[] hv = run(Hypervisor.Mode.PATCH, exits);
        assertEquals(java.util.Arrays.toString(toHex(bare)), java.util.Arrays.toString(toHex(hv)));
        for (String op : Set.of("MOV_CR_R", "MOV_R_CR", "CLTS", "LMSW", "MOV_DR_R", "MOV_R_DR", "WRMSR", "RDMSR", "WBINVD",
                "INVD", "LGDT", "LIDT", "INVLPG", "CLI", "STI")) {
            assertTrue(exits.contains(op), op + " was no exit: " + exits);
        }
    }

    private static String[] toHex(int[] words) {
        String[] s = new String[words.length];
        for (int k = 0; k < words.length; k++) {
            s[k] = Integer.toHexString(words[k]);
        }
        return s;
    }
}
