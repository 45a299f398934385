; paging.asm — a Multiboot kernel that turns paging on and prints what the MMU does: page faults
; for a missing page and for a write to a read-only page (CR2 and the error code), each handled
; by fixing the entry and resuming the faulting instruction; the accessed and dirty bits the CPU
; wrote; and a 4 MiB page (CR4.PSE). Output on COM1; run with 16 MiB in QEMU and vwb.

        cpu     586
        bits    32
        org     0x100000

MB_MAGIC        equ 0x1BADB002
MB_FLAGS        equ 1 << 16
EXIT_PORT       equ 0xF4
PD              equ 0x200000            ; page directory
PT0             equ 0x201000            ; page table for 0-4 MiB (identity)
IDT             equ 0x202000
IDTR            equ 0x203000
MISSING         equ 0x00300000          ; a page first marked not present
READONLY        equ 0x00301000          ; a page first marked read-only
READ_ONLY_PAGE  equ 0x00302000          ; a page only read, never written
BIG             equ 0x40000000          ; a 4 MiB page at linear 1 GiB ...
BIG_PHYS        equ 0x00400000          ; ... mapping physical 4 MiB

header:
        dd      MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
        dd      header, header, 0, 0, entry

entry:
        mov     esp, 0x90000
        ; Identity-map 0-4 MiB with 4 KiB pages: present, writable, supervisor.
        mov     edi, PT0
        mov     eax, 0x003              ; P | RW
        mov     ecx, 1024
.fill:  mov     [edi], eax
        add     eax, 0x1000
        add     edi, 4
        loop    .fill
        mov     dword [PT0 + (MISSING >> 12) * 4], MISSING            ; not present
        mov     dword [PT0 + (READONLY >> 12) * 4], READONLY | 0x001  ; present, read-only
        mov     dword [READONLY_PHYS_VALUE], 0
        ; The directory: 0-4 MiB through PT0, and a 4 MiB page at 1 GiB.
        mov     edi, PD
        xor     eax, eax
        mov     ecx, 1024
        rep stosd
        mov     dword [PD + 0], PT0 | 0x003
        mov     dword [PD + (BIG >> 22) * 4], BIG_PHYS | 0x083        ; P | RW | PS
        ; The IDT: #PF (14) -> pf_handler.
        mov     eax, pf_handler
        mov     word [IDT + 14 * 8], ax
        mov     word [IDT + 14 * 8 + 2], cs
        mov     word [IDT + 14 * 8 + 4], 0x8E00
        shr     eax, 16
        mov     word [IDT + 14 * 8 + 6], ax
        mov     word [IDTR], 15 * 8 - 1
        mov     dword [IDTR + 2], IDT
        lidt    [IDTR]

        mov     eax, cr4
        or      eax, 0x10               ; CR4.PSE
        mov     cr4, eax
        mov     eax, PD
        mov     cr3, eax
        mov     eax, cr0
        or      eax, 0x80010000         ; CR0.PG | CR0.WP
        mov     cr0, eax
        mov     esi, msg_on
        call    puts

        ; 1. Read a missing page: #PF, the handler maps it, the read is retried.
        mov     eax, [MISSING + 0x10]
        mov     esi, msg_read
        call    puts
        call    puthex
        call    newline

        ; 2. Write a read-only page (CR0.WP makes it fault in ring 0 too).
        mov     dword [READONLY + 0x20], 0x12345678
        mov     esi, msg_written
        call    puts
        mov     eax, [READONLY + 0x20]
        call    puthex
        call    newline

        ; 3. Accessed and dirty bits as the CPU left them.
        mov     eax, [READ_ONLY_PAGE]
        mov     esi, msg_ad_read
        call    puts
        mov     eax, [PT0 + (READ_ONLY_PAGE >> 12) * 4]
        and     eax, 0x60
        call    puthex
        call    newline
        mov     esi, msg_ad_written
        call    puts
        mov     eax, [PT0 + (READONLY >> 12) * 4]
        and     eax, 0x60
        call    puthex
        call    newline

        ; 4. A 4 MiB page: write through it, and see its directory entry's A and D bits.
        mov     dword [BIG + 0x123458], 0xCAFEF00D
        mov     esi, msg_big
        call    puts
        mov     eax, [BIG + 0x123458]
        call    puthex
        call    newline
        mov     esi, msg_big_ad
        call    puts
        mov     eax, [PD + (BIG >> 22) * 4]
        and     eax, 0x60
        call    puthex
        call    newline

        xor     eax, eax
        mov     dx, EXIT_PORT
        out     dx, eax
.halt:  hlt
        jmp     .halt

READONLY_PHYS_VALUE equ READONLY + 0x20

; #PF: print CR2 and the error code, then repair the entry (present, then writable) and retry.
pf_handler:
        push    eax
        push    esi
        mov     esi, msg_pf
        call    puts
        mov     eax, cr2
        call    puthex
        mov     esi, msg_err
        call    puts
        mov     eax, [esp + 8]          ; the error code
        call    puthex
        call    newline
        mov     eax, cr2
        shr     eax, 12
        or      dword [PT0 + eax * 4], 0x003   ; present and writable from now on
        mov     eax, cr2
        invlpg  [eax]
        pop     esi
        pop     eax
        add     esp, 4                  ; drop the error code
        iretd

%include "include/com1.inc"

msg_on:         db "paging: on (4 KiB pages, a 4 MiB page, CR0.WP)", 10, 0
msg_pf:         db "paging: #PF at CR2=", 0
msg_err:        db " error=", 0
msg_read:       db "paging: read from the page mapped on demand: ", 0
msg_written:    db "paging: the read-only page, made writable, holds ", 0
msg_ad_read:    db "paging: A/D bits of a page only read: ", 0
msg_ad_written: db "paging: A/D bits of a page written: ", 0
msg_big:        db "paging: through the 4 MiB page: ", 0
msg_big_ad:     db "paging: A/D bits of the 4 MiB page's directory entry: ", 0
