; demand_paging.asm — demand paging: 4 KiB pages, and a #PF handler that maps a missing page
; (and its page table, when the directory entry is missing too) with frames from a pool, then
; resumes the faulting instruction. For each fault it prints CR2, the error code and ECX (so a
; REP MOVSD restarted in the middle shows how far it got). It touches pages with reads, writes,
; a REP MOVSD that crosses into two missing pages, and loads and stores straddling two missing
; pages; checks that the data written survive; unmaps a page and shows that the old translation
; is still used until INVLPG (the TLB is not coherent with the page tables) and that the fault
; comes back after INVLPG; and remaps a page to another frame, stale until INVLPG.

        cpu     486
        bits    32
        org     0x100000

%include "include/macros.inc"
        MULTIBOOT_HEADER entry

PD              equ 0x200000            ; page directory
PT0             equ 0x201000            ; identity map of 0-4 MiB
POOL            equ 0x300000            ; frames handed out on demand (inside the identity map)
AREA            equ 0x40000000          ; linear 1 GiB: nothing mapped there at first

entry:
        mov     esp, 0x90000
        call    sys_init
        mov     eax, pf_handler
        mov     ebx, 14
        mov     cx, GATE_INT0
        call    set_gate

        mov     edi, PT0
        mov     eax, 0x003              ; P | RW
        mov     ecx, 1024
.fill:  stosd
        add     eax, 0x1000
        loop    .fill
        mov     edi, PD
        xor     eax, eax
        mov     ecx, 1024
        rep stosd
        mov     dword [PD], PT0 | 0x003
        mov     eax, PD
        mov     cr3, eax
        mov     eax, cr0
        or      eax, 0x80000000
        mov     cr0, eax
        SAYLN   "demand: paging on; 1 GiB and up unmapped (directory entry not present)"

        SAYLN   "demand: 1. read AREA+0 (no page table yet)"
        xor     ecx, ecx
        mov     eax, [AREA]
        HEX     "demand: read ", eax
        SAYLN   "demand: 2. write AREA+1010h"
        mov     dword [AREA + 0x1010], 0x11111111
        SAYLN   "demand: 3. fill AREA+FE0h..FFFh, then REP MOVSD 8 dwords from AREA+FE0h to AREA+2FF0h"
        mov     edi, AREA + 0xFE0
        mov     eax, 0xA0A0A000
        mov     ecx, 8
.pat:   stosd
        inc     eax
        loop    .pat
        mov     esi, AREA + 0xFE0
        mov     edi, AREA + 0x2FF0
        mov     ecx, 8
        cld
        rep movsd
        HEX     "demand: ECX after REP MOVSD: ", ecx
        HEX     "demand: EDI after REP MOVSD: ", edi
        HEX     "demand: dword at AREA+2FFCh: ", [AREA + 0x2FFC]
        HEX     "demand: dword at AREA+3000h: ", [AREA + 0x3000]
        HEX     "demand: dword at AREA+300Ch: ", [AREA + 0x300C]
        SAYLN   "demand: 4. dword load straddling AREA+4FFEh (two missing pages)"
        mov     ecx, 4
        mov     eax, [AREA + 0x4FFE]
        HEX     "demand: read ", eax
        SAYLN   "demand: 5. dword store straddling AREA+6FFEh (two missing pages)"
        mov     ecx, 5
        mov     dword [AREA + 0x6FFE], 0x44332211
        HEX     "demand: dword at AREA+6FFEh: ", [AREA + 0x6FFE]
        movzx   eax, word [AREA + 0x7000]
        HEX     "demand: word at AREA+7000h: ", eax
        SAYLN   "demand: 6. a second directory entry: write AREA+400000h"
        mov     ecx, 6
        mov     dword [AREA + 0x400000], 0x66666666
        DEC     "demand: faults so far: ", [faults]
        HEX     "demand: frames used: ", [frames]
        HEX     "demand: the data written survive, AREA+1010h: ", [AREA + 0x1010]
        HEX     "demand: AREA+400000h: ", [AREA + 0x400000]

        SAYLN   "demand: 7. unmap AREA+1000h without INVLPG: the TLB still translates it"
        mov     ebx, [PD + (AREA >> 22) * 4]
        and     ebx, 0xFFFFF000         ; the page table (identity mapped)
        mov     eax, [ebx + 1 * 4]
        mov     [saved_pte], eax
        mov     dword [ebx + 1 * 4], 0
        mov     ecx, 7
        mov     eax, [AREA + 0x1010]
        HEX     "demand: read through the stale entry: ", eax
        DEC     "demand: faults so far: ", [faults]
        SAYLN   "demand: 8. INVLPG, then read it again: the fault comes back, and a fresh frame"
        invlpg  [AREA + 0x1000]
        mov     ecx, 8
        mov     eax, [AREA + 0x1010]
        HEX     "demand: read ", eax
        DEC     "demand: faults so far: ", [faults]

        SAYLN   "demand: 9. point AREA+1000h back at its first frame, without INVLPG"
        mov     eax, [saved_pte]
        mov     [ebx + 1 * 4], eax
        mov     eax, [AREA + 0x1010]
        HEX     "demand: read (still the fresh frame): ", eax
        invlpg  [AREA + 0x1000]
        mov     eax, [AREA + 0x1010]
        HEX     "demand: after INVLPG (the first frame): ", eax
        SAYLN   "demand: 10. same again, flushed by reloading CR3 instead"
        mov     dword [ebx + 1 * 4], 0
        mov     eax, [AREA + 0x1010]
        HEX     "demand: read through the stale entry: ", eax
        mov     eax, cr3
        mov     cr3, eax
        mov     ecx, 10
        mov     eax, [AREA + 0x1010]
        HEX     "demand: read after the CR3 reload: ", eax
        DEC     "demand: faults in all: ", [faults]
        EXIT    0

; #PF: print CR2, the error code and ECX; map the page (and its table) with zeroed frames; retry.
pf_handler:
        pushad
        inc     dword [faults]
        SAY     "demand: #PF CR2="
        mov     eax, cr2
        call    puthex
        SAY     " error="
        mov     eax, [esp + 32]
        call    puthex
        SAY     " ECX="
        mov     eax, [esp + 24]         ; ECX as PUSHAD saved it
        call    puthex
        mov     eax, cr2
        shr     eax, 22
        lea     ebx, [PD + eax * 4]
        test    dword [ebx], 1
        jnz     .have_table
        SAY     " +table"
        call    alloc_frame
        or      eax, 0x003
        mov     [ebx], eax
.have_table:
        mov     ebx, [ebx]
        and     ebx, 0xFFFFF000
        mov     eax, cr2
        shr     eax, 12
        and     eax, 0x3FF
        lea     ebx, [ebx + eax * 4]
        test    dword [ebx], 1
        jz      .map
        SAYLN   " (the page is present: unexpected)"
        EXIT    1
.map:   call    alloc_frame
        or      eax, 0x003
        mov     [ebx], eax
        call    newline
        popad
        add     esp, 4                  ; the error code
        iretd

; Returns a zeroed frame from the pool in EAX.
alloc_frame:
        push    ecx
        push    edi
        mov     eax, [frames]
        inc     dword [frames]
        shl     eax, 12
        add     eax, POOL
        mov     edi, eax
        push    eax
        xor     eax, eax
        mov     ecx, 1024
        rep stosd
        pop     eax
        pop     edi
        pop     ecx
        ret

faults:         dd 0
frames:         dd 0
saved_pte:      dd 0

%include "include/com1.inc"
%include "include/sys.inc"
