; timer_pic.asm — the legacy interrupt path: the kernel reprograms the 8259A pair (ICW1-ICW4,
; vectors 20h/28h, everything masked but IRQ 0), programs PIT channel 0 as a rate generator and
; counts IRQ 0 interrupts taken in an STI;HLT loop, with EOIs. It prints the masks read back
; (OCW1), the in-service register inside the handler and after the EOI (OCW3), that a masked
; request waits in the IRR and is delivered as soon as it is unmasked, that a request does not
; get through while an earlier one is still in service (no EOI yet), that the interrupt taken
; in HLT saves the address after HLT, and the PIT status bytes of the read-back command (only
; the programmed bits, which do not depend on timing). Nothing printed depends on how fast time
; passes. Under QEMU's pc machine the PIC reaches the CPU through the LAPIC's LINT0 (ExtINT).

        cpu     486
        bits    32
        org     0x100000

%include "include/macros.inc"
        MULTIBOOT_HEADER entry

TICKS           equ 5

entry:
        mov     esp, 0x90000
        call    sys_init
        ; Vectors 08h-0Fh (the BIOS's IRQ vectors) and 20h-2Fh all lead to stubs that record
        ; their vector: a request through the wrong vector would show.
        mov     eax, stubs
        mov     ebx, 0x08
        mov     cx, GATE_INT0
.gates: call    set_gate
        add     eax, STUB_SIZE
        inc     ebx
        cmp     ebx, 0x10
        jne     .gates1
        mov     ebx, 0x20
.gates1:
        cmp     ebx, 0x30
        jne     .gates

        ; The PIT first, so that its channel 0 runs with our period (mode 2, divisor 0x4000).
        mov     al, 0x34                ; channel 0, LSB then MSB, mode 2, binary
        out     0x43, al
        mov     al, 0xC2                ; read-back: status only, channel 0
        out     0x43, al
        in      al, 0x40
        and     eax, 0x3F               ; access and mode bits (OUT and null count depend on timing)
        HEX     "pit: status after control word 34h: ", eax
        mov     al, 0x00
        out     0x40, al
        mov     al, 0x40
        out     0x40, al
        mov     al, 0xC2
        out     0x43, al
        in      al, 0x40
        and     eax, 0x3F
        HEX     "pit: status after the count 4000h: ", eax

        ; The 8259A pair: edge triggered, cascaded, ICW4 (8086 mode).
        mov     al, 0x11
        out     0x20, al
        out     0xA0, al
        mov     al, 0x20                ; master vectors 20h-27h
        out     0x21, al
        mov     al, 0x28                ; slave vectors 28h-2Fh
        out     0xA1, al
        mov     al, 0x04                ; the slave hangs on IR2
        out     0x21, al
        mov     al, 0x02                ; its cascade identity
        out     0xA1, al
        mov     al, 0x01
        out     0x21, al
        out     0xA1, al
        mov     al, 0xFF                ; everything masked for now
        out     0x21, al
        out     0xA1, al
        in      al, 0x21
        movzx   eax, al
        HEX     "pic: master IMR read back: ", eax
        in      al, 0xA1
        movzx   eax, al
        HEX     "pic: slave IMR read back: ", eax
        mov     al, 0x0B                ; OCW3: read the ISR
        out     0x20, al
        in      al, 0x20
        movzx   eax, al
        HEX     "pic: master ISR, nothing taken yet: ", eax
        mov     al, 0x0B
        out     0xA0, al
        in      al, 0xA0
        movzx   eax, al
        HEX     "pic: slave ISR: ", eax
        mov     al, 0x0A                ; OCW3: read the IRR
        out     0xA0, al
        in      al, 0xA0
        movzx   eax, al
        HEX     "pic: slave IRR (no slave device requests): ", eax

        ; A masked IRQ 0 is still latched in the IRR: wait for it there.
        mov     al, 0x0A
        out     0x20, al
.wait_irr:
        in      al, 0x20
        test    al, 1
        jz      .wait_irr
        movzx   eax, al
        HEX     "pic: master IRR with IRQ 0 masked, once it came: ", eax
        mov     dword [count], 0
        sti
        nop
        nop
        cli
        DEC     "cpu: interrupts taken while IRQ 0 is masked: ", [count]
        ; Unmask it: it is delivered at once (IF=1), before the instruction after STI's shadow.
        mov     byte [no_eoi], 1        ; the first handler invocation leaves it in service
        mov     al, 0xFE
        out     0x21, al
        in      al, 0x21
        movzx   eax, al
        HEX     "pic: master IMR with IRQ 0 unmasked: ", eax
        sti
        nop
        cli
        DEC     "cpu: interrupts taken right after unmasking: ", [count]
        HEX     "cpu: vector of that interrupt: ", [last_vector]
        HEX     "pic: master ISR in the handler: ", [isr_in_handler]
        mov     al, 0x0B
        out     0x20, al
        in      al, 0x20
        movzx   eax, al
        HEX     "pic: master ISR after returning without an EOI: ", eax
        ; The next request waits in the IRR: IR0 is in service, nothing of its priority gets through.
        mov     al, 0x0A
        out     0x20, al
        sti
.wait_irr2:
        in      al, 0x20
        test    al, 1
        jz      .wait_irr2
        cli
        DEC     "cpu: interrupts taken while IR0 is in service (IRR bit set): ", [count]
        mov     al, 0x60                ; specific EOI for IR0
        out     0x20, al
        sti
        nop
        cli
        DEC     "cpu: interrupts taken after the specific EOI: ", [count]
        mov     al, 0x0B
        out     0x20, al
        in      al, 0x20
        movzx   eax, al
        HEX     "pic: master ISR after the handler's non-specific EOI: ", eax

        ; Now count ticks in STI;HLT: each interrupt wakes the HLT and is saved with EIP after it.
        mov     dword [count], 0
        mov     dword [after_hlt_count], 0
.tick:  cmp     dword [count], TICKS
        jae     .ticked
        sti
        hlt
.after_hlt:
        cli
        mov     eax, [last_eip]
        cmp     eax, .after_hlt
        jne     .tick
        inc     dword [after_hlt_count]
        jmp     .tick
.ticked:
        DEC     "cpu: IRQ 0 interrupts counted in the HLT loop: ", [count]
        DEC     "cpu: of them saved with EIP just after HLT: ", [after_hlt_count]
        HEX     "cpu: vectors seen (OR of all): ", [vector_or]
        HEX     "cpu: vectors seen (AND of all): ", [vector_and]
        DEC     "cpu: interrupts through other vectors: ", [others]

        mov     al, 0xFF
        out     0x21, al
        mov     al, 0x36
        out     0x43, al
        mov     al, 0xC2
        out     0x43, al
        in      al, 0x40
        and     eax, 0x3F
        HEX     "pit: status after control word 36h (mode 3): ", eax
        EXIT    0

; One stub per vector: pushes the vector and goes to the common handler.
stubs:
%assign v 0x08
%rep 24
        push    dword v
        jmp     near irq_common
%if v == 0x0F
%assign v 0x20
%else
%assign v v + 1
%endif
%endrep
STUB_SIZE       equ (irq_common - stubs) / 24

irq_common:
        push    eax
        mov     eax, [esp + 4]          ; the vector
        mov     [last_vector], eax
        or      [vector_or], eax
        and     [vector_and], eax
        cmp     eax, 0x20
        je      irq0
        inc     dword [others]          ; anything else: count it, and no EOI (IRQ 0 is the only source)
        pop     eax
        add     esp, 4
        iretd
irq0:
        inc     dword [count]
        mov     eax, [esp + 8]          ; the saved EIP
        mov     [last_eip], eax
        mov     al, 0x0B
        out     0x20, al
        in      al, 0x20
        movzx   eax, al
        mov     [isr_in_handler], eax
        mov     al, 0x0A                ; leave the IRR selected
        out     0x20, al
        cmp     byte [no_eoi], 0
        jne     .skip
        mov     al, 0x20                ; non-specific EOI
        out     0x20, al
.skip:  mov     byte [no_eoi], 0
        pop     eax
        add     esp, 4
        iretd

count:          dd 0
after_hlt_count: dd 0
last_vector:    dd 0
last_eip:       dd 0
vector_or:      dd 0
vector_and:     dd 0xFFFFFFFF
isr_in_handler: dd 0
others:         dd 0
no_eoi:         db 0

%include "include/com1.inc"
%include "include/sys.inc"
