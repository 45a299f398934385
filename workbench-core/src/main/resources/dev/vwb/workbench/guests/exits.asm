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

PIC1_DATA       equ 0x21                ; master 8259A: data port (OCW1, the interrupt mask)
PIC2_DATA       equ 0xA1                ; slave 8259A
POST_PORT       equ 0x80                ; the BIOS's POST-code port: a write goes nowhere
EXIT_PORT       equ 0xF4                ; QEMU's isa-debug-exit (vwb has the same device)

; The Multiboot header (Multiboot 0.6.96, section 3.1) with the a.out-kludge fields: load the
; whole file at load_addr and jump to entry_addr.
%include "multiboot.inc"

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
        call    puts
        mov     eax, [cli_sti_pairs]
        call    puthex
        mov     esi, msg_pairs
        call    puts
        mov     eax, [port_writes]
        call    puthex
        mov     esi, msg_writes
        call    puts

        xor     eax, eax                ; exit value 0: QEMU exits with status 1
        out     EXIT_PORT, eax
.halt:  cli
        hlt
        jmp     .halt

; COM1 and hex printing, shared with the other guest kernels (lib/).
%include "uart_init.inc"
%include "com1.inc"
%include "hex.inc"

msg_start:      db "exits: ", 0
msg_pairs:      db " cli/sti pairs, ", 0
msg_writes:     db " writes to port 80h", 10, 0

        align   16
stack:          times 256 db 0          ; the stack (a few calls deep)
stack_top:
