; attack-flat.asm - attack guest (lesson 8): a segment that covers all 4 GiB.
;
; THE ATTACK. The hypervisor keeps its descriptor tables and TSS in a window mapped at the top
; of every linear address space (FFFE0000h-FFFFFFFFh): the CPU reaches those tables through
; linear addresses, so they must be mapped wherever the guest runs, and the guest kernel runs
; at ring 1, a supervisor ring for paging. If a guest segment reached that window, the guest
; could rewrite the hypervisor's IDT or the page table that maps the window. So this kernel
; loads segments that cover all 4 GiB and reads and writes FFFF0000h (the hypervisor's IDT,
; as MonitorMemory's layout says): first the usual flat data segment (base 0, limit 4 GiB),
; then an expand-down one with limit 0 (valid offsets 1 to FFFFFFFFh: all of memory again,
; a form ring compression must not forget).
;
; WHY IT FAILS under vwb's hypervisor. The descriptors the real CPU uses are the hypervisor's
; copies of the guest's, cut short below the window: an expand-up segment's limit ends at
; FFFDFFFFh, and an expand-down segment whose valid offsets would reach the window keeps only
; the part that wraps around to 0 (with base 0: none). Every access the kernel tries gets #GP,
; as it would for a segment that short; the hypervisor logs a "contained" exit for each (the
; address lies in its window) and reflects the #GP to the guest, whose handler says so and
; goes on. On bare hardware every access is allowed (the BIOS ROM is there: writes are dropped;
; what is read is not printed, as machines differ).
;
; Multiboot kernel, flat binary loaded at 1 MiB; its own GDT and an IDT for #GP and #SS.
; Output on COM1; the exit device at port F4h gets 0 at the end.

        cpu     486
        bits    32
        org     0x100000

CODE_SEL        equ 0x08                ; GDT selectors (ours, below)
DATA_SEL        equ 0x10                ; flat: base 0, limit 4 GiB
DOWN_SEL        equ 0x18                ; expand-down, limit 0, big: offsets 1-FFFFFFFFh
HANDLERS_HIGH   equ 0x0010              ; bits 31..16 of the handlers' offsets (the image is at 1 MiB)
TARGET          equ 0xFFFF0000          ; the hypervisor's IDT, in its window
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
        mov     esi, msg_start
        call    puts

        mov     esi, msg_flat_read      ; 1. read through the flat segment
        mov     ebx, .r1
        call    try
        mov     eax, [TARGET]
.r1:    call    verdict
        mov     esi, msg_flat_write     ; 2. write through it
        mov     ebx, .w1
        call    try
        mov     dword [TARGET], 0x0BADC0DE
.w1:    call    verdict
        mov     ax, DOWN_SEL            ; 3. the expand-down segment, in ES
        mov     es, ax
        mov     esi, msg_down_read
        mov     ebx, .r2
        call    try
        mov     eax, [es:TARGET]
.r2:    call    verdict
        mov     esi, msg_down_write     ; 4. write through it
        mov     ebx, .w2
        call    try
        mov     dword [es:TARGET], 0x0BADC0DE
.w2:    call    verdict
        mov     ax, DATA_SEL
        mov     es, ax
        mov     esi, msg_done
        call    puts
        xor     eax, eax
        jmp     exit

; try: prints the text at ESI and arms the fault handlers: a #GP or #SS in the access that
; follows resumes at EBX with the vector in [fault]; without a fault [fault] stays 0.
try:
        call    puts
        mov     [resume], ebx
        lea     eax, [esp + 4]          ; the stack as it will be at the resume point
        mov     [resume_esp], eax
        mov     dword [fault], 0
        ret

; verdict: "allowed", "#GP" or "#SS" by [fault]; a newline.
verdict:
        mov     esi, msg_allowed
        mov     eax, [fault]
        test    eax, eax
        jz      .say
        mov     esi, msg_gp
        cmp     eax, 13
        je      .say
        mov     esi, msg_ss
.say:   call    puts
        ret

; The fault handlers: the frame is dropped (the access is abandoned), the stack put back.
stack_fault:
        mov     dword [fault], 12
        jmp     recover
protection_fault:
        mov     dword [fault], 13
recover:
        mov     esp, [resume_esp]
        jmp     [resume]

%include "com1.inc"

%include "exit.inc"

msg_start:      db "attack-flat: segments covering all 4 GiB, at FFFF0000 (the hypervisor's IDT)", 10, 0
msg_flat_read:  db "read through a flat segment (base 0, limit 4 GiB): ", 0
msg_flat_write: db "write through it: ", 0
msg_down_read:  db "read through an expand-down segment (limit 0): ", 0
msg_down_write: db "write through it: ", 0
msg_allowed:    db "allowed", 10, 0
msg_gp:         db "#GP", 10, 0
msg_ss:         db "#SS", 10, 0
msg_done:       db "attack-flat: done", 10, 0
resume:         dd 0
fault:          dd 0
resume_esp:     dd 0

; The GDT (SDM Vol. 3A 3.4.5): flat code and data at ring 0 with the accessed bit preset, and
; the expand-down data segment: type 0111b (data, expand-down, writable, accessed), B = 1.
        align   8
gdt:            dq 0
                dq 0x00CF9B000000FFFF   ; 08h: code, base 0, limit 4 GiB, 32-bit
                dq 0x00CF93000000FFFF   ; 10h: data, base 0, limit 4 GiB
                dq 0x0040970000000000   ; 18h: data, expand-down, base 0, limit 0, big
gdt_end:
gdtr:           dw gdt_end - gdt - 1
                dd gdt
; The IDT: vectors 0-13, only #SS (12) and #GP (13) present (32-bit interrupt gates, DPL 0). A
; gate splits the handler's offset in two halves (SDM Vol. 3A 6.11); the image starts at
; 100000h and is far smaller than 64 KiB, so the low half is the offset in the image.
        align   8
idt:            times 12 dq 0
                dw (stack_fault - $$) & 0xFFFF, CODE_SEL, 0x8E00, HANDLERS_HIGH
                dw (protection_fault - $$) & 0xFFFF, CODE_SEL, 0x8E00, HANDLERS_HIGH
idt_end:
idtr:           dw idt_end - idt - 1
                dd idt
