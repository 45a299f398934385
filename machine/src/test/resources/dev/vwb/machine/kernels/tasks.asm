; tasks.asm — hardware task switches (SDM Vol. 3A chapter 7). Task A (the kernel) JMPs to task
; B, which JMPs back; CALLs task C through a task gate, which IRETs back (NT and the back link);
; INT 40h through a task gate in the IDT runs task D; a JMP to a 16-bit TSS runs task F; a
; double fault goes to task E through a task gate. Each task prints what it was handed (its
; preloaded registers, NT, the back link, TR) and task A prints the busy flags, CR0.TS and the
; EIPs saved in the TSSs. Then the switch faults: JMP to the busy current task (#GP), IRET with
; NT to a task that is not busy (#TS).

        cpu     486
        bits    32
        org     0x100000

MB_MAGIC        equ 0x1BADB002
MB_FLAGS        equ 1 << 16
EXIT_PORT       equ 0xF4
STACK_A         equ 0x90000
STACK_B         equ 0x8C000
STACK_C         equ 0x88000
STACK_D         equ 0x84000
STACK_E         equ 0x80000
STACK_F         equ 0x7C000

K_CODE  equ 0x08
K_DATA  equ 0x10
TSS_A   equ 0x28
TSS_B   equ 0x30
TSS_C   equ 0x38
GATE_C  equ 0x40                ; task gate -> TSS_C
TSS_D   equ 0x48
TSS_E   equ 0x50
TSS_F   equ 0x58                ; a 16-bit TSS
F_CODE  equ 0x60                ; code with base 1 MiB, so task F's 16-bit IP can reach it

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

; show "label", value: prints the label and the value (any r/m32 or immediate) in hex.
%macro show 2
        say     %1
        push    eax
        mov     eax, %2
        call    puthex
        pop     eax
%endmacro

; A 32-bit TSS: tss32 EIP, ESP, EAX — flat ring-0 segments, IF clear, no LDT.
%macro tss32 3
        dd      0                       ; 00 back link
        dd      STACK_A, K_DATA         ; 04 ESP0, SS0
        dd      0, 0, 0, 0              ; 0C ESP1, SS1, ESP2, SS2
        dd      0                       ; 1C CR3
        dd      %1                      ; 20 EIP
        dd      0x00000002              ; 24 EFLAGS
        dd      %3, 0xC1C1C1C1, 0xD1D1D1D1, 0xB1B1B1B1  ; 28 EAX ECX EDX EBX
        dd      %2, 0xB2B2B2B2, 0x51515151, 0xD2D2D2D2  ; 38 ESP EBP ESI EDI
        dd      K_DATA, K_CODE, K_DATA, K_DATA, K_DATA, K_DATA  ; 48 ES CS SS DS FS GS
        dd      0                       ; 60 LDT
        dw      0, 0x68                 ; 64 T flag, I/O map base
%endmacro

entry:
        mov     esp, STACK_A
        ; TSS descriptors: bases filled in at run time.
        mov     edi, gdt + TSS_A
        mov     eax, tss_a
        call    set_base
        mov     edi, gdt + TSS_B
        mov     eax, tss_b
        call    set_base
        mov     edi, gdt + TSS_C
        mov     eax, tss_c
        call    set_base
        mov     edi, gdt + TSS_D
        mov     eax, tss_d
        call    set_base
        mov     edi, gdt + TSS_E
        mov     eax, tss_e
        call    set_base
        mov     edi, gdt + TSS_F
        mov     eax, tss_f
        call    set_base
        ; IDT: #TS and #GP through interrupt gates; INT 40h and #DF through task gates.
        mov     edi, idt + 10 * 8
        mov     eax, fault_ts
        call    set_int_gate
        mov     edi, idt + 13 * 8
        mov     eax, fault_gp
        call    set_int_gate
        mov     dword [idt + 0x40 * 8], TSS_D << 16
        mov     dword [idt + 0x40 * 8 + 4], 0x8500
        mov     dword [idt + 8 * 8], TSS_E << 16
        mov     dword [idt + 8 * 8 + 4], 0x8500
        lgdt    [gdtr]
        lidt    [idtr]
        jmp     K_CODE:.reload
.reload:
        mov     ax, K_DATA
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        mov     fs, ax
        mov     gs, ax
        mov     ax, TSS_A
        ltr     ax
        say     "task switches", 10

        ; --- JMP to a TSS and back --------------------------------------------------------
        mov     eax, 0xA0A0A0A0
        jmp     TSS_B:0
back_from_b:
        show    "A again: EAX=", eax
        call    show_tr
        call    newline
        call    show_busy
        mov     eax, cr0
        and     eax, 8
        show    "CR0.TS=", eax
        clts
        mov     eax, [tss_b + 0x20]
        sub     eax, b_jmp
        show    " B saved EIP-jmp=", eax
        call    newline

        ; --- CALL through a task gate, IRET back --------------------------------------------
        call    GATE_C:0
        say     "A after CALL C:"
        call    show_nt
        call    show_busy
        mov     eax, [tss_c + 0x20]
        sub     eax, c_iret
        show    "C saved EIP-iret=", eax
        mov     eax, [tss_c + 0x24]
        and     eax, 0x4000
        show    " C saved NT=", eax
        call    newline
        call    TSS_C:0                 ; straight to the TSS this time: C resumes after its IRET
        say     "A after CALL C again", 10

        ; --- INT 40h through a task gate ----------------------------------------------------
        mov     ebx, 0x12345678
        int     0x40
back_from_int:
        show    "A after INT 40h: EBX=", ebx
        call    show_nt
        call    newline

        ; --- a 16-bit TSS ------------------------------------------------------------------
        mov     eax, 0x5A5A5A5A         ; the high word survives a switch to a 16-bit TSS
        jmp     TSS_F:0
back_from_f:
        mov     eax, [tss_f + 0x0E]
        and     eax, 0xFFFF
        add     eax, 0x100000
        sub     eax, f_jmp
        show    "A again: F saved IP-jmp=", eax
        call    newline
        call    show_busy

        ; --- faults -------------------------------------------------------------------------
        mov     dword [recover], .after_busy
        jmp     TSS_A:0                 ; A is busy: #GP(TSS_A)
.after_busy:
        mov     word [tss_a], TSS_B     ; a back link to B, which is not busy
        pushfd
        or      dword [esp], 0x4000     ; NT
        popfd
        mov     dword [recover], .after_nt
        iretd                           ; #TS(TSS_B)
.after_nt:
        pushfd
        and     dword [esp], ~0x4000
        popfd

        ; --- a double fault through a task gate -------------------------------------------
        ; #GP's gate not present: delivering #GP raises #NP, and two contributory faults make
        ; a #DF, which task E handles.
        and     byte [idt + 13 * 8 + 5], 0x7F
        and     byte [idt + 11 * 8 + 5], 0x7F
        mov     ax, 0xFFF8
df_here:
        mov     ds, ax                  ; #GP(FFF8): beyond the GDT
df_next:
        say     "A after the double fault", 10
        call    show_busy
        mov     al, 0
        out     EXIT_PORT, al
        hlt

; --- the other tasks --------------------------------------------------------------------------

task_b:
        show    "task B: EAX=", eax
        show    " EBX=", ebx
        show    " ESP=", esp
        call    show_nt
        call    show_tr
        movzx   eax, word [tss_b]
        show    " link=", eax
        call    newline
        call    show_busy
b_jmp:
        jmp     TSS_A:0
        say     "B resumed (not expected)", 10
        hlt

task_c:
        show    "task C: ECX=", ecx
        call    show_nt
        call    show_tr
        movzx   eax, word [tss_c]
        show    " link=", eax
        call    newline
        call    show_busy
c_iret:
        iretd
        say     "task C resumed after its IRET", 10
        call    show_nt
        call    newline
        iretd

task_d:
        show    "task D: EBX=", ebx
        call    show_nt
        call    show_tr
        movzx   eax, word [tss_d]
        show    " link=", eax
        mov     eax, [tss_a + 0x34]
        show    " A's saved EBX=", eax
        mov     eax, [tss_a + 0x20]
        sub     eax, back_from_int
        show    " A's saved EIP-next=", eax
        call    newline
        iretd

task_e:
        pop     eax                     ; the #DF error code, on task E's stack
        show    "task E (#DF): error=", eax
        show    " ESP=", esp
        call    show_tr
        movzx   eax, word [tss_e]
        show    " link=", eax
        mov     eax, [tss_a + 0x20]
        sub     eax, df_here
        show    " A's saved EIP-fault=", eax
        call    newline
        mov     dword [tss_a + 0x20], df_next  ; resume A after the faulting instruction
        iretd

; Task F runs from a 16-bit TSS, in a 32-bit code segment based at 1 MiB (its IP is 16 bits).
task_f:
        mov     [f_eax], eax
        mov     esp, STACK_F            ; the 16-bit TSS gave SP with FFFFh above it
        show    "task F (16-bit TSS): EAX=", [f_eax]
        show    " CS=", cs
        call    show_tr
        call    newline
f_jmp:
        jmp     TSS_A:0

; --- helpers ---------------------------------------------------------------------------------

show_nt:
        push    eax
        pushfd
        pop     eax
        and     eax, 0x4000
        show    " NT=", eax
        pop     eax
        ret

show_tr:
        push    eax
        str     ax
        movzx   eax, ax
        show    " TR=", eax
        pop     eax
        ret

; Prints the type nibble of each TSS descriptor: 9/B for 32-bit available/busy, 1/3 for 16-bit.
show_busy:
        push    eax
        push    ebx
        say     "  types A B C D E F:"
        mov     ebx, TSS_A
.next:  movzx   eax, byte [gdt + ebx + 5]
        and     eax, 0x0F
        say     " "
        call    puthex
        add     ebx, 8
        cmp     ebx, TSS_F
        jbe     .next
        call    newline
        pop     ebx
        pop     eax
        ret

fault_ts:
        say     "#TS error="
        jmp     fault_common
fault_gp:
        say     "#GP error="
fault_common:
        pop     eax
        call    puthex
        mov     eax, [esp]
        sub     eax, [recover]
        show    " EIP-recover=", eax
        call    newline
        mov     eax, [recover]
        mov     [esp], eax
        iretd

%include "include/com1.inc"
%include "include/desc.inc"

recover: dd     0
f_eax:   dd     0

align 8
gdt:
        dq      0
        dq      0x00CF9A000000FFFF      ; 08 ring 0 code
        dq      0x00CF92000000FFFF      ; 10 ring 0 data
        dq      0x00CFFA000000FFFF      ; 18 ring 3 code
        dq      0x00CFF2000000FFFF      ; 20 ring 3 data
        dq      0x0000890000000067      ; 28 TSS A
        dq      0x0000890000000067      ; 30 TSS B
        dq      0x0000890000000067      ; 38 TSS C
        dq      0x0000850000380000      ; 40 task gate -> TSS C
        dq      0x0000890000000067      ; 48 TSS D
        dq      0x0000890000000067      ; 50 TSS E
        dq      0x000081000000002B      ; 58 TSS F, 16-bit
        dq      0x00409A100000FFFF      ; 60 code, base 1 MiB, 64 KiB
gdt_end:
gdtr:   dw      gdt_end - gdt - 1
        dd      gdt

align 8
idt:    times 0x41 dq 0
idtr:   dw      0x41 * 8 - 1
        dd      idt

align 4
tss_a:  tss32   0, 0, 0
tss_b:  tss32   task_b, STACK_B, 0xB0B0B0B0
tss_c:  tss32   task_c, STACK_C, 0xC0C0C0C0
tss_d:  tss32   task_d, STACK_D, 0xD0D0D0D0
tss_e:  tss32   task_e, STACK_E, 0xE0E0E0E0
tss_f:                                  ; 16-bit TSS (SDM Vol. 3A Figure 7-11)
        dw      0                       ; 00 back link
        dw      0, 0, 0, 0, 0, 0        ; 02 SP0 SS0 SP1 SS1 SP2 SS2
        dw      task_f - 0x100000       ; 0E IP
        dw      0x0002                  ; 10 FLAGS
        dw      0xF1F1, 0xC1C1, 0xD1D1, 0xB1B1, 0x7000, 0xB2B2, 0x5151, 0xD2D2  ; AX CX DX BX SP BP SI DI
        dw      K_DATA, F_CODE, K_DATA, K_DATA  ; 22 ES CS SS DS
        dw      0                       ; 2A LDT
