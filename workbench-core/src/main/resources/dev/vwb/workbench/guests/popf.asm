; popf.asm - the POPF guest of lesson 4, "When trap-and-emulate fails".
;
; Popek and Goldberg (1974): a machine can be virtualized by trap-and-emulate if every
; *sensitive* instruction (one that reads or changes the machine's control state) is also
; *privileged* (it traps when run outside the most privileged mode). x86 breaks the rule, and
; POPF is the classic example. SDM Vol. 2B, POPF: in protected mode the IF flag is changed
; only if CPL <= IOPL; otherwise POPF leaves IF as it was and raises NO exception. (IOPL itself
; changes only at CPL 0.)
;
; On bare hardware this kernel runs at ring 0, so POPF changes IF. A trap-and-emulate
; hypervisor runs the same kernel at ring 1 with IOPL 0: there CLI and STI fault (#GP) and the
; monitor emulates them on a *virtual* IF, but POPF neither faults nor changes IF. The monitor
; never learns that the kernel asked to enable (or disable) interrupts, and the kernel's idea of
; IF and the truth drift apart - silently.
;
; What this guest does, at ring 0 with interrupts off and the timer (IRQ 0) unmasked:
;   1. control: STI lets a timer interrupt in (so the machinery works at all);
;   2. sets IF with POPF: does PUSHF see IF set? is a timer interrupt then taken?
;   3. control: CLI holds the timer off;
;   4. after STI, clears IF with POPF: does PUSHF see IF clear? are interrupts held off?
;   5. control: the tick held off is taken at the next STI.
; Each answer is "yes" on bare hardware (QEMU, vwb). Nothing printed depends on timing: a wait
; reports whether *any* tick arrived, never how many.
;
; Multiboot kernel, flat binary loaded at 1 MiB. Output on COM1; the exit device at port F4h
; gets 0 at the end (or 1 after an unexpected exception).

        cpu     486
        bits    32
        org     0x100000

PIC1_CMD        equ 0x20                ; master 8259A: command, data = command + 1
PIC1_DATA       equ 0x21
PIC2_CMD        equ 0xA0                ; slave 8259A
PIC2_DATA       equ 0xA1
PIC_EOI         equ 0x20                ; OCW2: non-specific end of interrupt
PIC_READ_IRR    equ 0x0A                ; OCW3: the next read of the command port gives the IRR
PIT_CH0         equ 0x40                ; 8254 channel 0 (drives IRQ 0)
PIT_CMD         equ 0x43
PIT_DIVISOR     equ 1193                ; 1,193,182 Hz / 1193 = a tick about every millisecond
EFLAGS_IF       equ 0x200               ; EFLAGS bit 9, the interrupt enable flag
CODE_SEL        equ 0x08                ; GDT selectors (ours, below)
DATA_SEL        equ 0x10
TIMER_VECTOR    equ 0x20                ; IRQ 0 after remapping the master PIC to 20h-27h
STACK_TOP       equ 0x90000
WAIT_LIMIT      equ 200000              ; poll loops before giving up on the timer entirely
GRACE           equ 1000                ; loops after the request is seen pending in the IRR

; The Multiboot header (Multiboot 0.6.96, section 3.1) with the a.out-kludge fields: load the
; whole file at load_addr and jump to entry_addr. It must lie in the first 8 KiB, 4-byte aligned.
%include "multiboot.inc"

entry:
        cli                             ; Multiboot enters with IF clear; say so anyway
        cld
        mov     esp, STACK_TOP
        call    uart_init
        ; Our own GDT (the loader's is somewhere we do not know), then reload every segment.
        lgdt    [gdtr]
        jmp     CODE_SEL:.reloaded
.reloaded:
        mov     ax, DATA_SEL
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        xor     ax, ax
        mov     fs, ax
        mov     gs, ax
        call    idt_init
        call    pic_init
        call    pit_init
        mov     esi, msg_start
        call    puts

        ; 1. The control: STI, then wait for a tick.
        sti
        call    wait_tick
        cli
        mov     esi, msg_sti_lets_in
        call    print_yes_if_eax

        ; 2. IF := 1 through POPF, at ring 0 with IF clear.
        pushfd
        pop     eax
        or      eax, EFLAGS_IF
        push    eax
        popfd                           ; ring 0 <= IOPL 0: IF changes (SDM Vol. 2B, POPF)
        pushfd                          ; what does the flags register say now?
        pop     eax
        and     eax, EFLAGS_IF
        mov     esi, msg_popf_set
        call    print_yes_if_eax
        call    wait_tick
        cli
        mov     esi, msg_taken_after_popf
        call    print_yes_if_eax

        ; 3. The control: with IF clear (CLI above) the request waits in the IRR.
        call    wait_tick
        mov     esi, msg_cli_holds_off
        call    print_no_if_eax

        ; 4. IF := 0 through POPF, after STI. STI lets the request that waited in, first.
        sti
        pushfd
        pop     eax
        and     eax, ~EFLAGS_IF
        push    eax
        popfd
        pushfd
        pop     eax
        and     eax, EFLAGS_IF
        mov     esi, msg_popf_cleared
        call    print_no_if_eax
        call    wait_tick
        mov     esi, msg_held_off_after_popf
        call    print_no_if_eax

        ; 5. The control: the tick held off in 4 is taken at the next STI.
        mov     dword [ticks], 0
        sti
        nop                             ; STI's shadow ends after one instruction
        nop
        cli
        mov     eax, [ticks]
        mov     esi, msg_taken_at_sti
        call    print_yes_if_eax

        mov     esi, msg_done
        call    puts
        xor     eax, eax
        jmp     exit

; wait_tick: waits for the timer and returns EAX = 1 if a timer interrupt was taken during the
; wait, 0 if not. It does not count time: it polls the master PIC's IRR until IRQ 0's request
; is pending, then gives an enabled interrupt GRACE more loops to be taken. With IF set the
; request never stays in the IRR for long (the CPU acknowledges it at the next instruction
; boundary); with IF clear it stays there. After WAIT_LIMIT loops without a request, gives up.
wait_tick:
        push    ecx
        mov     dword [ticks], 0
        mov     al, PIC_READ_IRR
        out     PIC1_CMD, al
        mov     ecx, WAIT_LIMIT
.poll:  cmp     dword [ticks], 0
        jne     .taken
        in      al, PIC1_CMD            ; the IRR
        test    al, 1                   ; IRQ 0 requested?
        jnz     .pending
        dec     ecx
        jnz     .poll
        jmp     .not_taken
.pending:
        mov     ecx, GRACE
.grace: cmp     dword [ticks], 0
        jne     .taken
        dec     ecx
        jnz     .grace
.not_taken:
        xor     eax, eax
        pop     ecx
        ret
.taken: mov     eax, 1
        pop     ecx
        ret

; The timer interrupt: counts, and ends the interrupt at the PIC so the next one can come.
timer_handler:
        push    eax
        inc     dword [ticks]
        mov     al, PIC_EOI
        out     PIC1_CMD, al
        pop     eax
        iretd

; print_yes_if_eax: prints the text at ESI, then "yes" if EAX is nonzero, else "no", and a
; newline. print_no_if_eax: the opposite answer.
print_yes_if_eax:
        call    puts
        mov     esi, msg_yes
        test    eax, eax
        jnz     .answer
        mov     esi, msg_no
.answer:
        call    puts
        ret

print_no_if_eax:
        call    puts
        mov     esi, msg_no
        test    eax, eax
        jnz     .answer
        mov     esi, msg_yes
.answer:
        call    puts
        ret

; The IDT: exceptions 0-19 to their stubs, the timer to timer_handler, all interrupt gates
; (IF is cleared on entry), DPL 0. SDM Vol. 3A 6.11: an entry holds the handler's offset split
; in two halves around the selector and the type.
idt_init:
        mov     ecx, 0
.exception:
        mov     eax, ecx
        imul    eax, eax, EXC_STUB_SIZE
        add     eax, exc_stubs
        call    set_gate
        inc     ecx
        cmp     ecx, 20
        jb      .exception
        mov     ecx, TIMER_VECTOR
        mov     eax, timer_handler
        call    set_gate
        lidt    [idtr]
        ret

; set_gate: IDT entry ECX <- a 32-bit interrupt gate, present, DPL 0, to CODE_SEL:EAX.
set_gate:
        mov     [idt + ecx * 8], ax                 ; offset 15..0
        mov     word [idt + ecx * 8 + 2], CODE_SEL  ; selector
        mov     word [idt + ecx * 8 + 4], 0x8E00    ; P=1, DPL=0, type 1110b (32-bit interrupt gate)
        shr     eax, 16
        mov     [idt + ecx * 8 + 6], ax             ; offset 31..16
        ret

; pic_init: the 8259A pair to vectors 20h-2Fh (the BIOS's 08h-0Fh collide with exceptions),
; everything masked but IRQ 0.
pic_init:
        mov     al, 0x11                ; ICW1: edge triggered, cascade, ICW4 follows
        out     PIC1_CMD, al
        out     PIC2_CMD, al
        mov     al, TIMER_VECTOR        ; ICW2: master vectors 20h-27h
        out     PIC1_DATA, al
        mov     al, TIMER_VECTOR + 8    ; slave vectors 28h-2Fh
        out     PIC2_DATA, al
        mov     al, 0x04                ; ICW3: the slave hangs on the master's IR2
        out     PIC1_DATA, al
        mov     al, 0x02                ; its cascade identity
        out     PIC2_DATA, al
        mov     al, 0x01                ; ICW4: 8086 mode
        out     PIC1_DATA, al
        out     PIC2_DATA, al
        mov     al, 0xFE                ; OCW1: only IRQ 0 unmasked
        out     PIC1_DATA, al
        mov     al, 0xFF
        out     PIC2_DATA, al
        ret

; pit_init: channel 0, rate generator (mode 2), PIT_DIVISOR.
pit_init:
        mov     al, 0x34                ; channel 0, LSB then MSB, mode 2, binary
        out     PIT_CMD, al
        mov     al, PIT_DIVISOR & 0xFF
        out     PIT_CH0, al
        mov     al, PIT_DIVISOR >> 8
        out     PIT_CH0, al
        ret

%include "uart_init.inc"
%include "com1.inc"

%include "hex.inc"
%include "exit.inc"

; Exceptions 0-19 should not happen here. The IDT entry of vector v points at the v-th of these
; twenty CALLs; the return address it pushes tells exc_common which one ran, hence the vector.
; exc_common prints the vector and the EIP and exits with status 1. Vectors 8, 10-14 and 17 have
; the CPU push an error code first (SDM Vol. 3A 6.13), so the EIP lies one slot further up.
exc_stubs:
        times   20 call exc_common
exc_stubs_end:
EXC_STUB_SIZE   equ (exc_stubs_end - exc_stubs) / 20
ERROR_CODE_VECTORS equ (1 << 8) | (0x1F << 10) | (1 << 17)

exc_common:
        mov     ax, DATA_SEL
        mov     ds, ax
        mov     es, ax
        pop     eax                     ; the return address: just after the vector's CALL
        sub     eax, exc_stubs + EXC_STUB_SIZE
        xor     edx, edx
        mov     ecx, EXC_STUB_SIZE
        div     ecx
        push    eax                     ; the vector, where the EIP is looked for below
        mov     esi, msg_exception
        call    puts
        call    puthex
        mov     esi, msg_at_eip
        call    puts
        mov     ecx, [esp]
        mov     eax, [esp + 4]          ; the EIP, if no error code
        mov     edx, ERROR_CODE_VECTORS
        bt      edx, ecx
        jnc     .print
        mov     eax, [esp + 8]
.print: call    puthex
        mov     al, 10
        call    putc
        mov     eax, 1
        jmp     exit

; --- data ---------------------------------------------------------------------------------------

ticks:          dd 0

msg_start:      db "popf: ring 0, interrupts off, timer interrupt (IRQ 0) unmasked", 10, 0
msg_sti_lets_in: db "control: sti lets the timer interrupt in: ", 0
msg_popf_set:   db "popf set IF: ", 0
msg_taken_after_popf: db "interrupt taken after popf: ", 0
msg_cli_holds_off: db "control: cli holds the timer interrupt off: ", 0
msg_popf_cleared: db "popf cleared IF: ", 0
msg_held_off_after_popf: db "interrupts held off after popf: ", 0
msg_taken_at_sti: db "control: the interrupt held off is taken at sti: ", 0
msg_done:       db "popf: done", 10, 0
msg_yes:        db "yes", 10, 0
msg_no:         db "no", 10, 0
msg_exception:  db "popf: unexpected exception ", 0
msg_at_eip:     db " at eip ", 0

; The GDT: flat 4 GiB code and data at ring 0 (SDM Vol. 3A 3.4.5). The accessed bit is preset:
; QEMU does not set it when it loads CS, and a guest should not see the difference.
        align   8
gdt:
        dq      0                       ; 00h the null descriptor
        dq      0x00CF9B000000FFFF      ; 08h code: base 0, limit 4 GiB, DPL 0, execute/read
        dq      0x00CF93000000FFFF      ; 10h data: base 0, limit 4 GiB, DPL 0, read/write
gdt_end:
gdtr:   dw      gdt_end - gdt - 1
        dd      gdt

        align   8
idt:    times   (TIMER_VECTOR + 1) * 8 db 0
idt_end:
idtr:   dw      idt_end - idt - 1
        dd      idt
