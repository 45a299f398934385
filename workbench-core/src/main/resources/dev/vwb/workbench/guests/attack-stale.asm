; attack-stale.asm - attack guest (lesson 8): read through a stale translation.
;
; THE ATTACK. The TLB caches translations, and hardware flushes it only on a CR3 load or an
; INVLPG, so a kernel that changes a page table entry without INVLPG may go on using the old
; translation (SDM Vol. 3A 4.10.4). A shadow-paging hypervisor must honour that - but if its
; shadow entries outlived the frames they name (freed, or handed to another guest or to the
; hypervisor itself), a stale entry would be a window onto someone else's memory. So this
; kernel maps linear 40000000h to frame A, reads it, points the entry at frame B *without*
; INVLPG, reads again, fills frame A with other data, reads again, and only then INVLPGs.
; Every value it reads must be its own: A's old data, A's new data or B's, never anything else.
; Then it switches CR3 to a second address space and back, which must flush for real.
;
; WHY IT FAILS under vwb's hypervisor. The guest's page tables are write-protected in the
; shadow: the PTE write traps ("page-table write" exit), runs, and drops the shadow entry built
; from the old PTE. The real TLB may still hold the old translation, as hardware's would - but
; it names the host frame of the guest's own frame A, which stays the guest's for good (the p2m
; is fixed; shadow tables live in the hypervisor's pool, never mapped into the guest). Stale
; means "my own old frame", never "a frame that is now the host's".
;
; Each line says "yes" when what was read is allowed (the stale value or the new one, both the
; kernel's own), so the output is the same on any correct machine; the values are printed too
; (vwb, bare or not, and QEMU keep the stale translation here).
;
; Multiboot kernel, flat binary loaded at 1 MiB; page tables at 2 MiB, frames A, B, C at 3 MiB
; (give it 8 MiB or more). The loader's flat segments, no IDT. The exit device gets 0.

        cpu     486
        bits    32
        org     0x100000

PTE_PW          equ 3                   ; present, writable
CR0_PG          equ 1 << 31             ; paging enable
PAGE_DIR        equ 0x200000            ; address space 1: directory, identity table, table at 40000000h
PT_LOW          equ 0x201000
PT_X            equ 0x202000
PAGE_DIR2       equ 0x203000            ; address space 2: the same identity table, its own table at 40000000h
PT_X2           equ 0x204000
FRAME_A         equ 0x300000
FRAME_B         equ 0x301000
FRAME_C         equ 0x302000            ; address space 2's page at 40000000h
X               equ 0x40000000          ; the linear page under attack
STACK_TOP       equ 0x90000

%include "multiboot.inc"

entry:
        cli
        cld
        mov     esp, STACK_TOP
        mov     esi, msg_start
        call    puts
        mov     edi, PAGE_DIR           ; zero the five tables
        mov     ecx, 5 * 1024
        xor     eax, eax
        rep stosd
        mov     edi, PT_LOW             ; identity-map 0-4 MiB
        mov     eax, PTE_PW
.ident: stosd
        add     eax, 0x1000
        cmp     edi, PT_LOW + 4096
        jb      .ident
        mov     dword [PAGE_DIR], PT_LOW | PTE_PW
        mov     dword [PAGE_DIR + (X >> 22) * 4], PT_X | PTE_PW
        mov     dword [PAGE_DIR2], PT_LOW | PTE_PW
        mov     dword [PAGE_DIR2 + (X >> 22) * 4], PT_X2 | PTE_PW
        mov     dword [PT_X2], FRAME_C | PTE_PW
        mov     dword [FRAME_A], 0xAAAA0001
        mov     dword [FRAME_B], 0xBBBB0002
        mov     dword [FRAME_C], 0xCCCC0003
        mov     dword [PT_X], FRAME_A | PTE_PW
        mov     eax, PAGE_DIR
        mov     cr3, eax
        mov     eax, cr0
        or      eax, CR0_PG
        mov     cr0, eax

        mov     ebx, 0xAAAA0001         ; 1. X -> A: A's data
        mov     edx, ebx
        mov     esi, msg_mapped
        call    check
        mov     dword [PT_X], FRAME_B | PTE_PW      ; 2. X -> B, no INVLPG: A's (stale) or B's
        mov     edx, 0xBBBB0002
        mov     esi, msg_remapped
        call    check
        mov     dword [FRAME_A], 0xAAAA0004         ; 3. frame A reused: A's new data or B's
        mov     ebx, 0xAAAA0004
        mov     esi, msg_reused
        call    check
        invlpg  [X]                                 ; 4. INVLPG: B's, and only B's
        mov     ebx, edx
        mov     esi, msg_invlpg
        call    check
        mov     eax, PAGE_DIR2                      ; 5. the other address space: C's
        mov     cr3, eax
        mov     ebx, 0xCCCC0003
        mov     edx, ebx
        mov     esi, msg_cr3
        call    check
        mov     eax, PAGE_DIR                       ; 6. and back: B's
        mov     cr3, eax
        mov     ebx, 0xBBBB0002
        mov     edx, ebx
        mov     esi, msg_back
        call    check
        mov     esi, msg_done
        call    puts
        xor     eax, eax
        jmp     exit

; check: reads the dword at X; prints the text at ESI, the value, and "yes" if it is EBX or
; EDX (the two values allowed), else "NO". Preserves registers.
check:
        pushad
        mov     eax, [X]
        call    puts
        call    puthex
        mov     esi, msg_yes
        cmp     eax, ebx
        je      .say
        cmp     eax, edx
        je      .say
        mov     esi, msg_no
.say:   call    puts
        popad
        ret

%include "com1.inc"

%include "hex.inc"
%include "exit.inc"

msg_start:      db "attack-stale: 40000000 -> frame A, then B without invlpg, then A reused", 10, 0
msg_mapped:     db "1. mapped to A:               ", 0
msg_remapped:   db "2. pte -> B, no invlpg:       ", 0
msg_reused:     db "3. A filled with new data:    ", 0
msg_invlpg:     db "4. after invlpg:              ", 0
msg_cr3:        db "5. other address space (C):   ", 0
msg_back:       db "6. first address space again: ", 0
msg_yes:        db " mine: yes", 10, 0
msg_no:         db " mine: NO", 10, 0
msg_done:       db "attack-stale: done; every value read was my own", 10, 0
