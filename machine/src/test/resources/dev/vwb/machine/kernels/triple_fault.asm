; triple_fault.asm — a kernel that ends in a triple fault. First it shows an exception handled
; normally (#UD from UD2, with the saved EIP); then it loads an IDT whose limit covers no gate
; and executes INT3: the gate lies beyond the limit (#GP), the #GP gate too (so #DF), and the #DF
; gate too — a triple fault, on which the CPU shuts down. QEMU, run with -no-reboot, exits with
; status 0; vwb stops with a shutdown. Everything is printed before the shutdown.

        cpu     486
        bits    32
        org     0x100000

%include "include/macros.inc"
        MULTIBOOT_HEADER entry

entry:
        mov     esp, 0x90000
        call    sys_init
        mov     eax, ud_handler
        mov     ebx, 6
        mov     cx, GATE_INT0
        call    set_gate
        SAYLN   "triple: a #UD handled through the IDT first"
ud_here:
        ud2
        SAYLN   "triple: resumed after UD2"
        SAYLN   "triple: now an IDT with limit 0, then INT3: #GP, #DF, shutdown"
        lidt    [empty_idtr]
        int3
        SAYLN   "triple: still running (wrong)"
        EXIT    1

ud_handler:
        mov     eax, [esp]
        HEX     "triple: #UD at EIP=", eax
        cmp     eax, ud_here
        jne     .bad
        SAYLN   "triple: which is the UD2"
.bad:   add     dword [esp], 2          ; skip the UD2
        iretd

empty_idtr:
        dw      0
        dd      sys_idt

%include "include/com1.inc"
%include "include/sys.inc"
