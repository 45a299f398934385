; attack-outside.asm - attack guest (lesson 8): map a frame outside my memory and read it.
;
; THE ATTACK. With paging on, a kernel names physical memory through its page tables: a PTE
; holds a frame number, and the MMU goes wherever it says. A guest kernel that could name any
; host frame could read the hypervisor, or another guest. So this kernel writes a PTE for
; linear 40000000h that points at physical 7F000000h (2 GiB - 16 MiB, far beyond its RAM),
; turns paging on, and reads the page.
;
; WHY IT FAILS under vwb's hypervisor. The real CR3 never holds the guest's tables: it holds
; shadow tables the hypervisor builds from them, and every frame goes through the p2m (the
; guest's physical memory is a slice of the host's, from host 8 MiB). Guest frame 7F000h is not
; in the slice, so there is no host frame to put in the shadow entry: the hidden page fault
; that would fill it stops the guest instead, with a "contained" exit that names the address.
; The guest never runs another instruction; the host memory it hoped for is never mapped.
;
; On bare hardware (QEMU, vwb without the hypervisor) nothing stops the read: there is no RAM
; at 7F000000h, so it returns whatever an empty bus gives (not printed: machines differ), the
; kernel says so and exits with 0. Under the hypervisor the output ends after "reading".
;
; Multiboot kernel, flat binary loaded at 1 MiB; its page tables at 2 MiB (give it 8 MiB or
; more). It keeps the loader's flat segments, has no IDT (nothing here faults on bare
; hardware), and writes COM1 as the firmware left it.

        cpu     486
        bits    32
        org     0x100000

PTE_P           equ 1 << 0              ; present
PTE_W           equ 1 << 1              ; writable
CR0_PG          equ 1 << 31             ; paging enable
PAGE_DIR        equ 0x200000            ; the page directory (4 KiB aligned, in my RAM)
PT_LOW          equ 0x201000            ; the table identity-mapping 0-4 MiB (my kernel, my stack)
PT_ATTACK       equ 0x202000            ; the table under linear 40000000h
ATTACK_LINEAR   equ 0x40000000
OUTSIDE         equ 0x7F000000          ; the frame I have no right to
STACK_TOP       equ 0x90000

%include "multiboot.inc"

entry:
        cli
        cld
        mov     esp, STACK_TOP
        mov     esi, msg_start
        call    puts
        ; Zero the three tables, then identity-map 0-4 MiB: entry k -> frame k.
        mov     edi, PAGE_DIR
        mov     ecx, 3 * 1024
        xor     eax, eax
        rep stosd
        mov     edi, PT_LOW
        mov     eax, PTE_P | PTE_W
        mov     ecx, 1024
.ident: stosd
        add     eax, 0x1000
        dec     ecx
        jnz     .ident
        mov     dword [PAGE_DIR + 0 * 4], PT_LOW | PTE_P | PTE_W
        mov     dword [PAGE_DIR + (ATTACK_LINEAR >> 22) * 4], PT_ATTACK | PTE_P | PTE_W
        mov     dword [PT_ATTACK + 0 * 4], OUTSIDE | PTE_P | PTE_W      ; the attack
        mov     eax, PAGE_DIR
        mov     cr3, eax
        mov     eax, cr0
        or      eax, CR0_PG
        mov     cr0, eax
        mov     esi, msg_reading
        call    puts
        mov     eax, [ATTACK_LINEAR]    ; under the hypervisor the guest ends here
        mov     esi, msg_bare
        call    puts
        xor     eax, eax
        jmp     exit

%include "com1.inc"

%include "exit.inc"

msg_start:      db "attack-outside: a page table entry maps 40000000 to physical 7F000000, outside my RAM", 10, 0
msg_reading:    db "attack-outside: paging on; reading 40000000", 10, 0
msg_bare:       db "attack-outside: the read returned: bare hardware lets any frame be named", 10, 0
