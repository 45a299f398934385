; timer.asm — a 64 KiB BIOS image that takes timer interrupts in real mode.
;
; It programs the two 8259A interrupt controllers the way a PC BIOS does (IRQ 0-7 at vectors
; 08h-0Fh, IRQ 8-15 at 70h-77h), sets channel 0 of the 8254 timer to interrupt 100 times a
; second (mode 2, count 11932), points the IVT entry of IRQ 0 at its handler, and then sleeps
; in HLT until ten ticks have arrived. The handler prints a dot per tick and acknowledges the
; interrupt with an EOI. The output is the same on any PC, in vwb and in QEMU:
;
;   timer: waiting for 10 ticks of IRQ 0
;   ..........
;   timer: 10 ticks, done
;
; Build:  nasm -f bin -o timer.bin timer.asm

        cpu     486
        bits    16

DEBUG_CONSOLE   equ 0xE9
EXIT_PORT       equ 0xF4
PIC1_CMD        equ 0x20            ; master 8259A: command, data
PIC1_DATA       equ 0x21
PIC2_CMD        equ 0xA0            ; slave 8259A
PIC2_DATA       equ 0xA1
PIT_CH0         equ 0x40            ; 8254 channel 0 counter
PIT_CONTROL     equ 0x43            ; 8254 control word
TICKS           equ 0x0500          ; a word in RAM (0000:0500) counting IRQ 0s
WANTED          equ 10

start:
        cli
        cld
        xor     ax, ax
        mov     ds, ax              ; DS = 0: the IVT and TICKS
        mov     ss, ax
        mov     sp, 0x7000
        mov     word [TICKS], 0

        ; IVT entry 08h (IRQ 0 once the master is based at 08h) -> F000:irq0
        mov     word [0x08 * 4], irq0
        mov     word [0x08 * 4 + 2], 0xF000

        ; The 8259A initialization sequence: ICW1 (edge, cascade, ICW4 follows), ICW2 (vector
        ; base), ICW3 (the slave hangs on IR2), ICW4 (8086 mode).
        mov     al, 0x11
        out     PIC1_CMD, al
        out     PIC2_CMD, al
        mov     al, 0x08
        out     PIC1_DATA, al
        mov     al, 0x70
        out     PIC2_DATA, al
        mov     al, 0x04
        out     PIC1_DATA, al
        mov     al, 0x02
        out     PIC2_DATA, al
        mov     al, 0x01
        out     PIC1_DATA, al
        out     PIC2_DATA, al
        ; OCW1: mask everything but IRQ 0.
        mov     al, 0xFE
        out     PIC1_DATA, al
        mov     al, 0xFF
        out     PIC2_DATA, al

        ; 8254 channel 0, LSB then MSB, mode 2 (rate generator), binary: 1193182 / 11932 = 100 Hz.
        mov     al, 0x34
        out     PIT_CONTROL, al
        mov     ax, 11932
        out     PIT_CH0, al
        mov     al, ah
        out     PIT_CH0, al

        mov     si, msg_wait
        call    print
        sti
.sleep:
        hlt                         ; wait for the next interrupt
        cmp     word [TICKS], WANTED
        jb      .sleep
        cli

        mov     si, msg_done
        call    print
        xor     eax, eax
        mov     dx, EXIT_PORT
        out     dx, eax
.halt:
        hlt
        jmp     .halt

; IRQ 0: count the tick, print a dot, and tell the master 8259A the interrupt is over.
irq0:
        push    ax
        push    dx
        inc     word [TICKS]
        mov     dx, DEBUG_CONSOLE
        mov     al, '.'
        out     dx, al
        cmp     word [TICKS], WANTED
        jne     .eoi
        mov     al, 10
        out     dx, al
.eoi:
        mov     al, 0x20            ; OCW2: non-specific EOI
        out     PIC1_CMD, al
        pop     dx
        pop     ax
        iret

; Prints the zero-terminated string at CS:SI.
print:
        push    ax
        push    dx
        mov     dx, DEBUG_CONSOLE
.next:
        cs lodsb
        test    al, al
        jz      .done
        out     dx, al
        jmp     .next
.done:
        pop     dx
        pop     ax
        ret

msg_wait:
        db      "timer: waiting for 10 ticks of IRQ 0", 10, 0
msg_done:
        db      "timer: 10 ticks, done", 10, 0

        times   0xFFF0 - ($ - $$) db 0
reset:                              ; F000:FFF0, where the CPU starts
        jmp     0xF000:start
        times   0x10000 - ($ - $$) db 0
