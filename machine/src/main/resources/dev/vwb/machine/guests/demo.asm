; =============================================================================
; demo.asm — vwb's showcase guest: a whole "BIOS" in 64 KiB.
;
; Build:  nasm -f bin -o demo.bin demo.asm
; Run:    ./vwb demo                                    (in vwb)
;         qemu-system-i386 -bios demo.bin -display none -nodefaults \
;             -debugcon stdio -device isa-debug-exit,iobase=0xf4,iosize=4
;
; What it shows, in order:
;   1. how an x86 PC starts: in 16-bit real mode, at the last 16 bytes of the
;      BIOS ROM (physical FFFFFFF0h, CS:IP = F000:FFF0);
;   2. printing through the Bochs/QEMU debug console, I/O port E9h
;      (every byte written there is one character of output);
;   3. the classic switch to 32-bit flat protected mode: LGDT, set CR0.PE,
;      far jump to a 32-bit code segment, reload the data segment registers;
;   4. some real work in protected mode, using RAM: the primes below 100 by the
;      sieve of Eratosthenes, and the first Fibonacci numbers, printed in decimal;
;   5. powering off through QEMU's isa-debug-exit device at port F4h: writing
;      a value v ends the machine (QEMU then exits with status v*2+1).
;
; Memory map of this image (it is mapped at F0000h–FFFFFh below 1 MiB, and
; again at FFFF0000h–FFFFFFFFh below 4 GiB):
;   image 0000h  real-mode code and data (section rm16, CS = F000h)
;   image 1000h  protected-mode code and data (section pm32, linear F1000h)
;   image FFF0h  the reset vector (section reset)
; The ROM is read-only, so everything the program writes lives in RAM:
;   the stack below 9FFF0h, the sieve at 10000h.
; =============================================================================

        cpu     486

ROM_BASE        equ 0xF0000     ; linear address of the image's low copy
STACK_TOP       equ 0x9FFF0     ; top of the stack, in conventional RAM
SIEVE           equ 0x10000     ; 100 bytes of RAM, one flag per number
SIEVE_LIMIT     equ 100         ; find the primes below this
FIB_COUNT       equ 20          ; how many Fibonacci numbers to print

DEBUG_CONSOLE   equ 0xE9        ; port: bytes written here are printed
EXIT_PORT       equ 0xF4        ; port: a 32-bit write here powers off

CODE_SEL        equ 0x08        ; GDT entry 1: 32-bit code, base 0, limit 4 GiB
DATA_SEL        equ 0x10        ; GDT entry 2: data, base 0, limit 4 GiB

; =============================================================================
; Part 1: real mode. CS = F000h, so an offset in this section is also the
; offset in the image (the section starts at image offset 0 with vstart 0).
; =============================================================================
section rm16 start=0 vstart=0
bits 16

start:
        cli                     ; no interrupt handlers exist: keep IF clear
        cld                     ; string instructions go upwards
        mov     ax, cs
        mov     ds, ax          ; DS = F000h: our strings are in the ROM
        mov     ax, 0x9000      ; the stack: SS:SP = 9000h:FFF0h, that is
        mov     ss, ax          ; linear 9000h*16 + FFF0h = 9FFF0h (STACK_TOP),
        mov     sp, 0xFFF0      ; growing down through RAM

        mov     si, banner
        call    print16
        mov     si, msg_real
        call    print16

        ; --- switch to protected mode ----------------------------------------
        ; LGDT reads a 6-byte pseudo-descriptor: the table's limit and its
        ; 32-bit linear base. It is in the ROM, hence the CS override.
        lgdt    [cs:gdt_ptr]

        mov     eax, cr0
        or      al, 1           ; CR0.PE: protection enable
        mov     cr0, eax

        ; We are in protected mode now, but CS still holds a real-mode
        ; segment. A far jump loads CS from GDT entry 1 (a 32-bit segment)
        ; and continues at the 32-bit code's linear address. The operand size
        ; prefix (jmp dword) gives a 32-bit offset: pm_entry is above 64 KiB.
        jmp     dword CODE_SEL:pm_entry

; print16: writes the zero-terminated string at DS:SI to the debug console.
print16:
        push    ax
        push    dx
        mov     dx, DEBUG_CONSOLE
.next:  lodsb                   ; AL = [DS:SI], SI += 1
        test    al, al
        jz      .done
        out     dx, al
        jmp     .next
.done:  pop     dx
        pop     ax
        ret

banner:
        db "============================================", 10
        db " vwb demo: a little program on a bare x86 PC", 10
        db "============================================", 10, 0
msg_real:
        db "[real mode] Hello! The CPU started in 16-bit real mode at F000:FFF0.", 10
        db "[real mode] Loading a GDT and setting CR0.PE ...", 10, 0

; The Global Descriptor Table. Each entry is 8 bytes; entry 0 must be null.
; The accessed bit is already set in the type (9Bh, 93h) so the CPU never
; needs to write it back: the table lives in read-only ROM.
        align   8
gdt:
        dq      0                       ; 00h: the null descriptor
        ; 08h: code: base 0, limit FFFFFh pages (4 GiB), present, ring 0,
        ;      execute/read, 32-bit default size (D), 4 KiB granularity (G)
        dw      0xFFFF, 0x0000
        db      0x00, 0x9B, 0xCF, 0x00
        ; 10h: data: base 0, limit 4 GiB, present, ring 0, read/write, big
        dw      0xFFFF, 0x0000
        db      0x00, 0x93, 0xCF, 0x00
gdt_end:

gdt_ptr:
        dw      gdt_end - gdt - 1       ; limit: size of the table minus one
        dd      ROM_BASE + gdt          ; base: the table's linear address

; =============================================================================
; Part 2: 32-bit protected mode. Segments are flat (base 0), so an address
; is simply the linear address: this section is assembled for F1000h.
; =============================================================================
section pm32 start=0x1000 vstart=ROM_BASE+0x1000
bits 32

pm_entry:
        mov     ax, DATA_SEL            ; load every data segment register
        mov     ds, ax                  ; with the flat data segment
        mov     es, ax
        mov     fs, ax
        mov     gs, ax
        mov     ss, ax
        mov     esp, STACK_TOP

        mov     esi, msg_pm
        call    print_str

        ; --- the primes below 100: sieve of Eratosthenes ----------------------
        mov     esi, msg_primes
        call    print_str

        ; Mark every number from 0 to SIEVE_LIMIT-1 as "maybe prime" (1).
        mov     edi, SIEVE
        mov     ecx, SIEVE_LIMIT
        mov     al, 1
        rep     stosb                   ; [EDI++] = AL, ECX times
        mov     byte [SIEVE + 0], 0     ; 0 and 1 are not primes
        mov     byte [SIEVE + 1], 0

        ; For each p = 2, 3, ... with p*p < limit that is still marked,
        ; cross out p*p, p*p + p, p*p + 2p, ...
        mov     ebx, 2                  ; EBX = p
.sieve_p:
        mov     eax, ebx
        mul     eax                     ; EAX = p*p (EDX = 0)
        cmp     eax, SIEVE_LIMIT
        jae     .sieve_done
        cmp     byte [SIEVE + ebx], 0
        je      .sieve_next_p
.cross_out:
        mov     byte [SIEVE + eax], 0
        add     eax, ebx
        cmp     eax, SIEVE_LIMIT
        jb      .cross_out
.sieve_next_p:
        inc     ebx
        jmp     .sieve_p
.sieve_done:

        ; Print the numbers still marked, and count them in EDI.
        xor     edi, edi
        xor     ebx, ebx
.print_primes:
        cmp     byte [SIEVE + ebx], 0
        je      .not_prime
        mov     al, ' '
        call    print_char
        mov     eax, ebx
        call    print_dec
        inc     edi
.not_prime:
        inc     ebx
        cmp     ebx, SIEVE_LIMIT
        jb      .print_primes
        mov     al, 10
        call    print_char

        mov     esi, msg_count1         ; "... that makes 25 primes."
        call    print_str
        mov     eax, edi
        call    print_dec
        mov     esi, msg_count2
        call    print_str

        ; --- the first Fibonacci numbers --------------------------------------
        mov     esi, msg_fib
        call    print_str
        xor     eax, eax                ; F(0) = 0
        mov     edx, 1                  ; F(1) = 1
        mov     ecx, FIB_COUNT
.fib:
        push    eax
        mov     al, ' '
        call    print_char
        pop     eax
        call    print_dec               ; print F(n) (kept in EAX)
        ; XADD (new in the 486) adds and exchanges in one go:
        ; EAX, EDX = F(n+1), F(n) + F(n+1) = F(n+1), F(n+2)
        xadd    edx, eax
        loop    .fib                    ; ECX -= 1, repeat while not zero
        mov     al, 10
        call    print_char

        ; --- power off ---------------------------------------------------------
        mov     esi, msg_bye
        call    print_str
        mov     dx, EXIT_PORT
        xor     eax, eax                ; exit value 0 (QEMU's exit status: 1)
        out     dx, eax                 ; a 32-bit write: the device is 4 bytes wide

        ; Not reached on QEMU or vwb; on any other PC, stop here for good.
.halt:  cli
        hlt
        jmp     .halt

; print_char: writes the character in AL to the debug console.
print_char:
        push    edx
        mov     dx, DEBUG_CONSOLE
        out     dx, al
        pop     edx
        ret

; print_str: writes the zero-terminated string at ESI.
print_str:
        push    eax
.next:  lodsb                           ; AL = [ESI], ESI += 1
        test    al, al
        jz      .done
        call    print_char
        jmp     .next
.done:  pop     eax
        ret

; print_dec: writes EAX as an unsigned decimal number.
; Dividing by 10 yields the digits last-first, so push them on the stack
; and pop them off in the right order.
print_dec:
        pushad                          ; save all eight general registers
        mov     ebx, 10
        xor     ecx, ecx                ; ECX counts the digits
.divide:
        xor     edx, edx
        div     ebx                     ; EAX = EDX:EAX / 10, EDX = remainder
        push    edx
        inc     ecx
        test    eax, eax
        jnz     .divide
.emit:
        pop     eax
        add     al, '0'
        call    print_char
        loop    .emit
        popad
        ret

msg_pm:
        db "[protected mode] hello from protected mode! 32-bit code, flat 4 GiB segments.", 10, 0
msg_primes:
        db "[protected mode] The primes below 100, by the sieve of Eratosthenes in RAM:", 10, " ", 0
msg_count1:
        db "  ... that makes ", 0
msg_count2:
        db " primes.", 10, 0
msg_fib:
        db "[protected mode] The first 20 Fibonacci numbers:", 10, " ", 0
msg_bye:
        db "[protected mode] Done. Writing 0 to port F4h to power off. Bye!", 10, 0

; =============================================================================
; Part 3: the reset vector. The CPU's very first instruction is fetched from
; physical FFFFFFF0h, the last 16 bytes of the image. There is room for
; little more than a jump, so jump to the real start, in the low copy.
; =============================================================================
section reset start=0xFFF0 vstart=0xFFF0
bits 16

reset:
        jmp     0xF000:start            ; far jump: CS = F000h, IP = start
        times   16 - ($ - $$) db 0      ; pad the image to exactly 64 KiB
