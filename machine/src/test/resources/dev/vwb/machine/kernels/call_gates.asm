; call_gates.asm — far CALL and JMP through call gates (SDM Vol. 3A §5.8.3–5.8.6). Ring 3 code
; calls ring 0 through a 32-bit gate that copies two dword parameters, ring 1 through a gate
; whose stack comes from SS1:ESP1 in the TSS, and conforming code that keeps CPL 3; each target
; prints the frame it sees (CPL, SS, stack depth, return CS:EIP, parameters, caller's SS:ESP).
; RETF imm16 returns to ring 3 and releases the parameters. Then the gate faults: a gate of
; DPL 0 (#GP gate), a gate not present (#NP gate), JMP through a gate to more privileged code
; (#GP code selector), a gate with a null code selector (#GP 0).

        cpu     486
        bits    32
        org     0x100000

MB_MAGIC        equ 0x1BADB002
MB_FLAGS        equ 1 << 16
EXIT_PORT       equ 0xF4
STACK0          equ 0x90000
STACK1          equ 0x88000
STACK3          equ 0x80000

K_CODE  equ 0x08
K_DATA  equ 0x10
U_CODE  equ 0x18
U_DATA  equ 0x20
TSS_SEL equ 0x28
GATE_R0 equ 0x30                ; DPL 3 -> ring 0, 2 dword parameters
GATE_D0 equ 0x38                ; DPL 0 -> ring 0: ring 3 may not use it
GATE_NP equ 0x40                ; not present
R1_CODE equ 0x48
R1_DATA equ 0x50
GATE_R1 equ 0x58                ; DPL 3 -> ring 1
CONF    equ 0x60                ; conforming code, DPL 0
GATE_CF equ 0x68                ; DPL 3 -> conforming code
GATE_NL equ 0x70                ; DPL 3, null code selector

header:
        dd      MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
        dd      header, header, 0, 0, entry

%macro say 1+
        jmp     %%over
%%text: db      %1, 0
%%over: push    esi
        mov     esi, %%text
        call    puts
        pop     esi
%endmacro

; gate SLOT, TARGET_SELECTOR, OFFSET, ACCESS_WORD (P, DPL, type, parameter count)
%macro gate 4
        mov     eax, %3
        mov     word [gdt + %1], ax
        mov     word [gdt + %1 + 2], %2
        mov     word [gdt + %1 + 4], %4
        shr     eax, 16
        mov     word [gdt + %1 + 6], ax
%endmacro

entry:
        mov     esp, STACK0
        ; The TSS descriptor and the gates are filled in at run time (their offsets are split).
        mov     edi, gdt + TSS_SEL
        mov     eax, tss
        call    set_base
        gate    GATE_R0, K_CODE, ring0_entry, 0xEC02
        gate    GATE_D0, K_CODE, ring0_entry, 0x8C00
        gate    GATE_NP, K_CODE, ring0_entry, 0x6C00
        gate    GATE_R1, R1_CODE, ring1_entry, 0xEC00
        gate    GATE_CF, CONF, conforming_entry, 0xEC00
        gate    GATE_NL, 0, ring0_entry, 0xEC00
        ; IDT: #NP and #GP through interrupt gates to ring 0.
        mov     eax, fault_np
        mov     edi, idt + 11 * 8
        call    set_int_gate
        mov     eax, fault_gp
        mov     edi, idt + 13 * 8
        call    set_int_gate
        lgdt    [gdtr]
        lidt    [idtr]
        jmp     K_CODE:.reload
.reload:
        mov     ax, K_DATA
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        mov     ax, TSS_SEL
        ltr     ax
        say     "call gates", 10
        ; To ring 3 with IOPL 3, so every ring may use COM1.
        push    U_DATA | 3
        push    STACK3
        push    0x3002
        push    U_CODE | 3
        push    ring3
        iret

ring3:
        mov     ax, U_DATA | 3
        mov     ds, ax
        mov     es, ax
        say     "ring 3: CS="
        mov     eax, cs
        call    puthex
        call    newline

        mov     ebx, esp                ; the caller's ESP before the parameters
        push    0x11111111              ; parameter 1
        push    0x22222222              ; parameter 0 (lowest address)
call_r0:
        call    GATE_R0 | 3:0xDEAD      ; the offset is ignored: the gate supplies it
after_r0:
        say     "back in ring 3: CS="
        mov     eax, cs
        call    puthex
        say     " SS="
        mov     eax, ss
        call    puthex
        say     " ESP-before="
        mov     eax, esp
        sub     eax, ebx
        call    puthex
        call    newline

        call    GATE_R1 | 3:0
        say     "back from ring 1: ESP-before="
        mov     eax, esp
        sub     eax, ebx
        call    puthex
        call    newline

        call    GATE_CF | 3:0
        say     "back from conforming code: CS="
        mov     eax, cs
        call    puthex
        call    newline

        mov     dword [recover], .after_d0
        call    GATE_D0 | 3:0
.after_d0:
        mov     dword [recover], .after_np
        call    GATE_NP | 3:0
.after_np:
        mov     dword [recover], .after_jmp
        jmp     GATE_R0 | 3:0
.after_jmp:
        mov     dword [recover], .after_null
        call    GATE_NL | 3:0
.after_null:
        say     "done", 10
        mov     al, 0
        out     EXIT_PORT, al
        hlt

; Ring 0 through GATE_R0: the inner stack holds, from ESP up: EIP, CS, parameter 0, parameter 1,
; the caller's ESP and SS (SDM Vol. 3A Figure 5-13).
ring0_entry:
        say     "ring 0 via gate: CPL="
        mov     eax, cs
        and     eax, 3
        call    puthex
        say     " SS="
        mov     eax, ss
        call    puthex
        say     " depth="
        mov     eax, STACK0
        sub     eax, esp
        call    puthex
        call    newline
        say     "  return EIP-call="
        mov     eax, [esp]
        sub     eax, call_r0
        call    puthex
        say     " (length "
        mov     eax, after_r0 - call_r0
        call    puthex
        say     ") CS="
        mov     eax, [esp + 4]
        call    puthex
        call    newline
        say     "  param0="
        mov     eax, [esp + 8]
        call    puthex
        say     " param1="
        mov     eax, [esp + 12]
        call    puthex
        call    newline
        say     "  caller ESP-before="
        mov     eax, [esp + 16]
        sub     eax, ebx
        call    puthex
        say     " caller SS="
        mov     eax, [esp + 20]
        call    puthex
        call    newline
        retf    8

; Ring 1 through GATE_R1: the stack is SS1:ESP1 from the TSS; no parameters.
ring1_entry:
        say     "ring 1 via gate: CPL="
        mov     eax, cs
        and     eax, 3
        call    puthex
        say     " SS="
        mov     eax, ss
        call    puthex
        say     " depth="
        mov     eax, STACK1
        sub     eax, esp
        call    puthex
        call    newline
        retf

; Conforming code through GATE_CF: CPL stays 3, so no stack switch: only CS:EIP pushed.
conforming_entry:
        ; The SDM sets CS.RPL to the CPL (3) here; QEMU shows the segment's DPL (0) in the
        ; selector while keeping CPL 3, so only the index is printed.
        say     "conforming via gate: CS index="
        mov     eax, cs
        and     eax, ~3
        call    puthex
        say     " SS="
        mov     eax, ss
        call    puthex
        say     " pushed="
        mov     eax, esp
        sub     eax, ebx
        neg     eax
        call    puthex
        call    newline
        retf

; #NP and #GP from ring 3: print the error code, then resume ring 3 at [recover].
fault_np:
        say     "#NP error="
        jmp     fault_common
fault_gp:
        say     "#GP error="
fault_common:
        pop     eax
        call    puthex
        say     " EIP-recover="
        mov     eax, [esp]
        sub     eax, [recover]
        call    puthex
        call    newline
        mov     eax, [recover]
        mov     [esp], eax
        iret

%include "include/com1.inc"
%include "include/desc.inc"

recover: dd     0

align 8
gdt:
        dq      0
        dq      0x00CF9A000000FFFF      ; 08 ring 0 code
        dq      0x00CF92000000FFFF      ; 10 ring 0 data
        dq      0x00CFFA000000FFFF      ; 18 ring 3 code
        dq      0x00CFF2000000FFFF      ; 20 ring 3 data
        dq      0x0000890000000067      ; 28 32-bit TSS (base filled in)
        dq      0                       ; 30 gate
        dq      0                       ; 38 gate
        dq      0                       ; 40 gate
        dq      0x00CFBA000000FFFF      ; 48 ring 1 code
        dq      0x00CFB2000000FFFF      ; 50 ring 1 data
        dq      0                       ; 58 gate
        dq      0x00CF9E000000FFFF      ; 60 conforming code, DPL 0
        dq      0                       ; 68 gate
        dq      0                       ; 70 gate
gdt_end:
gdtr:   dw      gdt_end - gdt - 1
        dd      gdt

align 8
idt:    times 32 dq 0
idtr:   dw      32 * 8 - 1
        dd      idt

align 4
tss:
        dd      0                       ; back link
        dd      STACK0, K_DATA          ; ESP0, SS0
        dd      STACK1, R1_DATA | 1     ; ESP1, SS1
        dd      0, 0                    ; ESP2, SS2
        times   0x66 - ($ - tss) db 0
        dw      0x68                    ; I/O map base beyond the limit: IOPL decides
