; tss_stacks.asm — interrupts across privilege levels and the stack switch through a 32-bit TSS
; (no task switches). One handler, whose code segment decides the ring it runs in, records the
; ESP, SS and CS it starts with and the frame the CPU pushed. From ring 0, ring 3 and ring 2 it
; takes interrupts into ring 0 (stack from SS0:ESP0), ring 1 (SS1:ESP1) and ring 2 (SS2:ESP2, or
; no switch when already there): an inner ring gets EIP, CS, EFLAGS, ESP, SS on its new stack,
; the same ring only EIP, CS, EFLAGS. IRETD returns to the interrupted ring and stack. #GP from
; ring 3 (a ring-0 data selector into DS, HLT, INT through a DPL 0 gate) pushes its error code
; on the ring-0 stack. Printing works in every ring because EFLAGS.IOPL is 3.

        cpu     486
        bits    32
        org     0x100000

%include "include/macros.inc"
        MULTIBOOT_HEADER entry

KERNEL_STACK    equ 0x90000
ESP0            equ 0x8F000
ESP1            equ 0x8E000
ESP2            equ 0x8D000
RING3_STACK     equ 0x80000
RING2_STACK     equ 0x81000
FLAGS           equ 0x3002                ; IOPL 3, IF clear, arithmetic flags clear

; INTO vector, frame dwords: sets EFLAGS to FLAGS, takes the interrupt, and prints the report.
%macro INTO 2
        push    dword FLAGS
        popfd
        mov     [before_esp], esp
        int     %1
%%ret:  mov     dword [ret_eip], %%ret
        mov     ecx, %2
        call    report
%endmacro

; GP_TRY label: a #GP in what follows resumes at label; then the report is printed.
%macro GP_TRY 1
        mov     dword [resume], %1
        push    dword FLAGS
        popfd
        mov     [before_esp], esp
%endmacro
%macro GP_DONE 0
        mov     ecx, 6
        call    report
%endmacro

entry:
        mov     esp, KERNEL_STACK
        call    sys_init
        mov     dword [tss_esp0], ESP0
        mov     dword [tss_esp1], ESP1
        mov     dword [tss_esp2], ESP2
        mov     eax, probe
        mov     cx, GATE_INT3
        mov     ebx, 0x40
        mov     dx, SEL_CODE0
        call    set_gate_sel
        mov     ebx, 0x41
        mov     dx, SEL_CODE1 & ~3
        call    set_gate_sel
        mov     ebx, 0x42
        mov     dx, SEL_CODE2 & ~3
        call    set_gate_sel
        mov     ebx, 0x43               ; a DPL 0 gate: INT 43h from ring 3 is a #GP
        mov     cx, GATE_INT0
        mov     dx, SEL_CODE0
        call    set_gate_sel
        mov     eax, next_phase
        mov     ebx, 0x44
        mov     cx, GATE_INT3
        call    set_gate
        mov     eax, gp_handler
        mov     ebx, 13
        mov     cx, GATE_INT0
        call    set_gate

        SAYLN   "tss: ring 0, INT 40h to ring 0 (same ring)"
        INTO    0x40, 3
        SAYLN   "tss: to ring 3 by IRETD"
        mov     dword [phase], ring0_again
        push    dword SEL_DATA3
        push    dword RING3_STACK
        push    dword FLAGS
        push    dword SEL_CODE3
        push    dword ring3
        iretd

ring3:
        mov     ax, SEL_DATA3
        mov     ds, ax
        mov     es, ax
        SAYLN   "tss: ring 3, INT 40h to ring 0"
        INTO    0x40, 5
        SAYLN   "tss: ring 3, INT 41h to ring 1"
        INTO    0x41, 5
        SAYLN   "tss: ring 3, INT 42h to ring 2"
        INTO    0x42, 5
        SAYLN   "tss: ring 3, MOV DS with the ring-0 data selector"
        GP_TRY  .g1
        mov     ax, SEL_DATA0
        mov     ds, ax
.g1:    GP_DONE
        SAYLN   "tss: ring 3, HLT"
        GP_TRY  .g2
        hlt
.g2:    GP_DONE
        SAYLN   "tss: ring 3, INT 43h through a DPL 0 gate"
        GP_TRY  .g3
        int     0x43
.g3:    GP_DONE
        int     0x44                    ; to ring 0, then [phase]

ring0_again:
        SAYLN   "tss: back in ring 0; to ring 2 by IRETD"
        mov     dword [phase], done
        push    dword SEL_DATA2
        push    dword RING2_STACK
        push    dword FLAGS
        push    dword SEL_CODE2
        push    dword ring2
        iretd

ring2:
        mov     ax, SEL_DATA2
        mov     ds, ax
        mov     es, ax
        SAYLN   "tss: ring 2, INT 40h to ring 0"
        INTO    0x40, 5
        SAYLN   "tss: ring 2, INT 41h to ring 1"
        INTO    0x41, 5
        SAYLN   "tss: ring 2, INT 42h to ring 2 (same ring)"
        INTO    0x42, 3
        int     0x44

done:
        SAYLN   "tss: back in ring 0"
        EXIT    0

; INT 44h (DPL 3, to ring 0): drop the frame, ring-0 data segments, continue at [phase].
next_phase:
        mov     ax, SEL_DATA0
        mov     ds, ax
        mov     es, ax
        mov     esp, KERNEL_STACK
        jmp     [phase]

; The probe: records its ESP, SS and CS and five dwords of the frame, then returns.
probe:
        mov     [h_esp], esp
        mov     [h_ss], ss
        mov     [h_cs], cs
        mov     [h_eax], eax
        mov     eax, [esp]
        mov     [h_frame], eax
        mov     eax, [esp + 4]
        mov     [h_frame + 4], eax
        mov     eax, [esp + 8]
        mov     [h_frame + 8], eax
        mov     eax, [esp + 12]
        mov     [h_frame + 12], eax
        mov     eax, [esp + 16]
        mov     [h_frame + 16], eax
        mov     eax, [h_eax]
        iretd

; #GP: records like the probe (six dwords: the error code first), resumes at [resume].
gp_handler:
        mov     [h_esp], esp
        mov     [h_ss], ss
        mov     [h_cs], cs
        push    eax
        push    ecx
        push    esi
        lea     esi, [esp + 12]
        xor     ecx, ecx
.copy:  mov     eax, [esi + ecx * 4]
        mov     [h_frame + ecx * 4], eax
        inc     ecx
        cmp     ecx, 6
        jne     .copy
        mov     eax, [resume]
        mov     [esp + 16], eax         ; the saved EIP
        mov     [ret_eip], eax
        pop     esi
        pop     ecx
        pop     eax
        add     esp, 4
        iretd

; Prints what the handler saw: ECX frame dwords; then where the interrupted code is now.
report:
        push    eax
        push    ebx
        SAY     "tss:   handler CS="
        movzx   eax, word [h_cs]
        call    puthex
        SAY     " SS="
        movzx   eax, word [h_ss]
        call    puthex
        SAY     " ESP="
        mov     eax, [h_esp]
        call    puthex
        call    newline
        SAY     "tss:   frame:"
        xor     ebx, ebx
.f:     mov     al, ' '
        call    putc
        mov     eax, [h_frame + ebx * 4]
        call    puthex
        inc     ebx
        cmp     ebx, ecx
        jne     .f
        call    newline
        SAY     "tss:   return address expected "
        mov     eax, [ret_eip]
        call    puthex
        SAY     "; back with CS="
        mov     eax, cs
        call    puthex
        SAY     " SS="
        mov     eax, ss
        call    puthex
        SAY     " ESP before="
        mov     eax, [before_esp]
        call    puthex
        SAY     " after="
        lea     eax, [esp + 12]         ; ESP at the call of report
        call    puthex
        call    newline
        pop     ebx
        pop     eax
        ret

phase:          dd 0
resume:         dd 0
ret_eip:        dd 0
before_esp:     dd 0
h_esp:          dd 0
h_ss:           dd 0
h_cs:           dd 0
h_eax:          dd 0
h_frame:        times 6 dd 0

%include "include/com1.inc"
%include "include/sys.inc"
