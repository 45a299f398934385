; =============================================================================
; bench.asm — vwb's benchmark guest: a 64 KiB BIOS image that runs a loop of
; representative integer code N times and reports a checksum.
;
; Build:  nasm -f bin -o bench.bin bench.asm
; Run:    ./vwb bench   (patches N, runs it in vwb and in QEMU, compares them)
;
; THE ITERATION COUNT N is the little-endian dword at image offset FF00h
; (ITERATIONS_OFFSET below; dev.vwb.machine.bench.Bench patches it). The
; assembled image holds DEFAULT_ITERATIONS. N = 0 runs no iteration.
;
; Output on the debug console (port E9h), exactly two lines:
;     bench: NNNNNNNN iterations
;     checksum XXXXXXXX
; (both in 8-digit upper-case hex), then the guest writes (checksum & 7Fh) to
; the exit device at port F4h, so QEMU exits with status (checksum & 7Fh)*2+1.
;
; One iteration (10,502 instructions) does, over a 256-dword array in RAM:
;   - pass 1: for each element, call a xorshift32 random generator (call/ret),
;     load, add, rotate, store back, then compare and take one of two paths
;     that depend on the data (unpredictable branches);
;   - pass 2: for each element, a byte load (MOVZX), masking, a scaled-index
;     read-modify-write into a 16-entry histogram, a multiply-accumulate (IMUL)
;     and a SETcc, with a push/pop pair in a helper function.
;
; It is written so that the number of instructions retired is exactly
; a + b*N (today a = 3,267 and b = 10,502): every loop has a fixed trip count
; and both paths of every data-dependent branch retire the same number of
; instructions. The benchmark relies on that to know how many instructions
; QEMU ran for any N (it measures a and b in vwb with N = 1 and N = 2), and
; QemuEquivalenceTest checks that QEMU, single-stepping, counts the same.
; There is no REP-prefixed instruction in the image: QEMU counts every
; repetition of one as an instruction, vwb counts it once.
;
; THE PAGING VARIANT, bench-paging.asm, is this file assembled with PAGING
; defined: before the loop it identity-maps the first 4 MiB with 4 KiB pages
; (one page directory, one page table) and sets CR0.PG, so the same loop runs
; with every access translated. It prints the same checksum as this one.
; =============================================================================

        cpu     486

ROM_BASE        equ 0xF0000     ; linear address of the image's low copy
ITERATIONS_OFFSET equ 0xFF00    ; image offset of N (a dword)
DEFAULT_ITERATIONS equ 100

STACK_TOP       equ 0x9FFF0
ARRAY           equ 0x20000     ; ARRAY_LEN dwords of working data
ARRAY_LEN       equ 256
HIST            equ 0x21000     ; 16 dwords: histogram of low nibbles
VARS            equ 0x22000     ; scalar variables:
ITER_LEFT       equ VARS + 0    ;   outer iterations still to run
ACC             equ VARS + 4    ;   the multiply-accumulate result
FLAGCOUNT       equ VARS + 8    ;   SETcc tally

DEBUG_CONSOLE   equ 0xE9
EXIT_PORT       equ 0xF4
CODE_SEL        equ 0x08
DATA_SEL        equ 0x10

; =============================================================================
; Real mode: get into 32-bit flat protected mode as quickly as possible.
; =============================================================================
section rm16 start=0 vstart=0
bits 16

start:
        cli
        cld
        lgdt    [cs:gdt_ptr]
        mov     eax, cr0
        or      al, 1                   ; CR0.PE
        mov     cr0, eax
        jmp     dword CODE_SEL:pm_entry

        align   8
gdt:    dq      0                                       ; null
        dw      0xFFFF, 0x0000
        db      0x00, 0x9B, 0xCF, 0x00                  ; 08h: flat 32-bit code (accessed)
        dw      0xFFFF, 0x0000
        db      0x00, 0x93, 0xCF, 0x00                  ; 10h: flat data (accessed)
gdt_end:
gdt_ptr:
        dw      gdt_end - gdt - 1
        dd      ROM_BASE + gdt

; =============================================================================
; 32-bit protected mode, flat: addresses are linear.
; =============================================================================
section pm32 start=0x1000 vstart=ROM_BASE+0x1000
bits 32

pm_entry:
        mov     ax, DATA_SEL
        mov     ds, ax
        mov     es, ax
        mov     fs, ax
        mov     gs, ax
        mov     ss, ax
        mov     esp, STACK_TOP
%ifdef PAGING
        call    enable_paging
%endif

        ; "bench: NNNNNNNN iterations"
        mov     esi, msg_start
        call    print_str
        mov     eax, [ROM_BASE + ITERATIONS_OFFSET]
        mov     [ITER_LEFT], eax
        call    print_hex
        mov     esi, msg_iterations
        call    print_str

        ; Initial state: array[i] = i * 9E3779B9h, histogram and variables 0.
        xor     eax, eax
        mov     edi, ARRAY
        mov     ecx, ARRAY_LEN
.init:  mov     [edi], eax
        add     eax, 0x9E3779B9
        add     edi, 4
        dec     ecx
        jnz     .init
        xor     eax, eax
        mov     edi, HIST
        mov     ecx, 16
.init_hist:
        mov     [edi], eax
        add     edi, 4
        dec     ecx
        jnz     .init_hist
        mov     [ACC], eax
        mov     [FLAGCOUNT], eax

        mov     ebx, 2463534242         ; xorshift32 state (any non-zero seed)
        mov     ebp, 0x80000000         ; the moving threshold of pass 1
        xor     edi, edi                ; the running sum of pass 1

        cmp     dword [ITER_LEFT], 0
        je      .finished

; ---- one iteration ------------------------------------------------------------
.outer:
        ; Pass 1: random updates with a data-dependent branch.
        mov     esi, ARRAY
        mov     ecx, ARRAY_LEN
.pass1:
        call    xorshift                ; EAX = next random number
        add     eax, [esi]
        rol     eax, 5
        mov     [esi], eax
        cmp     eax, ebp
        jb      .below
        add     edi, eax                ; path "above": 4 instructions
        adc     ebp, 0                  ;   (jb not taken, add, adc, jmp)
        jmp     .next1
.below:
        sub     edi, eax                ; path "below": 4 instructions too
        xor     ebp, eax                ;   (jb taken, sub, xor, nop), so the
        nop                             ;   count does not depend on the data
.next1:
        add     esi, 4
        dec     ecx
        jnz     .pass1

        ; Pass 2: bytes, a histogram, multiply-accumulate.
        mov     esi, ARRAY
        mov     ecx, ARRAY_LEN
.pass2:
        movzx   eax, byte [esi + 1]
        and     eax, 15
        inc     dword [HIST + eax*4]
        mov     edx, [esi]
        call    mac
        add     esi, 4
        loop    .pass2

        dec     dword [ITER_LEFT]
        jnz     .outer

; ---- report -------------------------------------------------------------------
.finished:
        ; checksum = EDI ^ EBP ^ EBX ^ ACC ^ FLAGCOUNT ^ fold(array) ^ fold(histogram)
        mov     eax, edi
        xor     eax, ebp
        xor     eax, ebx
        xor     eax, [ACC]
        xor     eax, [FLAGCOUNT]
        mov     esi, ARRAY
        mov     ecx, ARRAY_LEN
        call    fold_array
        mov     esi, HIST
        mov     ecx, 16
        call    fold_array
        mov     ebx, eax                ; keep the checksum

        mov     esi, msg_checksum
        call    print_str
        call    print_hex
        mov     al, 10
        call    print_char

        mov     eax, ebx
        and     eax, 0x7F               ; exit value: QEMU exits with 2*v+1
        mov     dx, EXIT_PORT
        out     dx, eax
.halt:  cli
        hlt
        jmp     .halt

%ifdef PAGING
PAGE_DIR        equ 0x10000     ; 4 KiB, page-aligned, clear of the data above
PAGE_TABLE      equ 0x11000
PTE_P_RW        equ 0x003       ; present, writable (supervisor)

; enable_paging: identity-maps linear 0-4 MiB (code, data, stack, the ROM's
; low copy) through one page table of 4 KiB pages, then sets CR0.PG.
enable_paging:
        mov     edi, PAGE_TABLE
        mov     eax, PTE_P_RW           ; page 0 at physical 0
        mov     ecx, 1024
.pte:   mov     [edi], eax
        add     eax, 0x1000
        add     edi, 4
        dec     ecx
        jnz     .pte
        mov     edi, PAGE_DIR           ; every directory entry but the first: not present
        xor     eax, eax
        mov     ecx, 1024
.pde:   mov     [edi], eax
        add     edi, 4
        dec     ecx
        jnz     .pde
        mov     dword [PAGE_DIR], PAGE_TABLE | PTE_P_RW
        mov     eax, PAGE_DIR
        mov     cr3, eax
        mov     eax, cr0
        or      eax, 0x80000000         ; CR0.PG
        mov     cr0, eax
        jmp     .paged                  ; the 486 wants a jump right after setting PG
.paged: ret
%endif

; xorshift32 (Marsaglia): EBX = EBX ^ EBX<<13 ^ ... ; returns the new state in EAX.
xorshift:
        mov     eax, ebx
        shl     eax, 13
        xor     ebx, eax
        mov     eax, ebx
        shr     eax, 17
        xor     ebx, eax
        mov     eax, ebx
        shl     eax, 5
        xor     ebx, eax
        mov     eax, ebx
        ret

; mac: ACC = ACC * 31 + EDX; FLAGCOUNT += (EDX < 0 as signed). Preserves ECX.
mac:
        push    ecx
        mov     ecx, [ACC]
        imul    ecx, ecx, 31
        add     ecx, edx
        mov     [ACC], ecx
        xor     ecx, ecx
        test    edx, edx
        sets    cl
        add     [FLAGCOUNT], ecx
        pop     ecx
        ret

; fold_array: EAX = rotl(EAX, 1) ^ [ESI], for ECX dwords from ESI.
fold_array:
        rol     eax, 1
        xor     eax, [esi]
        add     esi, 4
        dec     ecx
        jnz     fold_array
        ret

; print_hex: writes EAX as 8 upper-case hex digits (preserves all registers).
print_hex:
        pushad
        mov     edx, eax
        mov     ecx, 8
.digit: rol     edx, 4
        mov     eax, edx
        and     eax, 15
        mov     al, [hex_digits + eax]
        call    print_char
        dec     ecx
        jnz     .digit
        popad
        ret

; print_char: writes AL to the debug console.
print_char:
        push    edx
        mov     dx, DEBUG_CONSOLE
        out     dx, al
        pop     edx
        ret

; print_str: writes the zero-terminated string at ESI.
print_str:
        push    eax
.next:  lodsb
        test    al, al
        jz      .done
        call    print_char
        jmp     .next
.done:  pop     eax
        ret

hex_digits:     db "0123456789ABCDEF"
msg_start:      db "bench: ", 0
msg_iterations: db " iterations", 10, 0
msg_checksum:   db "checksum ", 0

; =============================================================================
; The parameter block: N, patched by the benchmark driver.
; =============================================================================
section params start=ITERATIONS_OFFSET vstart=ITERATIONS_OFFSET
iterations:     dd DEFAULT_ITERATIONS

; =============================================================================
; The reset vector: the first instruction, at physical FFFFFFF0h.
; =============================================================================
section reset start=0xFFF0 vstart=0xFFF0
bits 16
reset:
        jmp     0xF000:start
        times   16 - ($ - $$) db 0
