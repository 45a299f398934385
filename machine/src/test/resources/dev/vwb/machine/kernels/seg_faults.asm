; seg_faults.asm — a Multiboot kernel that provokes the faults of segment-register loads and
; prints, on COM1, each exception's vector, its error code (the selector with RPL dropped: EXT,
; IDT and TI in bits 0-2) and the saved EIP relative to the faulting instruction (+0: these are
; faults, the instruction is restarted), then resumes after the instruction: MOV DS with
; selectors beyond the GDT limit, of a system descriptor, of an execute-only code segment, of a
; more privileged segment from ring 3, of a not-present segment (#NP); MOV SS with a
; not-present segment (#SS), wrong DPL or RPL, read-only or null (#GP); far JMP to a data
; segment, a not-present code segment and a ring-3 code segment; POP and LDS that fault. Loads
; that are allowed say "no fault". Not compared: a memory access through a null DS, which is
; #GP(0) on a 486 (and in vwb) but which QEMU's TCG lets through.

        cpu     486
        bits    32
        org     0x100000

MB_MAGIC        equ 0x1BADB002
MB_FLAGS        equ 1 << 16

SEL_NP_DATA     equ 0x30
SEL_RO_DATA     equ 0x38
SEL_XO_CODE     equ 0x40
SEL_RX_CODE     equ 0x48
SEL_NP_CODE     equ 0x50
SEL_DPL1_DATA   equ 0x58

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

        SAY     msg_ds_limit
        mov     ax, 0x0403
        TRY     mov ds, ax
        SAY     msg_ds_after
        mov     ax, ds
        call    puthex4
        call    newline

        SAY     msg_ds_tss
        mov     ax, SEL_TSS
        TRY     mov ds, ax

        SAY     msg_ds_xo
        mov     ax, SEL_XO_CODE
        TRY     mov es, ax

        SAY     msg_ds_rx
        mov     ax, SEL_RX_CODE
        TRY     mov fs, ax
        mov     ax, SEL_DATA0
        mov     fs, ax

        SAY     msg_ds_np
        mov     ax, SEL_NP_DATA
        TRY     mov ds, ax

        SAY     msg_gs_np
        mov     ax, SEL_NP_DATA | 3
        TRY     mov gs, ax

        SAY     msg_ds_null
        xor     eax, eax
        TRY     mov es, ax
        mov     ax, SEL_DATA0
        mov     es, ax

        SAY     msg_ss_np
        mov     ax, SEL_NP_DATA
        TRY     mov ss, ax

        SAY     msg_ss_rpl
        mov     ax, SEL_DATA0 | 3
        TRY     mov ss, ax

        SAY     msg_ss_dpl
        mov     ax, 0x20
        TRY     mov ss, ax

        SAY     msg_ss_ro
        mov     ax, SEL_RO_DATA
        TRY     mov ss, ax

        SAY     msg_ss_code
        mov     ax, SEL_RX_CODE
        TRY     mov ss, ax

        SAY     msg_ss_null
        xor     eax, eax
        TRY     mov ss, ax

        SAY     msg_pop_ds
        push    dword 0x0404
        TRY     pop ds
        add     esp, 4                  ; the fault left the selector on the stack

        SAY     msg_lds
        mov     dword [far_ptr], 0x12345678
        mov     word [far_ptr + 4], SEL_NP_DATA
        TRY     lds ebx, [far_ptr]

        SAY     msg_jmp_data
        TRY     jmp SEL_DATA0:jmp_target

        SAY     msg_jmp_np
        TRY     jmp SEL_NP_CODE:jmp_target

        SAY     msg_jmp_ring3
        TRY     jmp SEL_CODE3:jmp_target

        ; Ring 3.
        call    to_ring3
        SAY     msg_ring3
        mov     ax, SEL_DATA0
        TRY     mov ds, ax

        SAY     msg_r3_dpl1
        mov     ax, SEL_DPL1_DATA | 3
        TRY     mov ds, ax

        SAY     msg_r3_rpl0
        mov     ax, 0x20
        TRY     mov es, ax
        SAY     msg_es_now
        mov     ax, es
        call    puthex4
        call    newline
        mov     ax, SEL_DATA3
        mov     es, ax

        SAY     msg_r3_ss
        mov     ax, SEL_DATA0
        TRY     mov ss, ax

        SAY     msg_r3_ss_null
        xor     eax, eax
        TRY     mov ss, ax

        SAY     msg_r3_conf
        mov     ax, SEL_RX_CODE
        TRY     mov ds, ax

        int     0x30
        SAY     msg_count
        mov     eax, [fault_count]
        call    putdec
        call    newline
        jmp     pm_exit

jmp_target:
        SAY     msg_jumped
        jmp     pm_exit


        align   8
gdt:    PM_GDT_BASE
        DESC    0, 0xFFFFF, 0xC012          ; 30h ring-0 data, not present
        DESC    0, 0xFFFFF, 0xC090          ; 38h ring-0 data, read-only
        DESC    0, 0xFFFFF, 0xC099          ; 40h ring-0 code, execute-only
        DESC    0, 0xFFFFF, 0xC09B          ; 48h ring-0 code, execute/read
        DESC    0, 0xFFFFF, 0xC01B          ; 50h ring-0 code, not present
        DESC    0, 0xFFFFF, 0xC0B2          ; 58h ring-1 data
gdt_end:

far_ptr:        dd 0, 0

msg_ds_limit:   db "seg: MOV DS, 0403h (beyond the GDT limit): #GP(0400h)", 10, 0
msg_ds_after:   db "  DS after the fault: ", 0
msg_ds_tss:     db "seg: MOV DS, the TSS (a system descriptor): #GP(0028h)", 10, 0
msg_ds_xo:      db "seg: MOV ES, an execute-only code segment: #GP(0040h)", 10, 0
msg_ds_rx:      db "seg: MOV FS, a readable code segment: allowed", 10, 0
msg_ds_np:      db "seg: MOV DS, a not-present data segment: #NP(0030h)", 10, 0
msg_gs_np:      db "seg: MOV GS, the same with RPL 3 (> DPL 0, checked before presence): #GP(0030h)", 10, 0
msg_ds_null:    db "seg: MOV ES, 0 (null): allowed", 10, 0
msg_ss_np:      db "seg: MOV SS, a not-present data segment: #SS(0030h)", 10, 0
msg_ss_rpl:     db "seg: MOV SS, 0013h at ring 0 (RPL != CPL): #GP(0010h)", 10, 0
msg_ss_dpl:     db "seg: MOV SS, 0020h at ring 0 (DPL != CPL): #GP(0020h)", 10, 0
msg_ss_ro:      db "seg: MOV SS, a read-only data segment: #GP(0038h)", 10, 0
msg_ss_code:    db "seg: MOV SS, a code segment: #GP(0048h)", 10, 0
msg_ss_null:    db "seg: MOV SS, 0 (null): #GP(0)", 10, 0
msg_pop_ds:     db "seg: POP DS of 0404h: #GP(0404h)", 10, 0
msg_lds:        db "seg: LDS of a not-present segment: #NP(0030h)", 10, 0
msg_jmp_data:   db "seg: JMP FAR to a data segment: #GP(0010h)", 10, 0
msg_jmp_np:     db "seg: JMP FAR to a not-present code segment: #NP(0050h)", 10, 0
msg_jmp_ring3:  db "seg: JMP FAR from ring 0 to a ring-3 code segment: #GP(0018h)", 10, 0
msg_ring3:      db "seg: ring 3: MOV DS, 0010h (DPL 0 < CPL 3): #GP(0010h)", 10, 0
msg_r3_dpl1:    db "seg: ring 3: MOV DS, 005Bh (DPL 1 < CPL 3): #GP(0058h)", 10, 0
msg_r3_rpl0:    db "seg: ring 3: MOV ES, 0020h (RPL 0, DPL 3): allowed", 10, 0
msg_es_now:     db "  ES = ", 0
msg_r3_ss:      db "seg: ring 3: MOV SS, 0010h: #GP(0010h)", 10, 0
msg_r3_ss_null: db "seg: ring 3: MOV SS, 0: #GP(0)", 10, 0
msg_r3_conf:    db "seg: ring 3: MOV DS, 0048h (a ring-0 readable, non-conforming code segment): #GP(0048h)", 10, 0
msg_count:      db "seg: exceptions taken: ", 0
msg_jumped:     db "seg: the far jump was not refused: stopping", 10, 0
