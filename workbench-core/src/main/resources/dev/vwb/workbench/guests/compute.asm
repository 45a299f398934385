; compute.asm - a benchmark guest: pure computation at ring 0, nothing for a hypervisor to catch.
;
; The loop of the machine's bench guest (machine/.../guests/bench.asm, a BIOS image), moved into
; a Multiboot kernel: the same instructions in the same order over the same data, so it retires
; the same 10,502 instructions per iteration and prints the same checksum as bench.bin for the
; same N. Inside the loop there is no privileged or sensitive instruction, no port I/O, no
; interrupt and no page fault (paging stays off): run deprivileged under a trap-and-emulate
; hypervisor it runs natively, with no VM exit at all. Measured bare and under the hypervisor,
; the difference in time is the hypervisor's cost for code that does not need it (none, ideally).
; Only the few lines around it exit: CLI at the entry, the UART's setup, the printing (an IN and
; an OUT per byte) and the exit device.
;
; THE ITERATION COUNT N is the dword at `iterations`, right after the Multiboot header: image
; offset 20h (KernelGuests.COMPUTE_ITERATIONS_OFFSET; KernelGuests.computeImage(n) patches it).
; The image holds 100. N = 0 runs no iteration.
;
; Output on COM1, two lines (8 upper-case hex digits each):
;     compute: NNNNNNNN iterations
;     checksum XXXXXXXX
; then 0 goes to the exit device at port F4h (QEMU exits with status 1).
;
; One iteration, over a 256-dword array (see bench.asm for the full story):
;   - pass 1: for each element, a xorshift32 random number (CALL/RET), load, add, rotate, store,
;     then one of two paths chosen by the data (both retire the same number of instructions);
;   - pass 2: for each element, a byte load (MOVZX), masking, a scaled-index read-modify-write
;     into a 16-entry histogram, a multiply-accumulate (IMUL) and a SETcc, PUSH/POP in a helper.
; Every loop has a fixed trip count and there is no REP prefix, so the number of instructions
; retired is a + 10,502 * N on any machine that counts as vwb and QEMU do.
;
; Multiboot kernel, flat binary loaded at 1 MiB; it uses no memory outside its own image. The
; loader leaves flat segments and interrupts off; this kernel loads no segment register and
; needs neither GDT nor IDT of its own.

        cpu     486
        bits    32
        org     0x100000

EXIT_PORT       equ 0xF4                ; QEMU's isa-debug-exit (vwb has the same device)
DEFAULT_ITERATIONS equ 100
ARRAY_LEN       equ 256                 ; dwords of working data

; The Multiboot header (Multiboot 0.6.96, section 3.1) with the a.out-kludge fields: load the
; whole file at load_addr and jump to entry_addr.
%include "multiboot.inc"

; N, patched by the host: image offset 20h.
iterations:     dd DEFAULT_ITERATIONS

entry:
        cli                             ; Multiboot enters with IF clear; say so anyway
        cld
        mov     esp, stack_top
        call    uart_init

        ; "compute: NNNNNNNN iterations"
        mov     esi, msg_start
        call    puts
        mov     eax, [iterations]
        mov     [iter_left], eax
        call    puthex
        mov     esi, msg_iterations
        call    puts

        ; Initial state: array[i] = i * 9E3779B9h, histogram and variables 0.
        xor     eax, eax
        mov     edi, array
        mov     ecx, ARRAY_LEN
.init:  mov     [edi], eax
        add     eax, 0x9E3779B9
        add     edi, 4
        dec     ecx
        jnz     .init
        xor     eax, eax
        mov     edi, hist
        mov     ecx, 16
.init_hist:
        mov     [edi], eax
        add     edi, 4
        dec     ecx
        jnz     .init_hist
        mov     [acc], eax
        mov     [flagcount], eax

        mov     ebx, 2463534242         ; xorshift32 state (any non-zero seed)
        mov     ebp, 0x80000000         ; the moving threshold of pass 1
        xor     edi, edi                ; the running sum of pass 1

        cmp     dword [iter_left], 0
        je      .finished

; ---- one iteration: nothing below traps, up to .finished --------------------------------------
.outer:
        ; Pass 1: random updates with a data-dependent branch.
        mov     esi, array
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
        mov     esi, array
        mov     ecx, ARRAY_LEN
.pass2:
        movzx   eax, byte [esi + 1]
        and     eax, 15
        inc     dword [hist + eax*4]
        mov     edx, [esi]
        call    mac
        add     esi, 4
        loop    .pass2

        dec     dword [iter_left]
        jnz     .outer

; ---- report -------------------------------------------------------------------------------------
.finished:
        ; checksum = EDI ^ EBP ^ EBX ^ acc ^ flagcount ^ fold(array) ^ fold(histogram)
        mov     eax, edi
        xor     eax, ebp
        xor     eax, ebx
        xor     eax, [acc]
        xor     eax, [flagcount]
        mov     esi, array
        mov     ecx, ARRAY_LEN
        call    fold_array
        mov     esi, hist
        mov     ecx, 16
        call    fold_array

        mov     esi, msg_checksum
        call    puts
        call    puthex
        mov     al, 10
        call    putc

        xor     eax, eax                ; exit value 0: QEMU exits with status 1
        out     EXIT_PORT, eax
.halt:  cli
        hlt
        jmp     .halt

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

; mac: acc = acc * 31 + EDX; flagcount += (EDX < 0 as signed). Preserves ECX.
mac:
        push    ecx
        mov     ecx, [acc]
        imul    ecx, ecx, 31
        add     ecx, edx
        mov     [acc], ecx
        xor     ecx, ecx
        test    edx, edx
        sets    cl
        add     [flagcount], ecx
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

; COM1 and hex printing, shared with the other guest kernels (lib/).
%include "uart_init.inc"
%include "com1.inc"
%include "hex.inc"

msg_start:      db "compute: ", 0
msg_iterations: db " iterations", 10, 0
msg_checksum:   db "checksum ", 0

; The data, set up by the code before use (the image's zeros are not relied on), in a page of
; its own: a write to a page that holds code makes a CPU discard what it decoded from there (a
; self-modifying-code check, in vwb as in hardware), which would slow the loop down.
        align   4096
iter_left:      dd 0                    ; outer iterations still to run
acc:            dd 0                    ; the multiply-accumulate result
flagcount:      dd 0                    ; SETcc tally
hist:           times 16 dd 0           ; histogram of low nibbles
array:          times ARRAY_LEN dd 0    ; the working data
        align   16
stack:          times 256 db 0          ; the stack (a few calls deep)
stack_top:
