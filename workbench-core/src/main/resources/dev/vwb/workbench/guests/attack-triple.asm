; attack-triple.asm - attack guest (lesson 8): crash the CPU itself.
;
; THE ATTACK. An exception the CPU cannot deliver becomes a double fault, and a double fault it
; cannot deliver shuts the processor down (a triple fault; SDM Vol. 3A 6.15, interrupt 8): on a
; PC the chipset then resets the machine. A guest that could triple-fault its host's CPU would
; reset the host, every other guest with it. So this kernel loads an IDT with limit 0 - no
; gate at all - and divides by zero: #DE has no gate (#GP), #GP has none (#DF), #DF has none:
; shutdown.
;
; WHY IT FAILS under vwb's hypervisor. Every exception of the guest reaches the hypervisor
; first, and the IDT the real CPU uses is the hypervisor's copy of the guest's. The shutdown
; it ends in is the guest's virtual CPU's: the run stops, and the hypervisor, told how the run
; ended (Hypervisor.afterRun), ends the guest with a report and a "triple fault" exit. The host
; machine object, the workbench and the JVM go on: the next guest runs in the same session.
; (Bare vwb stops with a shutdown; QEMU, run with -no-reboot, exits with status 0.)
;
; Multiboot kernel, flat binary loaded at 1 MiB, the loader's flat segments.
; Output on COM1, one line; it never reaches the exit device.

        cpu     486
        bits    32
        org     0x100000

STACK_TOP       equ 0x90000

%include "multiboot.inc"

entry:
        cli
        cld
        mov     esp, STACK_TOP
        mov     esi, msg_start
        call    puts
        lidt    [empty_idtr]            ; no gate at all
        xor     edx, edx
        xor     eax, eax
        xor     ecx, ecx
        div     ecx                     ; #DE -> #GP -> #DF -> shutdown
        jmp     $                       ; never reached

%include "com1.inc"

msg_start:      db "attack-triple: an IDT with limit 0, then a division by zero", 10, 0
        align   4
empty_idtr:     dw 0                    ; limit 0: not even vector 0's gate fits
                dd 0                    ; base
