; pmode_setup.asm — a Multiboot kernel that loads its own GDT (flat ring-0 and ring-3 code and
; data, a TSS, and a few odd descriptors), reloads CS with a far jump and the data segments, and
; prints, on COM1, what the descriptor-table instructions see: SGDT/SIDT/SMSW/STR/SLDT; LAR, LSL,
; VERR and VERW on valid selectors, selectors whose DPL or RPL forbids access, system
; descriptors, the null selector and selectors beyond the GDT limit, from ring 0 and ring 3;
; ARPL; and the accessed bit that loading a data segment register sets (and LAR/VERR do not).
; Not compared: the accessed bit of code segments (QEMU does not set it when loading CS; the
; code descriptors here come already accessed), and bits 19:16 of LAR's 32-bit result (the SDM
; says "masked by 00FxFF00H", x undefined: QEMU clears them), printed masked by 00F0FF00h.

        cpu     486
        bits    32
        org     0x100000

MB_MAGIC        equ 0x1BADB002
MB_FLAGS        equ 1 << 16

header:
        dd      MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
        dd      header, header, 0, 0, entry

entry:
        mov     esp, STACK0_TOP
        call    pm_init

        mov     esi, msg_segs
        call    puts
        mov     ax, cs
        call    puthex4
        mov     al, ' '
        call    putc
        mov     ax, ds
        call    puthex4
        mov     al, ' '
        call    putc
        mov     ax, ss
        call    puthex4
        call    newline

        sgdt    [scratch]
        mov     esi, msg_sgdt
        call    puts
        call    print_table_register
        sidt    [scratch]
        mov     esi, msg_sidt
        call    puts
        call    print_table_register

        mov     esi, msg_smsw
        call    puts
        mov     eax, 0xFFFF0000
        smsw    ax
        and     eax, 0xFFFF0001         ; PE (ET and the FPU bits depend on the machine)
        call    puthex
        call    newline

        mov     esi, msg_str
        call    puts
        mov     eax, 0x5555AAAA
        str     ax
        call    puthex4
        mov     esi, msg_sldt
        call    puts
        mov     eax, 0x5555AAAA
        sldt    ax
        call    puthex4
        call    newline

        mov     esi, msg_busy
        call    puts
        movzx   eax, byte [gdt + SEL_TSS + 5]
        call    puthex4
        call    newline

        ; Accessed bits: the reload in pm_init set them in 08h and 10h; 30h is still clear.
        mov     esi, msg_acc_data
        call    puts
        movzx   eax, byte [gdt + 0x10 + 5]
        call    puthex4
        call    newline
        mov     esi, msg_acc_30
        call    puts
        movzx   eax, byte [gdt + 0x30 + 5]
        call    puthex4
        mov     bx, 0x30
        lar     eax, ebx
        verr    bx
        verw    bx
        lsl     eax, ebx
        mov     esi, msg_acc_lar
        call    puts
        movzx   eax, byte [gdt + 0x30 + 5]
        call    puthex4
        mov     ax, 0x30
        mov     es, ax
        mov     esi, msg_acc_load
        call    puts
        movzx   eax, byte [gdt + 0x30 + 5]
        call    puthex4
        call    newline
        mov     ax, SEL_DATA0
        mov     es, ax

        ; LAR/LSL/VERR/VERW from ring 0.
        mov     esi, msg_ring0
        call    puts
        mov     esi, selectors
.ring0: lodsw
        cmp     ax, 0xFFFF
        je      .arpl
        mov     bx, ax
        call    check_selector
        jmp     .ring0

        ; ARPL.
.arpl:  mov     esi, msg_arpl
        call    puts
        mov     ax, 0x0010
        mov     bx, 0x001B
        call    do_arpl
        mov     ax, 0x0023
        mov     bx, 0x0008
        call    do_arpl
        mov     ax, 0x0031
        mov     bx, 0x0032
        call    do_arpl
        mov     ax, 0x0033
        mov     bx, 0x0033
        call    do_arpl
        mov     ax, 0x1230
        mov     bx, 0xFFF1
        call    do_arpl

        ; The same checks from ring 3 (the TSS bitmap lets ring 3 use COM1).
        call    to_ring3
        mov     esi, msg_ring3
        call    puts
        mov     ax, cs
        call    puthex4
        call    newline
        mov     esi, selectors
.ring3: lodsw
        cmp     ax, 0xFFFF
        je      .back
        mov     bx, ax
        call    check_selector
        jmp     .ring3
.back:  int     0x30
        mov     esi, msg_acc_3
        call    puts
        movzx   eax, byte [gdt + 0x20 + 5]
        call    puthex4
        call    newline
        jmp     pm_exit

; Prints the limit and base stored at [scratch] by SGDT or SIDT.
print_table_register:
        mov     esi, msg_limit
        call    puts
        movzx   eax, word [scratch]
        call    puthex4
        mov     esi, msg_base
        call    puts
        mov     eax, [scratch + 2]
        call    puthex
        call    newline
        ret

; Prints LAR (masked by 00F0FF00h), LSL, VERR and VERW of the selector in BX; a failing LAR/LSL
; leaves EAX (DEADBEEFh).
check_selector:
        push    esi
        mov     esi, msg_sel
        call    puts
        mov     ax, bx
        call    puthex4
        mov     esi, msg_lar
        call    puts
        mov     eax, 0xDEADBEEF
        lar     eax, ebx
        jnz     .lar_failed
        and     eax, 0x00F0FF00
        cmp     eax, eax                ; ZF = 1 again
.lar_failed:
        call    print_zf_eax
        mov     esi, msg_lsl
        call    puts
        mov     eax, 0xDEADBEEF
        lsl     eax, ebx
        call    print_zf_eax
        mov     esi, msg_verr
        call    puts
        verr    bx
        call    print_zf
        mov     esi, msg_verw
        call    puts
        verw    bx
        call    print_zf
        call    newline
        pop     esi
        ret

print_zf_eax:
        call    print_zf
        push    eax
        mov     al, ' '
        call    putc
        pop     eax
        call    puthex
        ret

; Prints ZF (as 0 or 1) without changing EAX.
print_zf:
        push    eax
        setz    al
        movzx   eax, al
        call    putdec
        pop     eax
        ret

; ARPL AX, BX and the result.
do_arpl:
        push    esi
        mov     esi, msg_arpl1
        call    puts
        call    puthex4
        mov     esi, msg_arpl2
        call    puts
        push    eax
        mov     ax, bx
        call    puthex4
        pop     eax
        arpl    ax, bx
        setz    cl
        mov     esi, msg_arpl3
        call    puts
        call    puthex4
        mov     esi, msg_zf
        call    puts
        movzx   eax, cl
        call    putdec
        call    newline
        pop     esi
        ret

%include "include/com1.inc"
%include "include/pm.inc"

        align   8
gdt:    PM_GDT_BASE
        DESC    0x12345, 0xABCDE, 0x4092    ; 30h ring-0 data, byte granular, not accessed
        DESC    0, 0x00FFF, 0xC0F2          ; 38h ring-3 data, 4 KiB granular
        DESC    0, 0xFFFFF, 0xC099          ; 40h ring-0 code, execute-only
        DESC    0, 0xFFFFF, 0xC09F          ; 48h ring-0 conforming code, readable
        DESC    0x300000, 0xFF, 0x0082      ; 50h an LDT
        DESC    0x300000, 0xFF, 0x008E      ; 58h a system type LAR refuses (386 interrupt gate)
        DESC    0, 0xFFFFF, 0xC012          ; 60h ring-0 data, not present
        DESC    0, 0xFFFFF, 0xC0F0          ; 68h ring-3 data, read-only
        DESC    0, 0xFFFFF, 0xC0FB          ; 70h ring-3 code, execute/read
gdt_end:

selectors:
        dw      0x0000, 0x0008, 0x0010, 0x0013, 0x001B, 0x0023, 0x0028, 0x0030, 0x0038
        dw      0x0040, 0x004B, 0x0050, 0x0058, 0x0060, 0x006B, 0x0073, 0x0078
        dw      0x0400, 0xFFFF

scratch:        dd 0, 0

msg_segs:       db "pmode: after the far jump, CS DS SS = ", 0
msg_sgdt:       db "pmode: SGDT", 0
msg_sidt:       db "pmode: SIDT", 0
msg_limit:      db " limit=", 0
msg_base:       db " base=", 0
msg_smsw:       db "pmode: SMSW AX (upper EAX kept, low word & 1) = ", 0
msg_str:        db "pmode: STR=", 0
msg_sldt:       db " SLDT=", 0
msg_busy:       db "pmode: TSS access byte after LTR (busy) = ", 0
msg_acc_data:   db "pmode: access byte of data 10h after the reload: ", 0
msg_acc_30:     db "pmode: 30h access byte: fresh=", 0
msg_acc_lar:    db " after LAR/VERR/VERW/LSL=", 0
msg_acc_load:   db " after MOV ES=", 0
msg_acc_3:      db "pmode: after ring 3, access byte of data 20h = ", 0
msg_ring0:      db "pmode: from ring 0 (a failing LAR/LSL leaves DEADBEEF):", 10, 0
msg_ring3:      db "pmode: from ring 3, CS=", 0
msg_sel:        db "  sel ", 0
msg_lar:        db ": LAR ZF=", 0
msg_lsl:        db " LSL ZF=", 0
msg_verr:       db " VERR ZF=", 0
msg_verw:       db " VERW ZF=", 0
msg_arpl:       db "pmode: ARPL dest, src:", 10, 0
msg_arpl1:      db "  ARPL ", 0
msg_arpl2:      db ", ", 0
msg_arpl3:      db " -> ", 0
msg_zf:         db " ZF=", 0
