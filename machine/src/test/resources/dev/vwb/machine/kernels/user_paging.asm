; user_paging.asm — paging protection between ring 3 and ring 0. From ring 0: a write to a
; read-only page succeeds with CR0.WP=0 and faults with CR0.WP=1. From ring 3 (entered by IRETD,
; IOPL 3 so it can print): reads and writes of a supervisor page, of a read-only user page, of
; a missing page, and of user pages under a supervisor or read-only directory entry, printing
; each #PF's CR2, error code (P, W, U bits) and the CPL it came from; then writes through a
; 4 MiB page (CR4.PSE). Back in ring 0 it prints the accessed and dirty bits the CPU set in the
; page directory and table entries, and turns on global pages (CR4.PGE) for a global entry.

        cpu     586
        bits    32
        org     0x100000

%include "include/macros.inc"
        MULTIBOOT_HEADER entry

PD              equ 0x200000
PT0             equ 0x201000            ; 0-4 MiB, user pages except those below
PT1             equ 0x202000            ; 4-8 MiB, under a supervisor directory entry
PT2             equ 0x203000            ; 8-12 MiB, under a read-only directory entry
SUPER           equ 0x300000            ; supervisor, writable
USER_RO         equ 0x301000            ; user, read-only
USER_RW         equ 0x302000            ; user, writable
RO_WP0          equ 0x303000            ; read-only: written by ring 0 with WP=0
RO_WP1          equ 0x304000            ; read-only: written by ring 0 with WP=1
MISSING         equ 0x305000            ; not present
GLOBPAGE          equ 0x306000            ; a global page
BIG             equ 0x40000000          ; a 4 MiB user page at 1 GiB ...
BIG_PHYS        equ 0x00C00000          ; ... mapping physical 12 MiB
USER_STACK      equ 0x80000
KERNEL_STACK    equ 0x90000

; TRY label: a #PF in what follows resumes at label.
%macro TRY 1
        mov     dword [resume], %1
%endmacro

entry:
        mov     esp, KERNEL_STACK
        call    sys_init
        mov     dword [tss_esp0], KERNEL_STACK
        mov     eax, pf_handler
        mov     ebx, 14
        mov     cx, GATE_INT0
        call    set_gate
        mov     eax, back_to_ring0
        mov     ebx, 0x80
        mov     cx, GATE_INT3
        call    set_gate

        ; Page tables: everything user and writable, then the exceptions.
        mov     edi, PT0
        mov     eax, 0x007              ; P | RW | U
        mov     ecx, 3 * 1024           ; PT0, PT1, PT2: identity 0-12 MiB
.fill:  stosd
        add     eax, 0x1000
        loop    .fill
        mov     dword [PT0 + (SUPER >> 12) * 4], SUPER | 0x003
        mov     dword [PT0 + (USER_RO >> 12) * 4], USER_RO | 0x005
        mov     dword [PT0 + (RO_WP0 >> 12) * 4], RO_WP0 | 0x001
        mov     dword [PT0 + (RO_WP1 >> 12) * 4], RO_WP1 | 0x001
        mov     dword [PT0 + (MISSING >> 12) * 4], 0
        mov     edi, PD
        xor     eax, eax
        mov     ecx, 1024
        rep stosd
        mov     dword [PD + 0], PT0 | 0x007
        mov     dword [PD + 4], PT1 | 0x003       ; supervisor directory entry
        mov     dword [PD + 8], PT2 | 0x005       ; read-only directory entry
        mov     dword [PD + (BIG >> 22) * 4], BIG_PHYS | 0x087   ; P | RW | U | PS
        ; Contents to read.
        mov     dword [SUPER], 0x5555AAAA
        mov     dword [USER_RO], 0x0123ABCD
        mov     dword [USER_RW], 0
        mov     dword [RO_WP0], 0
        mov     dword [RO_WP1], 0
        mov     dword [GLOBPAGE], 0x610BA1

        mov     eax, cr4
        or      eax, 0x10               ; PSE
        mov     cr4, eax
        mov     eax, PD
        mov     cr3, eax
        mov     eax, cr0
        or      eax, 0x80000000         ; PG, WP clear
        and     eax, ~0x10000
        mov     cr0, eax
        SAYLN   "user: paging on, CR0.WP=0"

        TRY     .wp0_done
        mov     dword [RO_WP0], 0x11112222
.wp0_done:
        HEX     "user: ring 0 wrote a read-only page with WP=0, it holds ", [RO_WP0]
        mov     eax, cr0
        or      eax, 0x10000
        mov     cr0, eax
        SAYLN   "user: CR0.WP=1"
        TRY     .wp1_done
        mov     dword [RO_WP1], 0x33334444
.wp1_done:
        HEX     "user: the read-only page written with WP=1 holds ", [RO_WP1]

        SAYLN   "user: to ring 3"
        push    dword SEL_DATA3
        push    dword USER_STACK
        pushfd
        or      dword [esp], 0x3000     ; IOPL 3: ring 3 may use COM1
        push    dword SEL_CODE3
        push    dword ring3
        iretd

ring3:
        mov     ax, SEL_DATA3
        mov     ds, ax
        mov     es, ax
        mov     eax, cs
        and     eax, 3
        DEC     "user: CPL=", eax
        SAYLN   "user: ring 3 reads the supervisor page"
        TRY     .r1
        mov     eax, [SUPER]
        HEX     "user: read ", eax
.r1:    SAYLN   "user: ring 3 writes the supervisor page"
        TRY     .r2
        mov     dword [SUPER], 1
.r2:    SAYLN   "user: ring 3 reads the read-only user page"
        TRY     .r3
        mov     eax, [USER_RO]
        HEX     "user: read ", eax
.r3:    SAYLN   "user: ring 3 writes the read-only user page"
        TRY     .r4
        mov     dword [USER_RO], 2
.r4:    SAYLN   "user: ring 3 reads a missing page"
        TRY     .r5
        mov     eax, [MISSING + 4]
.r5:    SAYLN   "user: ring 3 writes a missing page"
        TRY     .r6
        mov     dword [MISSING + 8], 3
.r6:    SAYLN   "user: ring 3 reads a user page under a supervisor directory entry"
        TRY     .r7
        mov     eax, [0x400010]
.r7:    SAYLN   "user: ring 3 reads a user page under a read-only directory entry"
        TRY     .r8
        mov     eax, [0x800010]
        HEX     "user: read ", eax
.r8:    SAYLN   "user: ring 3 writes a writable user page under a read-only directory entry"
        TRY     .r9
        mov     dword [0x800020], 4
.r9:    SAYLN   "user: ring 3 writes the writable user page"
        TRY     .r10
        mov     dword [USER_RW], 0x0CAFE003
        HEX     "user: it holds ", [USER_RW]
.r10:   SAYLN   "user: ring 3 writes through the 4 MiB user page"
        TRY     .r11
        mov     dword [BIG + 0x1234], 0xB16B16
        HEX     "user: it holds ", [BIG + 0x1234]
.r11:   DEC     "user: page faults taken: ", [faults]
        int     0x80

back_to_ring0:
        mov     ax, SEL_DATA0
        mov     ds, ax
        mov     es, ax
        mov     eax, cs
        and     eax, 3
        DEC     "user: back in ring 0 through INT 80h, CPL=", eax
        mov     eax, [esp + 12]         ; the ring-3 ESP in the frame
        HEX     "user: ring-3 ESP saved on the ring-0 stack: ", eax
        mov     eax, esp
        HEX     "user: ring-0 ESP (TSS ESP0 less 5 dwords): ", eax
        mov     esp, KERNEL_STACK

        SAYLN   "user: accessed/dirty bits (60h = A and D, 20h = A):"
        mov     eax, [PD + 0]
        and     eax, 0x60
        HEX     "user:  directory entry 0 (4 KiB pages, D not used): ", eax
        mov     eax, [PT0 + (USER_RW >> 12) * 4]
        and     eax, 0x60
        HEX     "user:  writable user page, written: ", eax
        mov     eax, [PT0 + (USER_RO >> 12) * 4]
        and     eax, 0x60
        HEX     "user:  read-only user page, read (and a write refused): ", eax
        mov     eax, [PT0 + (RO_WP0 >> 12) * 4]
        and     eax, 0x60
        HEX     "user:  read-only page written with WP=0: ", eax
        mov     eax, [PD + (BIG >> 22) * 4]
        and     eax, 0x60
        HEX     "user:  4 MiB page, written: ", eax
        mov     eax, [PD + (0x800000 >> 22) * 4]
        and     eax, 0x60
        HEX     "user:  read-only directory entry, read through: ", eax
        mov     eax, [PT2 + ((0x800000 >> 12) & 0x3FF) * 4 + 4 * 4]
        HEX     "user:  its table entry for the page read: ", eax

        ; Global pages: CR4.PGE, and a global entry used like any other.
        or      dword [PT0 + (GLOBPAGE >> 12) * 4], 0x100
        invlpg  [GLOBPAGE]
        mov     eax, cr4
        or      eax, 0x80
        mov     cr4, eax
        and     eax, 0x90
        HEX     "user: CR4 PSE|PGE: ", eax
        HEX     "user: the global page holds ", [GLOBPAGE]
        mov     eax, [PT0 + (GLOBPAGE >> 12) * 4]
        and     eax, 0x160
        HEX     "user: its entry's G/D/A bits: ", eax
        ; Whether a global entry survives a CR3 load is not checked: the SDM lets the TLB drop
        ; it anyway, and QEMU does. Clearing CR4.PGE must flush it.
        mov     dword [PT0 + (GLOBPAGE >> 12) * 4], USER_RO | 0x107
        mov     eax, cr4
        and     eax, ~0x80
        mov     cr4, eax
        HEX     "user: remapped to the read-only user frame, after clearing CR4.PGE it reads ", [GLOBPAGE]
        EXIT    0

; #PF: print CR2, the error code and the CPL interrupted; resume at [resume].
pf_handler:
        pushad
        inc     dword [faults]
        SAY     "user: #PF CR2="
        mov     eax, cr2
        call    puthex
        SAY     " error="
        mov     eax, [esp + 32]
        call    puthex
        SAY     " from CPL "
        mov     eax, [esp + 40]         ; the saved CS
        and     eax, 3
        call    putdec
        call    newline
        mov     eax, [resume]
        mov     [esp + 36], eax         ; the saved EIP
        popad
        add     esp, 4
        iretd

faults:         dd 0
resume:         dd 0

%include "include/com1.inc"
%include "include/sys.inc"
