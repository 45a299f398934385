; sensitive.asm - the other sensitive-but-unprivileged instructions of lesson 4.
;
; Popek and Goldberg (1974): trap-and-emulate works if every *sensitive* instruction is also
; *privileged* (traps outside the most privileged mode). On x86 these read privileged state and
; never trap, at any CPL (SDM Vol. 2 for each):
;   SGDT, SIDT    store GDTR and IDTR (base and limit)
;   SMSW          stores CR0 bits 15..0 (PE, MP, EM, TS, ET, NE), unlike MOV from CR0 (privileged)
;   STR, SLDT     store the task register's and the LDT register's selectors
;   MOV r, Sreg   reads a segment selector, with its RPL: the CPL shows in CS's
;   PUSH CS       the same, through the stack
;   LAR, LSL      read a descriptor's access rights and limit (from whatever table is loaded)
;   PUSHF         shows IOPL and IF
; A hypervisor that runs this kernel at ring 1 loads its own (shadow) tables and keeps the real
; CR0, IF and IOPL for itself: every one of these then shows the monitor's values, not the ones
; the kernel set up. The kernel cannot fix that and cannot even notice (nothing faults).
;
; The kernel sets up known values (its GDT and IDT, a TSS and an LDT, CR0 with MP and TS set,
; IOPL 3 and IF clear), then prints each instruction's view beside the value it set up, and
; "matches" or "differs". Values are in hex so a diff shows exactly what leaked. On bare
; hardware (QEMU, vwb) everything matches.
;
; Multiboot kernel, flat binary loaded at 1 MiB. Output on COM1; the exit device at port F4h
; gets 0 at the end (or 1 after an unexpected exception).

        cpu     486
        bits    32
        org     0x100000

CR0_PE          equ 1 << 0              ; protection enable
CR0_MP          equ 1 << 1              ; monitor coprocessor
CR0_TS          equ 1 << 3              ; task switched (lazy FPU switching sets it)
CR0_ET          equ 1 << 4              ; extension type (always 1 from the 486 on)
EFLAGS_IF       equ 1 << 9              ; interrupt enable flag
EFLAGS_IOPL     equ 3 << 12             ; I/O privilege level, bits 13..12
CODE_SEL        equ 0x08                ; GDT selectors (ours, below)
DATA_SEL        equ 0x10
TSS_SEL         equ 0x18
LDT_SEL         equ 0x20
STACK_TOP       equ 0x90000
LAR_MASK        equ 0x00F0FF00          ; the defined bits LAR reports of a descriptor's high dword

%include "multiboot.inc"

; --- setting up the values the instructions will be asked about --------------------------------

entry:
        cli
        cld
        mov     esp, STACK_TOP
        call    uart_init
        ; The TSS and LDT descriptors get their bases now: a descriptor keeps the base in three
        ; pieces (bits 15..0, 23..16, 31..24; SDM Vol. 3A 3.4.5), which is easiest done here.
        mov     edi, gdt + TSS_SEL
        mov     eax, tss
        call    set_base
        mov     edi, gdt + LDT_SEL
        mov     eax, ldt
        call    set_base
        lgdt    [gdtr]
        jmp     CODE_SEL:.reloaded
.reloaded:
        mov     ax, DATA_SEL
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        xor     ax, ax
        mov     fs, ax
        mov     gs, ax
        call    idt_init
        mov     ax, TSS_SEL
        ltr     ax
        mov     ax, LDT_SEL
        lldt    ax
        mov     eax, CR0_PE | CR0_MP | CR0_TS | CR0_ET
        mov     cr0, eax
        pushfd                          ; IOPL 3 (at ring 0 POPF may change IOPL), IF clear
        pop     eax
        or      eax, EFLAGS_IOPL
        and     eax, ~EFLAGS_IF
        push    eax
        popfd
        mov     esi, msg_start
        call    puts

; --- asking ---------------------------------------------------------------------------------------

        sgdt    [seen_gdtr]
        mov     esi, msg_sgdt_base
        mov     eax, [seen_gdtr + 2]
        mov     ebx, [gdtr + 2]
        call    report8
        mov     esi, msg_sgdt_limit
        movzx   eax, word [seen_gdtr]
        movzx   ebx, word [gdtr]
        call    report4

        sidt    [seen_idtr]
        mov     esi, msg_sidt_base
        mov     eax, [seen_idtr + 2]
        mov     ebx, [idtr + 2]
        call    report8
        mov     esi, msg_sidt_limit
        movzx   eax, word [seen_idtr]
        movzx   ebx, word [idtr]
        call    report4

        ; SMSW against MOV from CR0: the same register, read without and with privilege (the
        ; kernel's idea of CR0 is what the privileged read gives it).
        smsw    ax
        movzx   eax, ax
        mov     ebx, cr0
        and     ebx, 0xFFFF
        mov     esi, msg_smsw
        call    report4
        call    print_msw_bits

        str     ax
        movzx   eax, ax
        mov     ebx, TSS_SEL
        mov     esi, msg_str
        call    report4

        sldt    ax
        movzx   eax, ax
        mov     ebx, LDT_SEL
        mov     esi, msg_sldt
        call    report4

        mov     ax, cs                  ; the RPL of CS is the CPL
        movzx   eax, ax
        mov     ebx, CODE_SEL
        mov     esi, msg_mov_cs
        call    report4

        mov     ax, ss
        movzx   eax, ax
        mov     ebx, DATA_SEL
        mov     esi, msg_mov_ss
        call    report4

        mov     ax, ds
        movzx   eax, ax
        mov     ebx, DATA_SEL
        mov     esi, msg_mov_ds
        call    report4

        push    cs                      ; a 32-bit push of a selector: only bits 15..0 are defined
        pop     eax
        and     eax, 0xFFFF
        mov     ebx, CODE_SEL
        mov     esi, msg_push_cs
        call    report4

        ; LAR and LSL on our own code selector, against the descriptor in our GDT.
        mov     cx, cs
        lar     eax, cx                 ; ZF=1 if the descriptor could be read
        jz      .lar_ok
        mov     eax, 0xFFFFFFFF         ; not readable: cannot match the GDT's bits
.lar_ok:
        and     eax, LAR_MASK           ; bits 19..16 are undefined (SDM: "masked by 00FxFF00H")
        mov     ebx, [gdt + CODE_SEL + 4]
        and     ebx, LAR_MASK
        mov     esi, msg_lar_cs
        call    report8

        lsl     eax, cx
        jz      .lsl_ok
        mov     eax, 0xDEADDEAD
.lsl_ok:
        mov     edi, gdt + CODE_SEL
        call    descriptor_limit        ; EBX = the limit in bytes, as LSL computes it
        mov     esi, msg_lsl_cs
        call    report8

        pushfd
        pop     eax
        and     eax, EFLAGS_IOPL
        shr     eax, 12
        mov     ebx, 3
        mov     esi, msg_pushf_iopl
        call    report1

        pushfd
        pop     eax
        and     eax, EFLAGS_IF
        shr     eax, 9
        mov     ebx, 0
        mov     esi, msg_pushf_if
        call    report1

        mov     esi, msg_summary
        call    puts
        mov     eax, [differences]
        call    putdec
        mov     esi, msg_summary_of
        call    puts
        mov     eax, [observations]
        call    putdec
        mov     esi, msg_summary_end
        call    puts
        xor     eax, eax
        jmp     exit

; --- reporting ------------------------------------------------------------------------------------

; report8, report4, report1: print "LABEL SEEN (set up: EXPECTED) matches|differs" for the text
; at ESI, EAX as seen and EBX as set up, with 8, 4 or 1 hex digits, and count the observation.
report8:
        mov     ecx, 8
        jmp     report
report4:
        mov     ecx, 4
        jmp     report
report1:
        mov     ecx, 1
report:
        inc     dword [observations]
        call    puts
        call    puthex
        mov     esi, msg_set_up
        call    puts
        push    eax
        mov     eax, ebx
        call    puthex
        pop     eax
        mov     esi, msg_matches
        cmp     eax, ebx
        je      .verdict
        inc     dword [differences]
        mov     esi, msg_differs
.verdict:
        call    puts
        ret

; print_msw_bits: prints the PE, MP, EM, TS and ET bits of AX (bits 0-4) as "NAME=0|1".
print_msw_bits:
        mov     esi, msg_msw_bits
        call    puts
        mov     edx, eax
        mov     esi, msw_bit_names
        mov     ecx, 5
.bit:   mov     al, ' '
        call    putc
        call    puts                    ; the name (ESI moves on to the next one)
        mov     al, '='
        call    putc
        mov     al, dl
        and     al, 1
        add     al, '0'
        call    putc
        shr     edx, 1
        dec     ecx
        jnz     .bit
        mov     al, 10
        call    putc
        ret

; descriptor_limit: EBX = the limit of the segment descriptor at EDI in bytes: the 20-bit field,
; scaled by 4 KiB when G is set (SDM Vol. 3A 3.4.5).
descriptor_limit:
        movzx   ebx, word [edi]         ; limit 15..0
        mov     edx, [edi + 4]
        and     edx, 0x000F0000         ; limit 19..16
        or      ebx, edx
        test    dword [edi + 4], 1 << 23        ; G
        jz      .bytes
        shl     ebx, 12
        or      ebx, 0xFFF
.bytes: ret

; set_base: the segment descriptor at EDI gets base EAX.
set_base:
        mov     [edi + 2], ax           ; base 15..0
        shr     eax, 16
        mov     [edi + 4], al           ; base 23..16
        mov     [edi + 7], ah           ; base 31..24
        ret

; idt_init: exceptions 0-19 to their stubs; 32-bit interrupt gates, DPL 0 (SDM Vol. 3A 6.11).
idt_init:
        mov     ecx, 0
.gate:  mov     eax, ecx
        imul    eax, eax, EXC_STUB_SIZE
        add     eax, exc_stubs
        mov     [idt + ecx * 8], ax                 ; offset 15..0
        mov     word [idt + ecx * 8 + 2], CODE_SEL
        mov     word [idt + ecx * 8 + 4], 0x8E00    ; P=1, DPL=0, 32-bit interrupt gate
        shr     eax, 16
        mov     [idt + ecx * 8 + 6], ax             ; offset 31..16
        inc     ecx
        cmp     ecx, 20
        jb      .gate
        lidt    [idtr]
        ret

%include "uart_init.inc"
%include "com1.inc"

; puthex: prints the low ECX hex digits of EAX (ECX = 1..8). Preserves registers.
puthex:
        push    eax
        push    ecx
        push    edx
        mov     edx, eax
        ror     edx, cl                 ; the first digit to print, rotated into bits 3..0 ...
        ror     edx, cl
        ror     edx, cl
        ror     edx, cl                 ; ... by 4 * ECX bits
.digit: rol     edx, 4
        mov     al, dl
        and     al, 0x0F
        add     al, '0'
        cmp     al, '9'
        jbe     .out
        add     al, 'A' - '9' - 1
.out:   call    putc
        dec     ecx
        jnz     .digit
        pop     edx
        pop     ecx
        pop     eax
        ret

; putdec: prints EAX in decimal. Preserves registers.
putdec:
        push    eax
        push    ecx
        push    edx
        push    ebx
        mov     ebx, 10
        xor     ecx, ecx
.divide:
        xor     edx, edx
        div     ebx
        push    edx                     ; the digits come out last first
        inc     ecx
        test    eax, eax
        jnz     .divide
.print: pop     eax
        add     al, '0'
        call    putc
        dec     ecx
        jnz     .print
        pop     ebx
        pop     edx
        pop     ecx
        pop     eax
        ret

%include "exit.inc"

; Exceptions 0-19 should not happen here. The IDT entry of vector v points at the v-th of these
; twenty CALLs; the return address it pushes tells exc_common which one ran, hence the vector.
; exc_common prints the vector and the EIP and exits with status 1. Vectors 8, 10-14 and 17 have
; the CPU push an error code first (SDM Vol. 3A 6.13), so the EIP lies one slot further up.
exc_stubs:
        times   20 call exc_common
exc_stubs_end:
EXC_STUB_SIZE   equ (exc_stubs_end - exc_stubs) / 20
ERROR_CODE_VECTORS equ (1 << 8) | (0x1F << 10) | (1 << 17)

exc_common:
        mov     ax, DATA_SEL
        mov     ds, ax
        mov     es, ax
        pop     eax                     ; the return address: just after the vector's CALL
        sub     eax, exc_stubs + EXC_STUB_SIZE
        xor     edx, edx
        mov     ecx, EXC_STUB_SIZE
        div     ecx
        push    eax                     ; the vector, where the EIP is looked for below
        mov     esi, msg_exception
        call    puts
        mov     ecx, 2
        call    puthex
        mov     esi, msg_at_eip
        call    puts
        mov     ecx, [esp]
        mov     eax, [esp + 4]          ; the EIP, if no error code
        mov     edx, ERROR_CODE_VECTORS
        bt      edx, ecx
        jnc     .print
        mov     eax, [esp + 8]
.print: mov     ecx, 8
        call    puthex
        mov     al, 10
        call    putc
        mov     eax, 1
        jmp     exit

; --- data ---------------------------------------------------------------------------------------

observations:   dd 0
differences:    dd 0
seen_gdtr:      dw 0                    ; what SGDT and SIDT store: limit, then base
                dd 0
seen_idtr:      dw 0
                dd 0

msg_start:      db "sensitive: ring 0; each instruction's view, and what the kernel set up", 10, 0
msg_set_up:     db " (set up: ", 0
msg_matches:    db ") matches", 10, 0
msg_differs:    db ") differs", 10, 0
msg_sgdt_base:  db "sgdt base: ", 0
msg_sgdt_limit: db "sgdt limit: ", 0
msg_sidt_base:  db "sidt base: ", 0
msg_sidt_limit: db "sidt limit: ", 0
msg_smsw:       db "smsw: ", 0
msg_msw_bits:   db "smsw bits:", 0
msw_bit_names:  db "PE", 0, "MP", 0, "EM", 0, "TS", 0, "ET", 0
msg_str:        db "str: ", 0
msg_sldt:       db "sldt: ", 0
msg_mov_cs:     db "mov from cs: ", 0
msg_mov_ss:     db "mov from ss: ", 0
msg_mov_ds:     db "mov from ds: ", 0
msg_push_cs:    db "push cs: ", 0
msg_lar_cs:     db "lar cs: ", 0
msg_lsl_cs:     db "lsl cs: ", 0
msg_pushf_iopl: db "pushf iopl: ", 0
msg_pushf_if:   db "pushf if: ", 0
msg_summary:    db "sensitive: ", 0
msg_summary_of: db " of ", 0
msg_summary_end: db " observations differ from what the kernel set up", 10, 0
msg_exception:  db "sensitive: unexpected exception ", 0
msg_at_eip:     db " at eip ", 0

; The GDT (SDM Vol. 3A 3.4.5). Accessed bits are preset: QEMU does not set the one of CS when
; it loads CS, and LAR would show the difference.
        align   8
gdt:
        dq      0                       ; 00h the null descriptor
        dq      0x00CF9B000000FFFF      ; 08h code: base 0, limit 4 GiB, DPL 0, execute/read
        dq      0x00CF93000000FFFF      ; 10h data: base 0, limit 4 GiB, DPL 0, read/write
        dw      tss_end - tss - 1       ; 18h 32-bit TSS, available (LTR marks it busy): limit,
        dw      0                       ;     base 15..0 (set_base fills in the base)
        db      0                       ;     base 23..16
        db      0x89                    ;     P=1, DPL=0, type 1001b
        db      0                       ;     limit 19..16 = 0, G = 0
        db      0                       ;     base 31..24
        dw      ldt_end - ldt - 1       ; 20h LDT: limit
        dw      0                       ;     base 15..0
        db      0                       ;     base 23..16
        db      0x82                    ;     P=1, DPL=0, type 0010b
        db      0
        db      0                       ;     base 31..24
gdt_end:
gdtr:   dw      gdt_end - gdt - 1
        dd      gdt

        align   8
ldt:                                    ; an LDT with one data descriptor, only to be loaded
        dq      0
        dq      0x00CF93000000FFFF
ldt_end:

        align   8
idt:    times   20 * 8 db 0
idt_end:
idtr:   dw      idt_end - idt - 1
        dd      idt

        align   4
tss:                                    ; a 32-bit TSS (SDM Vol. 3A 7.2.1): only loaded, never used
        times   102 db 0
        dw      104                     ; I/O map base: beyond the limit, so no I/O bitmap
tss_end:
