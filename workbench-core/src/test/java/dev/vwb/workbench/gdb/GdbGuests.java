package dev.vwb.workbench.gdb;

import dev.vwb.workbench.Vm;
import dev.vwb.workbench.Workbench;

/** Protected-mode guests for the stub's tests, at 100000h (flat segments, base 0, so EIP is the linear address). */
final class GdbGuests {
    private GdbGuests() {
    }

    static final long ORG = 0x100000;

    /**
     * Counts ECX to [limit] (5), writing [counter] and reading [limit] each round, prints "K",
     * then powers off with 3 (QEMU's status 7). Offsets: start 0, again 14h, done 23h.
     */
    static final String COUNTER = """
            org 0x100000
            bits 32
            start:  mov esp, 0x90000        ; 100000 bc 00 00 09 00
                    mov eax, 0x11223344     ; 100005 b8 44 33 22 11
                    mov ebx, 0x55667788     ; 10000a bb 88 77 66 55
                    xor ecx, ecx            ; 10000f 31 c9
                    nop                     ; 100011 90
                    nop
                    nop
            again:  inc ecx                 ; 100014 41
                    mov [counter], ecx      ; 100015 89 0d ..: the write watchpoint's
                    mov edx, [limit]        ; 10001b 8b 15 ..: the read watchpoint's
                    cmp ecx, edx            ; 100021 39 d1
                    jne again               ; 100023 75 ef
            done:   mov al, 'K'             ; 100025
                    out 0xE9, al
                    mov al, 3
                    out 0xF4, al            ; power off
                    hlt
                    align 16
            counter: dd 0                   ; 100030
            limit:   dd 5                   ; 100034
            """;

    /** Spins forever (for Ctrl-C). */
    static final String SPIN = """
            org 0x100000
            bits 32
            spin:   inc eax
                    jmp spin
            """;

    /** Prints "spinning" on the debug console, then spins forever. */
    static final String PRINT_THEN_SPIN = """
            org 0x100000
            bits 32
                    mov esi, text
                    mov ecx, 8
                    mov dx, 0xE9
                    rep outsb
            spin:   inc eax
                    jmp spin
            text:   db "spinning"
            """;

    /** Loads an empty IDT and raises #BP: #GP, #DF, then a triple fault. */
    static final String TRIPLE_FAULT = """
            org 0x100000
            bits 32
                    lidt [idtr]
                    int3
            idtr:   dw 0
                    dd 0
            """;

    /** CLI; HLT: nothing can wake the CPU. */
    static final String HALT = """
            org 0x100000
            bits 32
                    cli
                    hlt
            """;

    /**
     * Paging on, page tables at 200000h: the first 4 MiB identity-mapped except linear 3000h,
     * which maps to physical 5000h; linear C00000h and above not mapped. Stops at HLT (offset
     * of {@code paged}) with paging on.
     */
    static final String PAGING = """
            org 0x100000
            bits 32
            start:  mov dword [0x5000], 0xCAFEF00D
                    mov dword [0x3000], 0x12345678
                    mov edi, 0x200000
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
                    mov eax, 0x200000
                    mov cr3, eax
                    mov eax, cr0
                    or eax, 0x80000000
                    mov cr0, eax
            paged:  hlt
            """;

    static Vm vm(String source) {
        return Workbench.fromAssembly(source).protectedMode(ORG).build();
    }

    /** The address of a label. */
    static long at(Vm vm, String label) {
        return vm.symbols().address(label) & 0xFFFF_FFFFL;
    }
}
