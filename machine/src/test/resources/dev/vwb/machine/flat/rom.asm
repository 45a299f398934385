; rom.asm — a 512-byte ROM image for ./vwb run --rom (and QEMU's -bios once
; padded to 64 KiB): the CPU starts at F000:FFF0, the image's last 16 bytes.
; It prints where it runs and a sum on port E9h and exits with 23h through
; port F4h. The image ends at FFFFFh, so it starts at F000:FE00.

        cpu     486
        bits    16
        org     0xFE00

start:
        mov     ax, cs                  ; F000 after the far jump of the reset vector
        mov     ds, ax
        mov     si, msg_cs
        call    print_str
        call    print_hex16

        xor     ax, ax                  ; no RAM needed: 1 + ... + 100 in registers
        mov     cx, 100
.sum:   add     ax, cx
        loop    .sum
        mov     si, msg_sum
        call    print_str
        call    print_hex16
        mov     si, msg_end
        call    print_str

        mov     eax, 0x23
        out     EXIT_PORT, eax
.halt:  hlt
        jmp     .halt

%include "include/e9.inc"

msg_cs:         db "rom: started at F000:FFF0, running in cs=", 0
msg_sum:        db 10, "rom: sum 1..100 = ", 0
msg_end:        db 10, 0

        times   512 - 16 - ($ - $$) db 0xFF
reset:                                  ; F000:FFF0
        jmp     0xF000:start
        times   512 - ($ - $$) db 0xFF
