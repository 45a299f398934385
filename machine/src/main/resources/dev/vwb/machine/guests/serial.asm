; serial.asm — a 64 KiB BIOS image that talks through COM1, the 16550 UART at 3F8h.
;
; It programs the UART as a driver does (115200 baud through the divisor latch, 8 data bits,
; no parity, one stop bit, FIFOs on), checks the scratch register and a loopback round trip,
; and then writes its greeting by polling the line status register for an empty transmitter.
; Everything goes out through COM1; only the final verdict goes to the debug console. The COM1
; output is the same in vwb and in QEMU (-serial file:...).
;
; Build:  nasm -f bin -o serial.bin serial.asm

        cpu     486
        bits    16

COM1            equ 0x3F8
DATA            equ COM1 + 0        ; RBR / THR (DLAB=0), divisor low (DLAB=1)
IER             equ COM1 + 1        ; interrupt enable (DLAB=0), divisor high (DLAB=1)
FCR             equ COM1 + 2        ; FIFO control (write)
LCR             equ COM1 + 3        ; line control
MCR             equ COM1 + 4        ; modem control
LSR             equ COM1 + 5        ; line status
SCR             equ COM1 + 7        ; scratch
DEBUG_CONSOLE   equ 0xE9
EXIT_PORT       equ 0xF4

start:
        cli
        cld
        mov     ax, cs
        mov     ds, ax
        xor     ax, ax
        mov     ss, ax
        mov     sp, 0x7000

        mov     dx, IER
        xor     al, al
        out     dx, al              ; no UART interrupts: we poll
        mov     dx, LCR
        mov     al, 0x80
        out     dx, al              ; DLAB: the next two ports are the divisor latch
        mov     dx, DATA
        mov     al, 1
        out     dx, al              ; divisor 1 = 115200 baud
        mov     dx, IER
        xor     al, al
        out     dx, al
        mov     dx, LCR
        mov     al, 0x03
        out     dx, al              ; 8 data bits, no parity, 1 stop bit, DLAB off
        mov     dx, FCR
        mov     al, 0x07
        out     dx, al              ; FIFOs on, both reset

        ; The scratch register keeps what is written to it.
        mov     dx, SCR
        mov     al, 0x5A
        out     dx, al
        in      al, dx
        cmp     al, 0x5A
        jne     fail

        ; Loopback: a byte sent comes back to the receiver and nothing goes on the line.
        mov     dx, MCR
        mov     al, 0x10
        out     dx, al
        mov     dx, DATA
        mov     al, 0xA5
        out     dx, al
        mov     dx, LSR
        in      al, dx
        test    al, 0x01            ; data ready?
        jz      fail
        mov     dx, DATA
        in      al, dx
        cmp     al, 0xA5
        jne     fail
        mov     dx, MCR
        mov     al, 0x03            ; DTR and RTS, loopback off
        out     dx, al

        mov     si, greeting
        call    serial_print

        mov     si, msg_ok
        call    debug_print
        xor     eax, eax
        jmp     exit
fail:
        mov     si, msg_fail
        call    debug_print
        mov     eax, 1
exit:
        mov     dx, EXIT_PORT
        out     dx, eax
.halt:  hlt
        jmp     .halt

; Sends the zero-terminated string at DS:SI through COM1, waiting for THRE before each byte.
serial_print:
        lodsb
        test    al, al
        jz      .done
        mov     ah, al
        mov     dx, LSR
.wait:  in      al, dx
        test    al, 0x20            ; transmitter holding register empty?
        jz      .wait
        mov     al, ah
        mov     dx, DATA
        out     dx, al
        jmp     serial_print
.done:  ret

debug_print:
        mov     dx, DEBUG_CONSOLE
.next:  lodsb
        test    al, al
        jz      .done
        out     dx, al
        jmp     .next
.done:  ret

greeting:
        db      "Hello over COM1: 16550 UART, 115200 8N1, FIFOs on.", 13, 10
        db      "Scratch register and loopback checked.", 13, 10, 0
msg_ok:
        db      "serial: ok", 10, 0
msg_fail:
        db      "serial: FAILED", 10, 0

        times   0xFFF0 - ($ - $$) db 0
reset:
        jmp     0xF000:start
        times   0x10000 - ($ - $$) db 0
