; rings.asm — a 64 KiB BIOS image that crosses privilege levels.
;
; It enters 32-bit protected mode with a GDT of ring-0 and ring-3 segments and a TSS, drops to
; ring 3 with IRETD, makes a system call with INT 80h (a gate of DPL 3: the CPU switches to the
; ring-0 stack named in the TSS), returns with IRETD, and finally tries CLI in ring 3, which
; raises #GP; the #GP handler reports the frame the CPU pushed and powers the machine off.
; The output is the same in vwb and in QEMU.
;
; Build:  nasm -f bin -o rings.bin rings.asm

        cpu     486

ROM_BASE        equ 0xF0000
DEBUG_CONSOLE   equ 0xE9
EXIT_PORT       equ 0xF4
KERNEL_CODE     equ 0x08            ; GDT 1: ring-0 code
KERNEL_DATA     equ 0x10            ; GDT 2: ring-0 data
USER_CODE       equ 0x18 | 3        ; GDT 3: ring-3 code, RPL 3
USER_DATA       equ 0x20 | 3        ; GDT 4: ring-3 data, RPL 3
TSS_SEL         equ 0x28            ; GDT 5: the TSS
GDT             equ 0x20000         ; the GDT, IDT and TSS are built in RAM
IDT             equ 0x21000
TSS             equ 0x22000
GDT_PTR         equ 0x23000         ; the pseudo-descriptors for LGDT and LIDT (in RAM: the ROM is read-only)
IDT_PTR         equ 0x23010
KERNEL_STACK    equ 0x90000
USER_STACK      equ 0x80000

section rm16 start=0 vstart=0
bits 16
start:
        cli
        cld
        lgdt    [cs:boot_gdt_ptr]
        mov     eax, cr0
        or      al, 1
        mov     cr0, eax
        jmp     dword KERNEL_CODE:pm_entry

        align   8
boot_gdt:                           ; copied to GDT, then extended with the TSS descriptor
        dq      0
        dw      0xFFFF, 0x0000, 0x9A00, 0x00CF      ; 08: ring-0 code, flat
        dw      0xFFFF, 0x0000, 0x9200, 0x00CF      ; 10: ring-0 data, flat
        dw      0xFFFF, 0x0000, 0xFA00, 0x00CF      ; 18: ring-3 code, flat (DPL 3)
        dw      0xFFFF, 0x0000, 0xF200, 0x00CF      ; 20: ring-3 data, flat (DPL 3)
boot_gdt_end:
boot_gdt_ptr:
        dw      boot_gdt_end - boot_gdt - 1
        dd      ROM_BASE + boot_gdt

section pm32 start=0x1000 vstart=ROM_BASE+0x1000
bits 32
pm_entry:
        mov     ax, KERNEL_DATA
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        mov     esp, KERNEL_STACK

        ; The GDT in RAM: the five boot descriptors, then the TSS descriptor (32-bit, available).
        mov     esi, ROM_BASE + boot_gdt
        mov     edi, GDT
        mov     ecx, (boot_gdt_end - boot_gdt) / 4
        rep movsd
        mov     dword [GDT + 0x28], ((TSS & 0xFFFF) << 16) | 0x67 ; base 15:0, limit 67h
        mov     dword [GDT + 0x2C], ((TSS >> 16) & 0xFF) | 0x8900 ; base 23:16, present, type 9
        mov     word [GDT_PTR], 0x2F
        mov     dword [GDT_PTR + 2], GDT
        lgdt    [GDT_PTR]

        ; The TSS: only SS0:ESP0 matter, the stack the CPU switches to on entering ring 0.
        mov     edi, TSS
        xor     eax, eax
        mov     ecx, 0x68 / 4
        rep stosd
        mov     dword [TSS + 4], KERNEL_STACK
        mov     dword [TSS + 8], KERNEL_DATA
        mov     word [TSS + 0x66], 0x68   ; no I/O bitmap
        mov     ax, TSS_SEL
        ltr     ax

        ; The IDT: INT 80h through a 32-bit interrupt gate of DPL 3, #GP through one of DPL 0.
        mov     eax, syscall
        mov     ebx, 0xEE00                ; present, DPL 3, 32-bit interrupt gate
        mov     ecx, 0x80
        call    set_gate
        mov     eax, gp_handler
        mov     ebx, 0x8E00                ; present, DPL 0
        mov     ecx, 13
        call    set_gate
        mov     word [IDT_PTR], 0x80 * 8 + 7
        mov     dword [IDT_PTR + 2], IDT
        lidt    [IDT_PTR]

        mov     esi, msg_kernel
        call    print

        ; Drop to ring 3: IRETD pops EIP, CS, EFLAGS and, going outwards, ESP and SS.
        push    dword USER_DATA
        push    dword USER_STACK
        push    dword 0x00000002           ; EFLAGS: IF clear, IOPL 0
        push    dword USER_CODE
        push    dword user_entry
        iretd

; ECX = vector, EAX = handler, EBX = the gate's access word.
set_gate:
        mov     edi, IDT
        lea     edi, [edi + ecx * 8]
        mov     word [edi], ax
        mov     word [edi + 2], KERNEL_CODE
        mov     word [edi + 4], bx
        shr     eax, 16
        mov     word [edi + 6], ax
        ret

; Writes the zero-terminated string at ESI to the debug console.
print:
        push    eax
        push    edx
        mov     dx, DEBUG_CONSOLE
.next:  lodsb
        test    al, al
        jz      .done
        out     dx, al
        jmp     .next
.done:  pop     edx
        pop     eax
        ret

; Prints the ring of a selector in AX as a digit, then a newline.
print_ring:
        push    eax
        push    edx
        and     al, 3
        add     al, '0'
        mov     dx, DEBUG_CONSOLE
        out     dx, al
        mov     al, 10
        out     dx, al
        pop     edx
        pop     eax
        ret

; INT 80h: EAX = 1 prints the string at ESI. The frame: EIP, CS, EFLAGS, ESP, SS of ring 3.
syscall:
        push    esi
        mov     esi, msg_syscall
        call    print
        mov     ax, [esp + 4 + 4]          ; the caller's CS
        call    print_ring
        mov     esi, msg_stack
        call    print
        mov     ax, ss
        call    print_ring
        pop     esi
        call    print
        iretd

; #GP: error code, EIP, CS, EFLAGS, ESP, SS.
gp_handler:
        mov     esi, msg_gp
        call    print
        mov     ax, [esp + 8]              ; CS of the faulting code
        call    print_ring
        mov     esi, msg_error
        call    print
        mov     eax, [esp]                 ; the error code: 0 for CLI
        call    print_ring
        mov     esi, msg_bye
        call    print
        xor     eax, eax
        mov     dx, EXIT_PORT
        out     dx, eax
.halt:  hlt
        jmp     .halt

user_entry:                                ; ring 3 from here on
        mov     ax, USER_DATA
        mov     ds, ax
        mov     es, ax
        mov     esi, msg_user
        mov     eax, 1
        int     0x80
        mov     esi, msg_back
        mov     eax, 1
        int     0x80
        cli                                ; privileged at CPL 3 with IOPL 0: #GP(0)
        jmp     $

msg_kernel:  db "rings: ring 0 set up the GDT, TSS and IDT; dropping to ring 3", 10, 0
msg_syscall: db "rings: INT 80h entered ring 0 from ring ", 0
msg_stack:   db "rings: on the TSS's ring-0 stack, SS RPL ", 0
msg_user:    db "rings: hello from ring 3", 10, 0
msg_back:    db "rings: back in ring 3 after IRETD", 10, 0
msg_gp:      db "rings: CLI in ring 3 raised #GP from ring ", 0
msg_error:   db "rings: error code ", 0
msg_bye:     db "rings: done", 10, 0

section reset start=0xFFF0 vstart=0xFFF0
bits 16
        jmp     0xF000:start
        times   16 - ($ - $$) db 0
