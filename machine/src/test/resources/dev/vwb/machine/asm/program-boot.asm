; A boot sector: labels, local labels, expressions, times, align, equ, %define and strings.
%define COLUMNS 80
video   equ 0xb800
        org 0x7c00
        bits 16
start:  cli
        xor ax, ax
        mov ds, ax
        mov ss, ax
        mov sp, start
        sti
        mov si, message
.next:  lodsb
        test al, al
        jz .done
        mov ah, 0x0e
        int 0x10
        jmp .next
.done:  mov ax, video
        mov es, ax
        mov cx, COLUMNS * 25
        xor di, di
        mov ax, (0x1f << 8) | ' '
        rep stosw
        call far_away
        hlt
        jmp $
message: db "Hello from vwb", 13, 10, 0
        align 16
table:  dw start, start.done - start, message, \
           table_end - table
        dd 0x12345678, -1
        dq 1
table_end:
        times 300 nop
far_away:
        mov bx, [table + 2]
        mov al, [bx+si+table_end-table]
        add word [bp-2], byte 3
        loop far_away
        ret
        times 510-($-$$) db 0
        dw 0xaa55
