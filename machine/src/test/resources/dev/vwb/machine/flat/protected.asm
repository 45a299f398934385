; protected.asm — a flat binary for FlatBinaryLoader in protected mode:
;     ./vwb run protected.bin --flat 0x100000 --mode protected
; It prints the state it was started in (selectors, EIP, ESP, CR0, EFLAGS),
; then a sum it computes through memory, on port E9h, and exits with 22h
; through port F4h. Assembled for its load address, 1 MiB.

        cpu     486
        bits    32
        org     0x100000

ARRAY   equ 0x200000                    ; 1000 dwords of scratch RAM at 2 MiB

start:
        mov     [start_esp], esp
        pushfd
        pop     dword [start_eflags]
        call    .here
.here:  pop     eax
        sub     eax, .here - start
        mov     [start_eip], eax

        mov     esi, msg_cs
        call    print_str
        mov     ax, cs
        call    print_hex16
        mov     esi, msg_ds
        call    print_str
        mov     ax, ds
        call    print_hex16
        mov     esi, msg_ss
        call    print_str
        mov     ax, ss
        call    print_hex16
        mov     esi, msg_eip
        call    print_str
        mov     eax, [start_eip]
        call    print_hex32
        mov     esi, msg_esp
        call    print_str
        mov     eax, [start_esp]
        call    print_hex32
        mov     esi, msg_cr0
        call    print_str
        mov     eax, cr0
        call    print_hex32
        mov     esi, msg_eflags
        call    print_str
        mov     eax, [start_eflags]
        call    print_hex32

        ; Store 1..1000 above the binary and add them up: 500500 = 0007A314h.
        mov     ecx, 1000
.fill:  mov     [ARRAY + ecx*4 - 4], ecx
        loop    .fill
        xor     eax, eax
        mov     ecx, 1000
.sum:   add     eax, [ARRAY + ecx*4 - 4]
        loop    .sum
        mov     esi, msg_sum
        call    print_str
        call    print_hex32
        mov     esi, msg_end
        call    print_str

        mov     eax, 0x22
        out     EXIT_PORT, eax
.halt:  hlt
        jmp     .halt

%include "include/e9.inc"

msg_cs:         db "protected: cs=", 0
msg_ds:         db " ds=", 0
msg_ss:         db " ss=", 0
msg_eip:        db " eip=", 0
msg_esp:        db " esp=", 0
msg_cr0:        db " cr0=", 0
msg_eflags:     db " eflags=", 0
msg_sum:        db 10, "protected: sum 1..1000 = ", 0
msg_end:        db 10, 0
start_esp:      dd 0
start_eflags:   dd 0
start_eip:      dd 0
