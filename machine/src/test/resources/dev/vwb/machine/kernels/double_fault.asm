; double_fault.asm — which pairs of exceptions make a double fault (SDM Vol. 3A §6.15, Table 6-5),
; with #DF delivered through an ordinary interrupt gate. A fault while delivering a fault:
; contributory then contributory (#GP or #DE meeting a not-present gate, #NP) gives #DF with
; error code 0; benign then contributory (#UD meeting a not-present gate) just delivers the #NP
; (error code naming the IDT entry); with paging on, page fault then contributory (#PF meeting a
; not-present gate) and page fault then page fault (the #PF gate on a missing page) give #DF,
; while contributory then page fault (the #GP gate on a missing page) delivers the #PF. Each
; handler prints the error code, the saved EIP (the SDM leaves it undefined for #DF; QEMU saves
; the faulting instruction's) and CR2, then resumes the kernel.

        cpu     486
        bits    32
        org     0x100000

%include "include/macros.inc"
        MULTIBOOT_HEADER entry

PD              equ 0x200000
PT0             equ 0x201000
HOLE            equ 0x300000            ; a page left unmapped
IDT_B           equ HOLE + 0x1000 - 14 * 8   ; gates 0-13 in the hole, 14 and up mapped
IDT_C           equ HOLE - 14 * 8            ; gates 0-13 mapped, 14 and up in the hole

; AT label, resume: the handler should find the saved EIP at label, and resumes at resume.
%macro AT 2
        mov     dword [expect], %1
        mov     dword [resume], %2
%endmacro

entry:
        mov     esp, 0x90000
        call    sys_init
        mov     edi, sys_idt
        mov     eax, df_handler
        mov     ebx, 8
        call    put_gate
        mov     eax, np_handler
        mov     ebx, 11
        call    put_gate
        mov     eax, pf_handler
        mov     ebx, 14
        call    put_gate
        ; Gates 0 (#DE), 6 (#UD) and 13 (#GP): interrupt gates, but not present (an all-zero
        ; entry would be a #GP for its type, before P is looked at).
        mov     word [sys_idt + 0 * 8 + 4], 0x0E00
        mov     word [sys_idt + 6 * 8 + 4], 0x0E00
        mov     word [sys_idt + 13 * 8 + 4], 0x0E00

        SAYLN   "double: 1. #GP (MOV DS with a selector beyond the GDT), its gate not present"
        AT      .gp, .r1
        mov     ax, 0x1230
.gp:    mov     ds, ax
.r1:    SAYLN   "double: 2. #DE (DIV by zero), its gate not present"
        AT      .de, .r2
        xor     edx, edx
        xor     eax, eax
        xor     ecx, ecx
.de:    div     ecx
.r2:    SAYLN   "double: 3. #UD (UD2), its gate not present: benign, then contributory"
        AT      .ud, .r3
.ud:    ud2
.r3:
        ; Paging: identity map 0-4 MiB but the hole.
        mov     edi, PT0
        mov     eax, 0x003
        mov     ecx, 1024
.fill:  stosd
        add     eax, 0x1000
        loop    .fill
        mov     dword [PT0 + (HOLE >> 12) * 4], 0
        mov     edi, PD
        xor     eax, eax
        mov     ecx, 1024
        rep stosd
        mov     dword [PD], PT0 | 0x003
        mov     eax, PD
        mov     cr3, eax
        mov     eax, cr0
        or      eax, 0x80000000
        mov     cr0, eax
        SAYLN   "double: paging on"

        SAYLN   "double: 4. #PF (read of the hole), the #PF gate not present"
        mov     word [sys_idt + 14 * 8 + 4], 0x0E00
        AT      .pf1, .r4
.pf1:   mov     eax, [HOLE + 0x10]
.r4:    mov     edi, sys_idt
        mov     eax, pf_handler
        mov     ebx, 14
        call    put_gate

        SAYLN   "double: 5. #PF (read of the hole), the #PF gate itself in the hole"
        mov     edi, IDT_C
        mov     eax, df_handler
        mov     ebx, 8
        call    put_gate
        mov     eax, np_handler
        mov     ebx, 11
        call    put_gate
        lidt    [idtr_c]
        AT      .pf2, .r5
.pf2:   mov     eax, [HOLE + 0x20]
.r5:    lidt    [sys_idtr]

        SAYLN   "double: 6. #GP, the #GP gate in the hole: contributory, then page fault"
        mov     edi, IDT_B
        mov     eax, pf_handler
        mov     ebx, 14
        call    put_gate
        lidt    [idtr_b]
        AT      .gp2, .r6
        mov     ax, 0x1230
.gp2:   mov     ds, ax
.r6:    lidt    [sys_idtr]
        SAYLN   "double: 7. an ordinary #PF still works"
        AT      .pf3, .r7
.pf3:   mov     dword [HOLE + 0x30], 1
.r7:    DEC     "double: #DF taken: ", [df_count]
        EXIT    0

; Fills gate EBX of the IDT at EDI: a 32-bit interrupt gate to SEL_CODE0:EAX.
put_gate:
        push    eax
        mov     word [edi + ebx * 8], ax
        mov     word [edi + ebx * 8 + 2], SEL_CODE0
        mov     word [edi + ebx * 8 + 4], GATE_INT0
        shr     eax, 16
        mov     word [edi + ebx * 8 + 6], ax
        pop     eax
        ret

df_handler:
        inc     dword [df_count]
        push    dword .name
        jmp     fault_common
.name:  db      "double:   #DF", 0
np_handler:
        ; The EXT bit (0) of an error code naming the IDT entry is left out: the SDM sets it
        ; for a fault while delivering an exception, QEMU does not.
        and     dword [esp], ~1
        push    dword .name
        jmp     fault_common
.name:  db      "double:   #NP (EXT bit not shown)", 0
pf_handler:
        push    dword .name
        jmp     fault_common
.name:  db      "double:   #PF", 0

; [ESP]: the name; then the error code, EIP, CS, EFLAGS the CPU pushed.
fault_common:
        mov     esi, [esp]
        call    puts
        mov     eax, [esp + 4]
        SAY     " error="
        call    puthex
        mov     eax, [esp + 8]
        SAY     " saved EIP="
        call    puthex
        cmp     eax, [expect]
        je      .same
        SAY     " (not the faulting instruction)"
        jmp     .cr2
.same:  SAY     " (the faulting instruction)"
.cr2:   mov     eax, cr0
        test    eax, eax
        jns     .done
        mov     eax, cr2
        SAY     " CR2="
        call    puthex
.done:  call    newline
        mov     ax, SEL_DATA0
        mov     ds, ax
        mov     eax, [resume]
        mov     [esp + 8], eax
        add     esp, 8
        iretd

idtr_b: dw      256 * 8 - 1
        dd      IDT_B
idtr_c: dw      256 * 8 - 1
        dd      IDT_C
expect:         dd 0
resume:         dd 0
df_count:       dd 0

%include "include/com1.inc"
%include "include/sys.inc"
