; Protected-mode code: forward references, 32-bit addressing, near and short jumps.
        bits 32
        org 0x100000
entry:  mov esp, stack_top
        mov ecx, count
        xor eax, eax
.loop:  add eax, [table + ecx*4 - 4]
        dec ecx
        jnz .loop
        cmp eax, limit
        ja far_target
        mov [result], eax
        lea edi, [esi + ebx*2 + 16]
        push dword result
        push byte -1
        call helper
        jmp short entry
helper: movzx eax, byte [esi]
        movsx edx, word [edi + 8]
        shl eax, 4
        imul eax, edx, 10
        ret 4
table:  dd 1, 2, 3, 4, 5
count   equ ($ - table) / 4
limit   equ 1000
result: dd 0
        align 4
        times 200 db 0x90
far_target:
        cpuid
        rdtsc
        bswap eax
        cmpxchg8b [edi]
        hlt
        resb 64
stack_top:
