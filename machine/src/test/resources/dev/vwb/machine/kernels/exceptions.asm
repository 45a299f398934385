; exceptions.asm — a Multiboot kernel that provokes every exception a 486 can raise and prints,
; on COM1, each one's vector, error code ("none" for vectors without one) and the saved EIP
; relative to the instruction that caused it: +0 for faults (the instruction restarts), the
; instruction's length for traps (#DB single step and ICEBP, #BP, #OF, INT n). Covered: #DE (DIV
; by zero, IDIV overflow), #DB (TF, with DR6.BS), NMI's vector through INT 2, #BP, #OF, #BR, #UD (UD2,
; LOCK on a register ADD), #NM (CR0.EM, CR0.TS), #DF (#DE whose gate is not present: #NP during
; delivery, error code 0), #TS (an INT from ring 3 with a bad SS0 in the TSS, caught by a
; handler in a conforming segment that runs at ring 3), #NP (an IDT gate not present: vector * 8
; + 2), #SS (SS not present), #GP (HLT at ring 3; INT n through a DPL 0 gate from ring 3; an IDT
; entry of an invalid type), #PF (CR2 and the error codes of read, write and user accesses).
; Vectors software cannot provoke on this CPU are shown through INT n: 9 (coprocessor segment
; overrun, 386 only), 15 (reserved), 16 (#MF: vwb has no FPU), 18 (#MC, Pentium), 19 (#XM, SSE).
; An exception raised while delivering INT n is a fault of the INT instruction: its saved EIP
; points at the INT (+0), and it never becomes #DF. Not shown: #AC (17), which QEMU's TCG does
; not raise, and ICEBP (F1h), a #DB trap on hardware that QEMU 7.2 answers with #UD.

        cpu     586
        bits    32
        org     0x100000

MB_MAGIC        equ 0x1BADB002
MB_FLAGS        equ 1 << 16

SEL_CONFORMING  equ 0x30
SEL_NP_DATA     equ 0x38
PD              equ 0x220000
PT0             equ 0x221000
MISSING         equ 0x300000
SUPERVISOR      equ 0x301000

header:
        dd      MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
        dd      header, header, 0, 0, entry

%include "include/com1.inc"
%include "include/pm.inc"

%macro SAY 1
        mov     esi, %1
        call    puts
%endmacro

entry:
        mov     esp, STACK0_TOP
        call    pm_init
        mov     dword [handler_hook], hook

        SAY     msg_de
        xor     ecx, ecx
        TRY     div ecx
        SAY     msg_de2
        mov     eax, 0x80000000
        cdq
        mov     ecx, -1
        TRY     idiv ecx

        SAY     msg_db_tf
        EXPECT  .tf, .tf_done
        pushfd
        or      dword [esp], 0x100
        popfd
.tf:    mov     eax, 12345678       ; 5 bytes: the trap comes after it
        call    no_fault
.tf_done:

        SAY     msg_nmi
        TRY     int 2

        SAY     msg_bp
        TRY     int3
        SAY     msg_bp_long
        TRY     int 3

        SAY     msg_of
        mov     al, 0x7F
        add     al, 1
        TRY     into
        SAY     msg_of_clear
        xor     eax, eax
        TRY     into

        SAY     msg_br
        mov     eax, 200
        TRY     bound eax, [bounds]
        SAY     msg_br_in
        mov     eax, 100
        TRY     bound eax, [bounds]

        SAY     msg_ud
        TRY     ud2
        SAY     msg_lock
        TRY     db 0xF0, 0x01, 0xD8   ; LOCK ADD EAX, EBX

        SAY     msg_nm_em
        mov     eax, cr0
        or      eax, 0x4            ; EM
        mov     cr0, eax
        TRY     fninit
        and     eax, ~0x4
        or      eax, 0x8            ; TS
        mov     cr0, eax
        SAY     msg_nm_ts
        TRY     fninit
        clts

        SAY     msg_df
        mov     byte [IDT_BASE + 0 * 8 + 5], 0x0E   ; #DE's gate: not present
        xor     ecx, ecx
        TRY     div ecx
        SAY     msg_int0_np
        TRY     int 0
        mov     byte [IDT_BASE + 0 * 8 + 5], 0x8E

        SAY     msg_np
        mov     ecx, 0x41
        mov     eax, isr_stubs
        mov     edx, 0x0E00         ; a ring-0 interrupt gate, not present
        call    set_gate
        TRY     int 0x41
        SAY     msg_gp_type
        TRY     int 0x40

        SAY     msg_ss
        mov     ax, SEL_NP_DATA
        TRY     mov ss, ax

        ; #TS: vector 10 goes to a conforming segment, so delivering it needs no ring-0 stack.
        mov     ecx, 10
        mov     eax, ts_handler
        mov     edx, 0x8E00
        call    set_gate
        mov     word [IDT_BASE + 10 * 8 + 2], SEL_CONFORMING
        mov     ecx, 0x31           ; INT 31h: allowed from ring 3, into ring 0
        mov     eax, isr_stubs + 0x31 * 16
        mov     edx, 0xEE00
        call    set_gate

        call    to_ring3
        SAY     msg_gp_hlt
        TRY     hlt
        SAY     msg_gp_int
        TRY     int 3
        SAY     msg_int31
        TRY     int 0x31
        SAY     msg_ts
        mov     word [TSS_BASE + 8], SEL_DATA3      ; SS0 with RPL 3
        TRY     int 0x31
        SAY     msg_ts_fixed
        TRY     int 0x31
        int     0x30

        SAY     msg_pf
        call    paging_on
        TRY     mov eax, [MISSING + 0x10]
        TRY     mov dword [MISSING + 0x20], 1
        call    to_ring3
        SAY     msg_pf_user
        TRY     mov eax, [MISSING + 0x30]
        TRY     mov eax, [SUPERVISOR + 0x40]
        TRY     mov dword [SUPERVISOR + 0x50], 1
        int     0x30
        mov     eax, cr0
        and     eax, 0x7FFFFFFF
        mov     cr0, eax

        SAY     msg_int_n
        TRY     int 9
        TRY     int 15
        TRY     int 16
        TRY     int 18
        TRY     int 19
        jmp     pm_exit

; Called by the common handler: single steps end here (TF off in the saved EFLAGS); DR6 is shown
; for #DB and cleared.
hook:
        and     dword [ebp + F_EFLAGS], ~0x100
        cmp     dword [ebp + F_VECTOR], 1
        jne     .done
        SAY     msg_dr6
        mov     eax, dr6
        and     eax, 0x0000E00F
        call    puthex
        call    newline
        xor     eax, eax
        mov     dr6, eax
.done:  ret

; #TS, in a conforming code segment: runs at ring 3 on the ring-3 stack (error code, EIP, CS,
; EFLAGS), repairs SS0 and resumes after the INT.
ts_handler:
        push    eax
        push    esi
        SAY     msg_ts_seen
        mov     eax, [esp + 8]
        call    puthex4
        SAY     msg_pm_eip
        mov     eax, [esp + 12]
        sub     eax, [fault_at]
        call    putsdec
        SAY     msg_pm_cs
        mov     eax, [esp + 16]
        call    puthex4
        SAY     msg_ts_cs
        mov     ax, cs
        call    puthex4
        call    newline
        mov     word [TSS_BASE + 8], SEL_DATA0
        mov     eax, [resume_at]
        mov     [esp + 12], eax
        mov     dword [resume_at], 0
        pop     esi
        pop     eax
        add     esp, 4
        iretd

; Paging over 0-4 MiB, identity, user and writable, but for a page not present and a
; supervisor page.
paging_on:
        mov     edi, PT0
        mov     eax, 0x007
        mov     ecx, 1024
.fill:  mov     [edi], eax
        add     eax, 0x1000
        add     edi, 4
        loop    .fill
        mov     dword [PT0 + (MISSING >> 12) * 4], MISSING | 0x006
        mov     dword [PT0 + (SUPERVISOR >> 12) * 4], SUPERVISOR | 0x003
        mov     edi, PD
        xor     eax, eax
        mov     ecx, 1024
        rep stosd
        mov     dword [PD], PT0 | 0x007
        mov     eax, PD
        mov     cr3, eax
        mov     eax, cr0
        or      eax, 0x80000000
        mov     cr0, eax
        ret

        align   8
gdt:    PM_GDT_BASE
        DESC    0, 0xFFFFF, 0xC09F          ; 30h ring-0 conforming code
        DESC    0, 0xFFFFF, 0xC012          ; 38h ring-0 data, not present
gdt_end:

bounds:         dd 0, 150

msg_de:         db "exc: DIV by zero", 10, 0
msg_de2:        db "exc: IDIV 80000000h:FFFFFFFF... by -1 (quotient overflow)", 10, 0
msg_db_tf:      db "exc: TF single step over a 5-byte MOV (trap)", 10, 0
msg_dr6:        db "     DR6 & E00Fh = ", 0
msg_nmi:        db "exc: INT 2 (NMI's vector, through software)", 10, 0
msg_bp:         db "exc: INT3 (CCh)", 10, 0
msg_bp_long:    db "exc: INT 3 (CDh 03h)", 10, 0
msg_of:         db "exc: INTO with OF=1", 10, 0
msg_of_clear:   db "exc: INTO with OF=0", 10, 0
msg_br:         db "exc: BOUND 200 against [0, 150]", 10, 0
msg_br_in:      db "exc: BOUND 100 against [0, 150]", 10, 0
msg_ud:         db "exc: UD2", 10, 0
msg_lock:       db "exc: LOCK ADD EAX, EBX", 10, 0
msg_nm_em:      db "exc: FNINIT with CR0.EM=1", 10, 0
msg_nm_ts:      db "exc: FNINIT with CR0.TS=1", 10, 0
msg_df:         db "exc: DIV by zero with #DE's gate not present (#NP while delivering #DE)", 10, 0
msg_int0_np:    db "exc: INT 0 with that gate not present (a fault of INT: no #DF)", 10, 0
msg_np:         db "exc: INT 41h, gate not present", 10, 0
msg_gp_type:    db "exc: INT 40h, an IDT entry of type 0", 10, 0
msg_ss:         db "exc: MOV SS, a not-present segment", 10, 0
msg_gp_hlt:     db "exc: ring 3: HLT", 10, 0
msg_gp_int:     db "exc: ring 3: INT 3 through a DPL 0 gate", 10, 0
msg_int31:      db "exc: ring 3: INT 31h through a DPL 3 gate", 10, 0
msg_ts:         db "exc: ring 3: INT 31h with SS0 = 0023h in the TSS", 10, 0
msg_ts_seen:    db "  -> #TS err=", 0
msg_ts_cs:      db " handler CS=", 0
msg_ts_fixed:   db "exc: ring 3: INT 31h with SS0 repaired", 10, 0
msg_pf:         db "exc: paging: read, then write, a page not present", 10, 0
msg_pf_user:    db "exc: paging, ring 3: read a page not present, read and write a supervisor page", 10, 0
msg_int_n:      db "exc: INT 9, 15, 16, 18, 19 (not raised by this CPU otherwise)", 10, 0
