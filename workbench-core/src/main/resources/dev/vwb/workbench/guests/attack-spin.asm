; attack-spin.asm - attack guest (lesson 8): take the CPU and never give it back.
;
; THE ATTACK. On bare hardware a kernel that clears IF and loops owns the CPU for good: no
; interrupt can come in, no scheduler runs, only a reset ends it. A guest that could do that to
; its host would stop the hypervisor, the other guests and the user's session. So this kernel
; masks every IRQ at the interrupt controllers, clears IF and spins, forever.
;
; WHY IT FAILS under vwb's hypervisor. The guest's CLI traps and clears only its *virtual* IF:
; the real IF stays set while a guest runs, so the host could always take interrupts, and the
; guest's own interrupts merely wait in its virtual PIC. The host's clock here is the run's
; budget (instructions, the virtual time): when it runs out the run ends - whatever the guest
; is doing - and the hypervisor logs a "contained" exit (a watchdog: the budget ran out with the
; guest's interrupts off). The machine can be run on, snapshotted or dropped; the session goes
; on. (Bare vwb ends the run at the budget too; QEMU would spin until killed, so this guest is
; not run under QEMU.)
;
; Multiboot kernel, flat binary loaded at 1 MiB, the loader's flat segments, no IDT.
; Output on COM1, one line; it never reaches the exit device.

        cpu     486
        bits    32
        org     0x100000

PIC1_DATA       equ 0x21                ; master 8259A: data port (OCW1, the interrupt mask)
PIC2_DATA       equ 0xA1                ; slave 8259A
STACK_TOP       equ 0x90000

%include "multiboot.inc"

entry:
        cli
        cld
        mov     esp, STACK_TOP
        mov     al, 0xFF                ; OCW1: every IRQ masked
        out     PIC1_DATA, al
        out     PIC2_DATA, al
        mov     esi, msg_start
        call    puts
        cli                             ; and once more, for the lesson
spin:   jmp     spin                    ; forever: no exit, no interrupt, no fault

%include "com1.inc"

msg_start:      db "attack-spin: every IRQ masked, interrupts off, spinning forever", 10, 0
