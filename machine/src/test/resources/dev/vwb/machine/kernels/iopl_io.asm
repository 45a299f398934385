; iopl_io.asm — a Multiboot kernel that runs ring-3 code and prints, on COM1, what IOPL and the
; TSS I/O permission bitmap allow: with IOPL 0, IN/OUT to ports the bitmap allows (80h, COM1
; 3F8h-3FEh) work, to ports it denies (84h, COM1's scratch register 3FFh) raise #GP(0), and a
; word access is checked bit by bit (3FEh-3FFh: #GP(0)); CLI and STI raise #GP(0); POPF and
; IRET silently keep IF and IOPL. With IOPL 3 the bitmap is not consulted, CLI/STI work, POPF
; and IRET may change IF but still not IOPL. At ring 0, POPF changes IOPL. The PIC is masked, so
; IF=1 lets nothing in. Each fault prints its vector, error code and saved EIP relative to the
; instruction (+0).

        cpu     486
        bits    32
        org     0x100000

MB_MAGIC        equ 0x1BADB002
MB_FLAGS        equ 1 << 16
SCRATCH         equ 0x3FF               ; COM1's scratch register
DENIED          equ 0x84                ; an unused DMA page register, denied by the bitmap
POST            equ 0x80                ; POST codes, allowed by the bitmap

header:
        dd      MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
        dd      header, header, 0, 0, entry

%include "include/com1.inc"
%include "include/pm.inc"

%macro SAY 1
        mov     esi, %1
        call    puts
%endmacro

entry:
        mov     esp, STACK0_TOP
        call    pm_init
        mov     al, 0xFF                ; mask every IRQ at both PICs
        out     0x21, al
        out     0xA1, al
        or      byte [TSS_BASE + TSS_IOMAP + SCRATCH / 8], 1 << (SCRATCH % 8)   ; deny 3FFh
        and     byte [TSS_BASE + TSS_IOMAP + POST / 8], ~(1 << (POST % 8))      ; allow 80h
        mov     dx, SCRATCH
        mov     al, 0x11
        out     dx, al

        ; Ring 3, IOPL 0.
        mov     dword [user_iopl], 0
        call    to_ring3
        SAY     msg_r3_iopl0
        call    show_flags
        SAY     msg_out_post
        mov     al, 0x42
        TRY     out POST, al
        SAY     msg_out_denied
        TRY     out DENIED, al
        SAY     msg_in_scratch
        mov     dx, SCRATCH
        TRY     in al, dx
        SAY     msg_in_word
        mov     dx, SCRATCH - 1
        TRY     in ax, dx
        SAY     msg_in_lsr
        mov     dx, SCRATCH - 2
        TRY     in al, dx
        SAY     msg_outsb
        mov     esi, scratch_byte
        mov     dx, DENIED
        TRY     outsb
        SAY     msg_cli
        TRY     cli
        SAY     msg_sti
        TRY     sti
        SAY     msg_popf
        push    dword 0x3202            ; IF and IOPL 3
        popfd
        call    show_flags
        SAY     msg_iret
        push    dword 0x3202
        push    dword SEL_CODE3
        push    dword .after_iret0
        iretd
.after_iret0:
        call    show_flags
        int     0x30

        ; Ring 3, IOPL 3.
        mov     dword [user_iopl], 3
        call    to_ring3
        SAY     msg_r3_iopl3
        call    show_flags
        SAY     msg_scratch3
        mov     dx, SCRATCH
        mov     al, 0x5A
        TRY     out dx, al
        in      al, dx
        movzx   eax, al
        SAY     msg_read_back
        call    puthex4
        call    newline
        SAY     msg_out_denied3
        TRY     out DENIED, al
        SAY     msg_sti3
        sti
        call    show_flags
        SAY     msg_cli3
        cli
        call    show_flags
        SAY     msg_popf3
        push    dword 0x0202            ; IF, IOPL 0
        popfd
        call    show_flags
        cli
        SAY     msg_iret3
        push    dword 0x0202
        push    dword SEL_CODE3
        push    dword .after_iret3
        iretd
.after_iret3:
        call    show_flags
        cli
        int     0x30

        ; Ring 0.
        SAY     msg_r0
        push    dword 0x1002            ; IOPL 1
        popfd
        call    show_flags
        push    dword 0x0002
        popfd
        call    show_flags
        SAY     msg_count
        mov     eax, [fault_count]
        call    putdec
        call    newline
        jmp     pm_exit

; Prints EFLAGS' IOPL and IF (EFLAGS & 3200h).
show_flags:
        push    eax
        push    esi
        SAY     msg_flags
        pushfd
        pop     eax
        and     eax, 0x3200
        call    puthex4
        call    newline
        pop     esi
        pop     eax
        ret

        align   8
gdt:    PM_GDT_BASE
gdt_end:

scratch_byte:   db 0x33

msg_r3_iopl0:   db "io: ring 3, IOPL 0", 10, 0
msg_flags:      db "  EFLAGS & 3200h (IOPL, IF) = ", 0
msg_out_post:   db "io: OUT 80h (allowed by the bitmap)", 10, 0
msg_out_denied: db "io: OUT 84h (denied by the bitmap)", 10, 0
msg_in_scratch: db "io: IN AL, 3FFh (denied by the bitmap)", 10, 0
msg_in_word:    db "io: IN AX, 3FEh (3FEh allowed, 3FFh denied)", 10, 0
msg_in_lsr:     db "io: IN AL, 3FDh (allowed)", 10, 0
msg_outsb:      db "io: OUTSB to 84h", 10, 0
msg_cli:        db "io: CLI", 10, 0
msg_sti:        db "io: STI", 10, 0
msg_popf:       db "io: POPFD of 3202h (IOPL 3, IF): neither changes", 10, 0
msg_iret:       db "io: IRETD to ring 3 with 3202h: neither changes", 10, 0
msg_r3_iopl3:   db "io: ring 3, IOPL 3", 10, 0
msg_scratch3:   db "io: OUT 3FFh, 5Ah (denied by the bitmap, but IOPL 3)", 10, 0
msg_read_back:  db "  IN AL, 3FFh = ", 0
msg_out_denied3: db "io: OUT 84h (denied by the bitmap, but IOPL 3)", 10, 0
msg_sti3:       db "io: STI", 10, 0
msg_cli3:       db "io: CLI", 10, 0
msg_popf3:      db "io: POPFD of 0202h (IOPL 0, IF): IF changes, IOPL does not", 10, 0
msg_iret3:      db "io: IRETD to ring 3 with 0202h: IF changes, IOPL does not", 10, 0
msg_r0:         db "io: ring 0: POPFD of 1002h, then 0002h: IOPL changes", 10, 0
msg_count:      db "io: exceptions taken: ", 0
