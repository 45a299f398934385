; multiboot_info.asm — a Multiboot kernel (a.out kludge, loaded at 1 MiB) that prints, on COM1,
; what the boot loader handed it: the magic in EAX, the info structure's flags and memory sizes,
; and the CPU state the Multiboot specification promises (PE on, paging off, interrupts off).
; Run with 16 MiB of RAM in QEMU (-kernel) and vwb (./vwb run --memory 16): same output.

        cpu     486
        bits    32
        org     0x100000

MB_MAGIC        equ 0x1BADB002
MB_FLAGS        equ 1 << 16             ; the a.out kludge: the addresses below say where to load
EXIT_PORT       equ 0xF4

header:
        dd      MB_MAGIC
        dd      MB_FLAGS
        dd      -(MB_MAGIC + MB_FLAGS)
        dd      header                  ; header_addr
        dd      header                  ; load_addr
        dd      0                       ; load_end_addr: the whole file
        dd      0                       ; bss_end_addr: no BSS
        dd      entry                   ; entry_addr

entry:
        mov     esp, 0x90000
        mov     ebp, ebx                ; the info structure
        cmp     eax, 0x2BADB002
        jne     .bad_magic
        mov     esi, msg_magic
        call    puts

        mov     esi, msg_flags0
        call    puts
        mov     eax, [ebp]
        and     eax, 1
        call    putdec
        call    newline

        mov     esi, msg_lower
        call    puts
        mov     eax, [ebp + 4]
        call    putdec
        call    newline

        mov     esi, msg_upper
        call    puts
        mov     eax, [ebp + 8]
        call    putdec
        call    newline

        mov     esi, msg_pe
        call    puts
        mov     eax, cr0
        and     eax, 1
        call    putdec
        call    newline

        mov     esi, msg_pg
        call    puts
        mov     eax, cr0
        shr     eax, 31
        call    putdec
        call    newline

        mov     esi, msg_if
        call    puts
        pushfd
        pop     eax
        shr     eax, 9
        and     eax, 1
        call    putdec
        call    newline

        xor     eax, eax
        jmp     exit
.bad_magic:
        mov     esi, msg_bad
        call    puts
        mov     eax, 1
exit:
        mov     dx, EXIT_PORT
        out     dx, eax
.halt:  cli
        hlt
        jmp     .halt

%include "include/com1.inc"

msg_magic:  db "multiboot: EAX holds 2BADB002h", 10, 0
msg_bad:    db "multiboot: wrong magic in EAX", 10, 0
msg_flags0: db "multiboot: memory sizes given: ", 0
msg_lower:  db "multiboot: mem_lower KiB: ", 0
msg_upper:  db "multiboot: mem_upper KiB: ", 0
msg_pe:     db "multiboot: CR0.PE: ", 0
msg_pg:     db "multiboot: CR0.PG: ", 0
msg_if:     db "multiboot: EFLAGS.IF: ", 0
