; ldt_conforming.asm — a Multiboot kernel with a local descriptor table. It prints, on COM1:
; LLDT/SLDT; segment loads through LDT selectors (TI = 1; LDT entry 0 is a usable descriptor, not
; a null selector), a segment base seen through such a load, #NP and #GP error codes that keep
; the TI bit; LAR on LDT selectors; far CALL/RETF at the same privilege level, to a GDT and an
; LDT code segment; a call from ring 3 into a conforming ring-0 segment (CPL stays 3: CS gets
; RPL 3, CLI still faults); a RETF to an inner ring (#GP); and a RETF from ring 0 to ring 3 that
; nulls the data segment registers whose DPL is below the new CPL (DS: ring-0 data, FS: ring-0
; LDT data) but keeps ES (ring-3 data) and GS (a conforming code segment).

        cpu     486
        bits    32
        org     0x100000

MB_MAGIC        equ 0x1BADB002
MB_FLAGS        equ 1 << 16
LDT_BASE        equ 0x230000
SEL_LDT         equ 0x30            ; the GDT's LDT descriptor
SEL_GDT_CONF    equ 0x38            ; a conforming ring-0 code segment in the GDT
MAGIC_AT        equ 0x123400

; LDT selectors
L_DATA3         equ 0x00 | 4 | 3    ; entry 0: ring-3 data, flat
L_DATA0_BASE    equ 0x08 | 4        ; ring-0 data, base MAGIC_AT
L_CONF          equ 0x10 | 4        ; ring-0 conforming code
L_CODE3         equ 0x18 | 4 | 3    ; ring-3 code
L_NP            equ 0x20 | 4        ; ring-0 data, not present
L_BEYOND        equ 0x28 | 4        ; beyond the LDT's limit

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
        mov     dword [MAGIC_AT], 0xC0FFEE42
        mov     esi, ldt
        mov     edi, LDT_BASE
        mov     ecx, (ldt_end - ldt) / 4
        rep movsd

        mov     ax, SEL_LDT
        lldt    ax
        SAY     msg_sldt
        sldt    ax
        call    puthex4
        call    newline

        SAY     msg_lar
        mov     esi, ldt_selectors
.lar:   lodsw
        cmp     ax, 0xFFFF
        je      .loads
        mov     bx, ax
        call    puthex4
        mov     al, '='
        call    putc
        mov     eax, 0xDEADBEEF
        lar     eax, ebx
        jnz     .lar_print
        and     eax, 0x00F0FF00         ; bits 19:16 are undefined
.lar_print:
        call    puthex
        mov     al, ' '
        call    putc
        jmp     .lar
.loads: call    newline

        SAY     msg_fs_base
        mov     ax, L_DATA0_BASE
        mov     fs, ax
        mov     eax, [fs:0]
        call    puthex
        SAY     msg_fs_sel
        mov     ax, fs
        call    puthex4
        call    newline
        SAY     msg_ldt0
        mov     ax, L_DATA3
        TRY     mov gs, ax
        SAY     msg_np
        mov     ax, L_NP
        TRY     mov gs, ax
        SAY     msg_beyond
        mov     ax, L_BEYOND
        TRY     mov gs, ax

        SAY     msg_call0
        call    SEL_CODE0:far_function
        SAY     msg_back
        mov     ax, cs
        call    puthex4
        call    newline

        ; RETF from ring 0 to ring 3: DS (ring-0 data) and FS (ring-0 LDT data) become null,
        ; ES (ring-3 data) and GS (conforming code) stay.
        SAY     msg_retf_out
        mov     [TSS_BASE + 4], esp
        mov     ax, SEL_DATA0
        mov     ds, ax
        mov     ax, SEL_DATA3
        mov     es, ax
        mov     ax, L_DATA0_BASE
        mov     fs, ax
        mov     ax, SEL_GDT_CONF
        mov     gs, ax
        push    dword SEL_DATA3
        push    dword STACK3_TOP - 256
        push    dword L_CODE3
        push    dword ring3
        retf

ring3:  mov     ax, ds
        mov     bx, ax                  ; (DS is null: print through ES)
        mov     cx, fs
        push    es
        pop     ds
        SAY     msg_after_retf
        mov     ax, cs
        call    puthex4
        mov     al, ' '
        call    putc
        mov     ax, bx
        call    puthex4
        mov     al, ' '
        call    putc
        mov     ax, es
        call    puthex4
        mov     al, ' '
        call    putc
        mov     ax, cx
        call    puthex4
        mov     al, ' '
        call    putc
        mov     ax, gs
        call    puthex4
        mov     al, ' '
        call    putc
        mov     ax, ss
        call    puthex4
        call    newline

        SAY     msg_call3
        call    L_CODE3:far_function
        SAY     msg_call_gdt3
        call    SEL_CODE3:far_function

        SAY     msg_conf
        call    L_CONF:conforming_function
        SAY     msg_back
        mov     ax, cs
        call    puthex4
        call    newline

        SAY     msg_retf_in
        push    dword SEL_CODE0
        push    dword .never
        TRY     retf
        add     esp, 8
        int     0x30
        SAY     msg_count
        mov     eax, [fault_count]
        call    putdec
        call    newline
        jmp     pm_exit
.never: SAY     msg_never
        jmp     pm_exit

; Far-called at the caller's privilege level: prints CS and the CS the call pushed.
far_function:
        push    esi
        SAY     msg_in_cs
        mov     ax, cs
        call    puthex4
        SAY     msg_ret_cs
        mov     eax, [esp + 8]
        call    puthex4
        call    newline
        pop     esi
        retf

; In the conforming ring-0 segment, called from ring 3: CS keeps RPL 3, and CLI faults.
conforming_function:
        push    esi
        SAY     msg_in_cs
        mov     ax, cs
        call    puthex4
        SAY     msg_ret_cs
        mov     eax, [esp + 8]
        call    puthex4
        call    newline
        SAY     msg_conf_cli
        TRY     cli
        pop     esi
        retf

        align   8
gdt:    PM_GDT_BASE
        DESC    LDT_BASE, ldt_end - ldt - 1, 0x0082     ; 30h the LDT
        DESC    0, 0xFFFFF, 0xC09F                      ; 38h ring-0 conforming code
gdt_end:

ldt:    DESC    0, 0xFFFFF, 0xC0F2                      ; 04h ring-3 data
        DESC    MAGIC_AT, 0xFFFF, 0x0092                ; 0Ch ring-0 data, base 123400h
        DESC    0, 0xFFFFF, 0xC09F                      ; 14h ring-0 conforming code
        DESC    0, 0xFFFFF, 0xC0FB                      ; 1Ch ring-3 code
        DESC    0, 0xFFFFF, 0xC012                      ; 24h ring-0 data, not present
ldt_end:

ldt_selectors:  dw L_DATA3, L_DATA0_BASE, L_CONF, L_CODE3, L_NP, L_BEYOND, 0x0004, 0xFFFF

msg_sldt:       db "ldt: after LLDT 30h, SLDT = ", 0
msg_lar:        db "ldt: LAR: ", 0
msg_fs_base:    db "ldt: FS = 000Ch (base 123400h): [FS:0] = ", 0
msg_fs_sel:     db ", FS = ", 0
msg_ldt0:       db "ldt: MOV GS, 0007h (LDT entry 0, not a null selector)", 10, 0
msg_np:         db "ldt: MOV GS, 0024h (not present): #NP(0024h)", 10, 0
msg_beyond:     db "ldt: MOV GS, 002Ch (beyond the LDT limit): #GP(002Ch)", 10, 0
msg_call0:      db "ldt: ring 0: CALL FAR 0008h:", 10, 0
msg_back:       db "  back, CS = ", 0
msg_in_cs:      db "  in the callee: CS = ", 0
msg_ret_cs:     db ", pushed CS = ", 0
msg_retf_out:   db "ldt: RETF from ring 0 to 001Fh with DS=0010h ES=0023h FS=000Ch GS=0038h (conforming)", 10, 0
msg_after_retf: db "  CS DS ES FS GS SS = ", 0
msg_call3:      db "ldt: ring 3: CALL FAR 001Fh (LDT):", 10, 0
msg_call_gdt3:  db "ldt: ring 3: CALL FAR 001Bh (GDT):", 10, 0
msg_conf:       db "ldt: ring 3: CALL FAR 0014h (conforming, DPL 0, RPL 0):", 10, 0
msg_conf_cli:   db "  CLI in the conforming segment:", 10, 0
msg_retf_in:    db "ldt: ring 3: RETF to 0008h (an inner ring): #GP(0008h)", 10, 0
msg_count:      db "ldt: exceptions taken: ", 0
msg_never:      db "ldt: RETF to ring 0 was not refused: stopping", 10, 0
