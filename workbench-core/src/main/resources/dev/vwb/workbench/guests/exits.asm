; exits.asm - a benchmark guest: privileged instructions in a loop, each one a VM exit.
;
; At ring 0 on bare hardware CLI, STI and OUT are ordinary instructions. Run deprivileged by a
; trap-and-emulate hypervisor (ring 1, IOPL 0) each of them faults, and the hypervisor emulates
; it: a VM exit. This kernel runs two loops of them and nothing else:
;   1. N1 pairs of CLI; STI            (2 * N1 exits: "privileged instruction")
;   2. N2 writes to port 80h, OUT 80h, AL   (N2 exits: "port I/O"; 80h is the POST-code port,
;      which nothing listens to)
; so the host time it takes divided by its exits is the mean cost of an exit, and the two loops
; tell an exit through the #GP path of CLI/STI from one that also reaches a device. What the
; kernel does around the loops (CLI at the entry, the UART's setup, masking the interrupt
; controllers, the line it prints: an IN and an OUT per byte, the exit device) is the same for
; any N1, N2: run it with both counts 0 and subtract.
;
; THE COUNTS are the dwords at `cli_sti_pairs` and `port_writes`, right after the Multiboot
; header: image offsets 20h and 24h (KernelGuests.EXITS_PAIRS_OFFSET, EXITS_WRITES_OFFSET;
; KernelGuests.exitsImage(n1, n2) patches them). The image holds 1000 and 1000.
;
; Output on COM1, one line (8 upper-case hex digits each), printed after the loops:
;     exits: NNNNNNNN cli/sti pairs, NNNNNNNN writes to port 80h
; then 0 goes to the exit device at port F4h (QEMU exits with status 1).
;
; STI lets interrupts in, so every IRQ is masked at the 8259As first: this kernel has no IDT.
; Multiboot kernel, flat binary loaded at 1 MiB; it uses no memory outside its own image and
; loads no segment register.

        cpu     486
        bits    32
        org     0x100000

MB_MAGIC        equ 0x1BADB002          ; Multiboot header magic
MB_FLAGS        equ 1 << 16             ; bit 16: the address fields below say where to load us
COM1            equ 0x3F8               ; the 16550 UART's base port
UART_LSR_THRE   equ 0x20                ; line status: the transmitter holding register is empty
PIC1_DATA       equ 0x21                ; master 8259A: data port (OCW1, the interrupt mask)
PIC2_DATA       equ 0xA1                ; slave 8259A
POST_PORT       equ 0x80                ; the BIOS's POST-code port: a write goes nowhere
EXIT_PORT       equ 0xF4                ; QEMU's isa-debug-exit (vwb has the same device)

; The Multiboot header (Multiboot 0.6.96, section 3.1) with the a.out-kludge fields: load the
; whole file at load_addr and jump to entry_addr.
multiboot_header:
        dd      MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
        dd      multiboot_header        ; header_addr
        dd      multiboot_header        ; load_addr: the file's first byte is the header
        dd      0                       ; load_end_addr: 0 = up to the end of the file
        dd      0                       ; bss_end_addr: 0 = no bss to clear
        dd      entry                   ; entry_addr

; N1 and N2, patched by the host: image offsets 20h and 24h.
cli_sti_pairs:  dd 1000
port_writes:    dd 1000

entry:
        cli                             ; Multiboot enters with IF clear; say so anyway
        cld
        mov     esp, stack_top
        call    uart_init
        mov     al, 0xFF                ; OCW1: every IRQ masked, so STI lets none in
        out     PIC1_DATA, al
        out     PIC2_DATA, al

        ; 1. CLI; STI, N1 times.
        mov     ecx, [cli_sti_pairs]
        test    ecx, ecx
        jz      .pairs_done
.pair:  cli
        sti
        dec     ecx
        jnz     .pair
.pairs_done:
        cli

        ; 2. OUT 80h, AL, N2 times.
        mov     ecx, [port_writes]
        test    ecx, ecx
        jz      .writes_done
.write: out     POST_PORT, al
        dec     ecx
        jnz     .write
.writes_done:

        ; "exits: NNNNNNNN cli/sti pairs, NNNNNNNN writes to port 80h"
        mov     esi, msg_start
        call    print_str
        mov     eax, [cli_sti_pairs]
        call    print_hex
        mov     esi, msg_pairs
        call    print_str
        mov     eax, [port_writes]
        call    print_hex
        mov     esi, msg_writes
        call    print_str

        xor     eax, eax                ; exit value 0: QEMU exits with status 1
        out     EXIT_PORT, eax
.halt:  cli
        hlt
        jmp     .halt

; print_hex: writes EAX as 8 upper-case hex digits (preserves all registers).
print_hex:
        pushad
        mov     edx, eax
        mov     ecx, 8
.digit: rol     edx, 4
        mov     eax, edx
        and     eax, 15
        mov     al, [hex_digits + eax]
        call    print_char
        dec     ecx
        jnz     .digit
        popad
        ret

; print_char: writes AL to COM1 once the transmitter can take it (preserves all registers).
print_char:
        push    edx
        push    eax
        mov     dx, COM1 + 5
.wait:  in      al, dx
        test    al, UART_LSR_THRE
        jz      .wait
        pop     eax
        mov     dx, COM1
        out     dx, al
        pop     edx
        ret

; print_str: writes the zero-terminated string at ESI.
print_str:
        push    eax
.next:  lodsb
        test    al, al
        jz      .done
        call    print_char
        jmp     .next
.done:  pop     eax
        ret

; uart_init: COM1 at 115200 baud, 8 data bits, no parity, 1 stop bit, its interrupts off.
uart_init:
        mov     dx, COM1 + 1            ; IER: no interrupts from the UART
        mov     al, 0
        out     dx, al
        mov     dx, COM1 + 3            ; LCR: DLAB, to reach the divisor latch
        mov     al, 0x80
        out     dx, al
        mov     dx, COM1                ; divisor 1: 115200 baud
        mov     al, 1
        out     dx, al
        mov     dx, COM1 + 1
        mov     al, 0
        out     dx, al
        mov     dx, COM1 + 3            ; LCR: 8 bits, no parity, 1 stop bit; DLAB off
        mov     al, 0x03
        out     dx, al
        ret

hex_digits:     db "0123456789ABCDEF"
msg_start:      db "exits: ", 0
msg_pairs:      db " cli/sti pairs, ", 0
msg_writes:     db " writes to port 80h", 10, 0

        align   16
stack:          times 256 db 0          ; the stack (a few calls deep)
stack_top:
