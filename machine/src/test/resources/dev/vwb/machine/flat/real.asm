; real.asm — a flat binary for FlatBinaryLoader in real mode:
;     ./vwb run real.bin --flat 0x7C00 --mode real
; It prints the state it was started in (segment registers, IP, SP, FLAGS),
; then a sum it computes, on port E9h, and exits with 21h through port F4h.
; Assembled with org 0: the loader sets CS = DS = load address >> 4, IP = 0.

        cpu     486
        bits    16
        org     0

start:
        mov     [cs:start_sp], sp       ; before anything touches the stack
        pushf
        pop     word [cs:start_flags]
        call    .here                   ; IP at start = the return address - (.here - start)
.here:  pop     word [cs:start_ip]
        sub     word [cs:start_ip], .here - start

        mov     si, msg_real
        call    print_str
        mov     ax, cs
        call    print_hex16
        mov     si, msg_ip
        call    print_str
        mov     ax, [cs:start_ip]
        call    print_hex16
        mov     si, msg_ds
        call    print_str
        mov     ax, ds
        call    print_hex16
        mov     si, msg_es
        call    print_str
        mov     ax, es
        call    print_hex16
        mov     si, msg_ss
        call    print_str
        mov     ax, ss
        call    print_hex16
        mov     si, msg_sp
        call    print_str
        mov     ax, [cs:start_sp]
        call    print_hex16
        mov     si, msg_flags
        call    print_str
        mov     ax, [cs:start_flags]
        call    print_hex16

        ; 1 + 2 + ... + 100 through the stack, to show it works: 5050 = 13BAh.
        xor     ax, ax
        mov     cx, 100
.sum:   push    cx
        add     ax, cx
        pop     cx
        loop    .sum
        mov     si, msg_sum
        call    print_str
        call    print_hex16
        mov     si, msg_end
        call    print_str

        mov     eax, 0x21
        out     EXIT_PORT, eax
.halt:  hlt
        jmp     .halt

%include "include/e9.inc"

msg_real:       db "real: cs=", 0
msg_ip:         db " ip=", 0
msg_ds:         db " ds=", 0
msg_es:         db " es=", 0
msg_ss:         db " ss=", 0
msg_sp:         db " sp=", 0
msg_flags:      db " flags=", 0
msg_sum:        db 10, "real: sum 1..100 = ", 0
msg_end:        db 10, 0
start_sp:       dw 0
start_flags:    dw 0
start_ip:       dw 0
