package dev.vwb.workbench;

/** Small test guests, as assembly text. */
final class Guests {
    private Guests() {
    }

    /** Real mode at 7C00h: prints "Hi" on the debug console, then HLT with interrupts off. */
    static final String HELLO = """
            org 0            ; real mode at 7C00h: CS = 07C0h, so offsets start at 0
            bits 16
            start:  mov dx, 0xe9
                    mov al, 'H'
                    out dx, al
                    mov al, 'i'
                    out dx, al
            done:   hlt
            """;

    /** Real mode at 7C00h: counts forever, adding the count to a word in memory. */
    static final String COUNTER = """
            org 0            ; real mode at 7C00h: CS = 07C0h, so offsets start at 0
            bits 16
            start:  xor ax, ax
            again:  inc ax
                    add [counter], ax
                    jmp again
            counter: dw 0
            """;

    /**
     * Protected mode at 100000h: page tables at 200000h (directory) and 201000h (table 0).
     * The first 4 MiB are identity-mapped except linear 3000h, which maps to physical 5000h;
     * linear 400000h is a 4 MiB page at physical 800000h; PDE 3 (linear C00000h) is not present.
     */
    static final String PAGING = """
            org 0x100000
            bits 32
            start:  mov edi, 0x200000
                    xor eax, eax
                    mov ecx, 2048
                    rep stosd
                    mov dword [0x200000], 0x201003
                    mov edi, 0x201000
                    mov eax, 3
                    mov ecx, 1024
            fill:   stosd
                    add eax, 0x1000
                    loop fill
                    mov dword [0x20100c], 0x5003
                    mov dword [0x200004], 0x800083
                    mov eax, cr4
                    or eax, 0x10
                    mov cr4, eax
                    mov eax, 0x200000
                    mov cr3, eax
                    mov eax, cr0
                    or eax, 0x80000000
                    mov cr0, eax
            paged:  hlt
            """;
}
