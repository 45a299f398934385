; teachkernel.asm - a small teaching kernel: two user processes, a timer, system calls, paging.
;
; What it does, in order (each step is a section below):
;   1. boots from a Multiboot loader: flat 32-bit protected mode, interrupts off, no paging;
;   2. loads its own GDT (kernel and user segments, a TSS) and IDT (exceptions, the timer,
;      a system call gate user code may use);
;   3. moves the 8259A interrupt controllers' vectors out of the exceptions' way and starts the
;      8254 timer;
;   4. turns paging on and builds two address spaces: each task sees its code, data and stack
;      at the SAME virtual addresses (40000000h...), backed by DIFFERENT physical frames;
;   5. idles (STI; HLT) until the first timer tick, then runs the two tasks at ring 3, switching
;      between them on timer ticks (preemptive round robin) and on the yield system call;
;   6. when both tasks have exited, prints a summary and writes 0 to the exit device.
;
; The two tasks run the same program. They take turns line by line through a word in a page
; they share: a task waits until it is its turn, prints one line, passes the turn. Task A waits
; by spinning, so only a timer interrupt can get task B going again: the output shows that
; preemption works. Task B waits by calling yield. Every line says what the task found at the
; virtual address 40001000h: "A" for task A, "B" for task B - the same address, two frames.
; Nothing printed depends on timing, so this kernel prints the same bytes on any machine.
;
; Physical memory (the kernel sees 0-4 MiB at the same virtual addresses, supervisor-only):
;   00100000  this kernel (code and data)          00206000  the idle loop's stack (4 KiB)
;   00200000  the kernel's page table, 0-4 MiB     00207000  task A's kernel stack
;   00201000  the kernel's page directory          00208000  task B's kernel stack
;   00202000  task A's page directory              003FF000  the window (a virtual page the
;   00203000  task B's page directory                        kernel points at any frame)
;   00204000  task A's page table for 40000000h   00400000  task A's code, data, stack frames
;   00205000  task B's page table for 40000000h   00403000  task B's code, data, stack frames
;                                                 00406000  the page both tasks share
; A task's virtual memory:
;   40000000  code (user, read-only)    40002000  stack (user, read/write; grows down from 40003000)
;   40001000  data (user, read/write)   40003000  the shared page (user, read/write): the turn
;
; System calls: INT 80h with EAX = the call, arguments in EBX, ECX; the result in EAX; the other
; registers are preserved. 1 write(EBX = buffer, ECX = length), 2 yield(), 3 exit(EBX = status).
;
; "SDM" is the Intel 64 and IA-32 Architectures Software Developer's Manual.

        cpu     486
        bits    32
        org     0x100000

; --- architecture: names from the SDM -------------------------------------------------------------

CR0_PG          equ 1 << 31             ; CR0: paging enable
PTE_P           equ 1 << 0              ; page directory/table entry: present
PTE_W           equ 1 << 1              ;   writable (else read-only)
PTE_U           equ 1 << 2              ;   user (ring 3 may use it; else supervisor only)
PAGE_SIZE       equ 4096
EFLAGS_IF       equ 1 << 9              ; EFLAGS: interrupts enabled
EFLAGS_RSVD1    equ 1 << 1              ; EFLAGS bit 1 always reads 1
GATE_KERNEL     equ 0x8E00              ; IDT gate: present, DPL 0, 32-bit interrupt gate (clears IF)
GATE_USER       equ 0xEE00              ; the same with DPL 3: INT n from ring 3 may use it
TSS_ESP0        equ 4                   ; TSS fields: the ring-0 stack pointer ...
TSS_SS0         equ 8                   ; ... and stack segment (SDM Vol. 3A 7.2.1)
TSS_IOMAP       equ 102                 ; the I/O permission bitmap's offset

; --- the PC's devices -----------------------------------------------------------------------------

COM1            equ 0x3F8               ; 16550 UART: data; +1 IER, +3 LCR, +5 LSR
LSR_THRE        equ 0x20                ; line status: transmitter holding register empty
PIC1_CMD        equ 0x20                ; 8259A master: command port; its data port is +1
PIC2_CMD        equ 0xA0                ; 8259A slave
PIC_EOI         equ 0x20                ; OCW2: non-specific end of interrupt
PIT_CH0         equ 0x40                ; 8254 channel 0, wired to IRQ 0
PIT_CMD         equ 0x43
PIT_HZ          equ 1193182             ; the 8254's input clock
TIMER_HZ        equ 1000

; --- this kernel's layout -------------------------------------------------------------------------

KCODE           equ 0x08                ; GDT selectors: index * 8 | requested privilege level
KDATA           equ 0x10
UCODE           equ 0x18 | 3
UDATA           equ 0x20 | 3
TSS_SEL         equ 0x28
IRQ0_VECTOR     equ 0x20                ; the master PIC's IRQ 0-7 at 20h-27h, the slave's at 28h-2Fh
SYSCALL_VECTOR  equ 0x80
SYS_WRITE       equ 1
SYS_YIELD       equ 2
SYS_EXIT        equ 3

KERNEL_PT       equ 0x200000
KERNEL_PD       equ 0x201000
PD_A            equ 0x202000
PD_B            equ 0x203000
USER_PT_A       equ 0x204000
USER_PT_B       equ 0x205000
PAGING_END      equ 0x206000
IDLE_STACK_TOP  equ 0x207000
KSTACK_A_TOP    equ 0x208000
KSTACK_B_TOP    equ 0x209000
WINDOW          equ 0x3FF000            ; the last page of the kernel's 4 MiB
FRAMES_A        equ 0x400000            ; code, data and stack frames, one after the other
FRAMES_B        equ 0x403000
SHARED_FRAME    equ 0x406000

USER_CODE       equ 0x40000000
USER_DATA       equ 0x40001000
USER_STACK      equ 0x40002000
USER_SHARED     equ 0x40003000
USER_END        equ 0x40004000
U_NAME          equ USER_DATA + 0       ; the data page: the task's letter ...
U_ID            equ USER_DATA + 4       ; its number, 0 (A) or 1 (B): whose turn it is
U_POWER         equ USER_DATA + 8       ; the power it sums: 1 (A) or 2 (B)
U_YIELDS        equ USER_DATA + 12      ; 1 if it waits by calling yield, 0 if by spinning
U_DIGITS        equ USER_DATA + 16      ; room to convert a number to text
S_TURN          equ USER_SHARED + 0     ; the shared page: whose turn it is to print
LINES           equ 5                   ; lines each task prints

; A task, as the kernel keeps it (the table is at the end of the file).
T_KESP          equ 0                   ; its kernel ESP while it is not running
T_KSTACK        equ 4                   ; the top of its kernel stack
T_CR3           equ 8                   ; its page directory
T_USER_PT       equ 12                  ; its page table for 40000000h
T_FRAMES        equ 16                  ; its code frame (data and stack frames follow)
T_STATE         equ 20                  ; READY or EXITED
T_STATUS        equ 24                  ; the status it exited with
T_NAME          equ 28                  ; its letter, and what goes into its data page:
T_ID            equ 32
T_POWER         equ 36
T_YIELDS        equ 40
T_SIZE          equ 44
READY           equ 1
EXITED          equ 2

; The trap frame: what a kernel entry leaves on the kernel stack, lowest address first. The CPU
; pushes EIP..SS (ESP and SS only when it came from ring 3; SDM Vol. 3A 6.12.1), our entry code
; pushes the general registers (PUSHAD) and DS, ES.
TF_ES           equ 0
TF_DS           equ 4
TF_EBX          equ 24
TF_ECX          equ 32
TF_EAX          equ 36
TF_EIP          equ 40
TF_CS           equ 44
TF_EFLAGS       equ 48
TF_ESP          equ 52
TF_SS           equ 56
TF_SIZE         equ 60                  ; a frame from ring 3

; --- 1. boot --------------------------------------------------------------------------------------

; The Multiboot header (Multiboot 0.6.96, 3.1): magic, flags, checksum (the three sum to 0). Flag
; bit 16 says the address fields follow: load this file from its first byte at load_addr and
; jump to entry_addr. So QEMU's -kernel and vwb's loader can load a flat binary, no ELF needed.
%include "multiboot.inc"

; The loader leaves us in 32-bit protected mode with flat segments and interrupts off, and
; promises nothing else: not the stack, not the GDT, not the devices' state.
entry:
        cli
        cld                             ; string instructions count upwards
        mov     esp, IDLE_STACK_TOP
        call    uart_init
        mov     esi, msg_hello
        call    kputs
        call    gdt_init
        call    idt_init
        call    pic_init
        call    pit_init
        call    paging_init
        mov     esi, task_a
        call    task_init
        mov     esi, task_b
        call    task_init
        mov     esi, msg_start
        call    kputs
        jmp     idle                    ; the kernel's own context from now on: the first timer
                                        ; tick interrupts it, and the scheduler picks task A

; --- 2. segments and interrupts -------------------------------------------------------------------

; gdt_init: loads our GDT and reloads every segment register from it (a new GDTR changes nothing
; until a selector is loaded again; SDM Vol. 3A 3.4.3), then the task register.
gdt_init:
        ; The TSS descriptor's base is split in three (bits 15..0, 23..16, 31..24; SDM Vol. 3A
        ; 7.2.2), a layout left over from the 286; we fill it in here rather than in the table.
        mov     eax, tss
        mov     [gdt_tss + 2], ax
        shr     eax, 16
        mov     [gdt_tss + 4], al
        mov     [gdt_tss + 7], ah
        lgdt    [gdtr]
        jmp     KCODE:.reload_cs        ; a far jump is the way to load CS
.reload_cs:
        mov     ax, KDATA
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        xor     ax, ax                  ; FS and GS are not used: null selectors
        mov     fs, ax
        mov     gs, ax
        ; The TSS holds the stack the CPU switches to when an interrupt comes from ring 3 (SS0:ESP0;
        ; SDM Vol. 3A 6.12.1). We never switch tasks the hardware way, so that is all it is for.
        mov     dword [tss + TSS_SS0], KDATA
        mov     ax, TSS_SEL
        ltr     ax                      ; the task register: which TSS is ours (marks it busy)
        mov     esi, msg_gdt
        call    kputs
        ret

; idt_init: the IDT (SDM Vol. 3A 6.10): exceptions 0-19, the timer's IRQ 0 and the system call.
; All are interrupt gates, so the CPU clears IF on entry: the kernel runs with interrupts off.
; Only the system call gate has DPL 3; an INT n from ring 3 through a DPL-0 gate is a #GP.
idt_init:
        xor     ecx, ecx
.exception:
        mov     eax, ecx
        imul    eax, eax, EXC_STUB_SIZE
        add     eax, exc_stubs
        mov     dx, GATE_KERNEL
        call    set_gate
        inc     ecx
        cmp     ecx, 20
        jb      .exception
        mov     ecx, IRQ0_VECTOR
        mov     eax, irq0_entry
        mov     dx, GATE_KERNEL
        call    set_gate
        mov     ecx, SYSCALL_VECTOR
        mov     eax, syscall_entry
        mov     dx, GATE_USER
        call    set_gate
        lidt    [idtr]
        mov     esi, msg_idt
        call    kputs
        ret

; set_gate: IDT entry ECX <- a gate to KCODE:EAX with the type and DPL word DX. The handler's
; offset is split around the selector (SDM Vol. 3A 6.11, Figure 6-2).
set_gate:
        mov     [idt + ecx * 8], ax                 ; offset 15..0
        mov     word [idt + ecx * 8 + 2], KCODE     ; the handler's code segment
        mov     [idt + ecx * 8 + 4], dx             ; P, DPL, type
        shr     eax, 16
        mov     [idt + ecx * 8 + 6], ax             ; offset 31..16
        ret

; --- 3. the interrupt controllers and the timer ---------------------------------------------------

; pic_init: the 8259A pair. The BIOS leaves IRQ 0-7 at vectors 08h-0Fh, where the CPU delivers
; its own exceptions (#DF is 08h): a tick would look like a double fault. The initialization
; words move them to 20h-2Fh. Then every IRQ but the timer's is masked.
pic_init:
        mov     al, 0x11                ; ICW1: edge triggered, cascaded, ICW4 follows
        out     PIC1_CMD, al
        out     PIC2_CMD, al
        mov     al, IRQ0_VECTOR         ; ICW2: the master's first vector
        out     PIC1_CMD + 1, al
        mov     al, IRQ0_VECTOR + 8     ;       the slave's
        out     PIC2_CMD + 1, al
        mov     al, 0x04                ; ICW3: the slave hangs on the master's IR2 ...
        out     PIC1_CMD + 1, al
        mov     al, 0x02                ;       ... which is its cascade identity
        out     PIC2_CMD + 1, al
        mov     al, 0x01                ; ICW4: 8086 mode, normal EOI
        out     PIC1_CMD + 1, al
        out     PIC2_CMD + 1, al
        mov     al, 0xFE                ; OCW1: mask every IRQ but IRQ 0
        out     PIC1_CMD + 1, al
        mov     al, 0xFF
        out     PIC2_CMD + 1, al
        ret

; pit_init: channel 0 divides its 1.193182 MHz clock by PIT_HZ / TIMER_HZ and raises IRQ 0 at
; the end of each period (mode 2, the rate generator).
pit_init:
        mov     al, 0x34                ; channel 0, low byte then high byte, mode 2, binary
        out     PIT_CMD, al
        mov     ax, PIT_HZ / TIMER_HZ
        out     PIT_CH0, al
        mov     al, ah
        out     PIT_CH0, al
        mov     esi, msg_timer
        call    kputs
        ret

; --- 4. paging, and the tasks' address spaces -----------------------------------------------------

; paging_init: the kernel's page table maps 0-4 MiB to itself, supervisor-only, except the
; window page; the kernel's page directory points at it. A linear address is split as
;
;      31          22 21          12 11            0
;     +--------------+--------------+---------------+
;     | directory    | table        | offset        |     (SDM Vol. 3A 4.3, 32-bit paging)
;     +--------------+--------------+---------------+
;
; Then CR3 gets the directory and CR0.PG turns paging on. The code keeps running at the same
; addresses, since they map to themselves. (CR4 stays as the loader left it, 0: no entry here
; sets the PS or G bits that CR4.PSE and CR4.PGE would give a meaning.)
paging_init:
        mov     edi, KERNEL_PT          ; all the tables and directories start empty
        xor     eax, eax
        mov     ecx, (PAGING_END - KERNEL_PT) / 4
        rep stosd
        mov     edi, KERNEL_PT
        mov     eax, PTE_P | PTE_W      ; page 0 -> frame 0, supervisor, writable
        mov     ecx, 1023               ; all but the last: the window is mapped on demand
.identity:
        stosd
        add     eax, PAGE_SIZE
        dec     ecx
        jnz     .identity
        mov     dword [KERNEL_PD], KERNEL_PT | PTE_P | PTE_W
        mov     eax, KERNEL_PD
        mov     cr3, eax
        mov     eax, cr0
        or      eax, CR0_PG
        mov     cr0, eax
        mov     esi, msg_paging
        call    kputs
        ret

; map_window: points the kernel's window page at the physical frame EAX. The kernel maps only
; 0-4 MiB; the tasks' frames lie above, so this is how it reaches them.
map_window:
        or      eax, PTE_P | PTE_W
        mov     [KERNEL_PT + (WINDOW >> 12) * 4], eax
        ; The TLB may still hold the window's previous translation: the CPU does not watch
        ; writes to page tables. INVLPG drops that one entry (SDM Vol. 3A 4.10.4.1).
        invlpg  [WINDOW]
        ret

; task_init: makes the task at ESI ready to run: its address space, its program and data, and a
; kernel stack holding a trap frame that "returns" to ring 3 at the program's start.
task_init:
        ; Its page directory: the kernel's table for 0-4 MiB (supervisor-only, so ring 3 cannot
        ; touch the kernel; SDM Vol. 3A 4.6) and its own table for 40000000h-403FFFFFh.
        mov     edi, [esi + T_CR3]
        mov     dword [edi], KERNEL_PT | PTE_P | PTE_W
        mov     eax, [esi + T_USER_PT]
        or      eax, PTE_P | PTE_W | PTE_U
        mov     [edi + (USER_CODE >> 22) * 4], eax
        ; Its page table: code read-only, data and stack writable, all user; the shared page
        ; is the same frame for both tasks.
        mov     edi, [esi + T_USER_PT]
        mov     eax, [esi + T_FRAMES]
        or      eax, PTE_P | PTE_U
        mov     [edi + 0], eax                          ; 40000000h code
        add     eax, PAGE_SIZE + PTE_W
        mov     [edi + 4], eax                          ; 40001000h data
        add     eax, PAGE_SIZE
        mov     [edi + 8], eax                          ; 40002000h stack
        mov     dword [edi + 12], SHARED_FRAME | PTE_P | PTE_W | PTE_U  ; 40003000h shared
        ; Its code frame: a copy of the user program, through the window.
        mov     eax, [esi + T_FRAMES]
        call    map_window
        push    esi
        mov     esi, user_program
        mov     edi, WINDOW
        mov     ecx, user_program_end - user_program
        rep movsb
        pop     esi
        ; Its data frame: cleared, then its name, number, power and way of waiting (U_NAME,
        ; U_ID, U_POWER and U_YIELDS are in the same order as in the task table).
        mov     eax, [esi + T_FRAMES]
        add     eax, PAGE_SIZE
        call    map_window
        call    clear_window
        push    esi
        lea     esi, [esi + T_NAME]
        mov     edi, WINDOW + U_NAME - USER_DATA
        mov     ecx, 4
        rep movsd
        pop     esi
        ; Its stack frame, and the shared frame (turn 0: task A begins), cleared.
        mov     eax, [esi + T_FRAMES]
        add     eax, 2 * PAGE_SIZE
        call    map_window
        call    clear_window
        mov     eax, SHARED_FRAME
        call    map_window
        call    clear_window
        ; Its kernel stack: a trap frame as if it had entered the kernel from ring 3 just before
        ; its first instruction. Returning from it (IRETD) starts the task at ring 3.
        mov     edi, [esi + T_KSTACK]
        sub     edi, TF_SIZE
        mov     [esi + T_KESP], edi
        push    edi
        xor     eax, eax                ; the general registers start at 0
        mov     ecx, TF_SIZE / 4
        rep stosd
        pop     edi
        mov     dword [edi + TF_ES], UDATA
        mov     dword [edi + TF_DS], UDATA
        mov     dword [edi + TF_EIP], USER_CODE
        mov     dword [edi + TF_CS], UCODE      ; RPL 3: IRETD goes to ring 3 ...
        mov     dword [edi + TF_EFLAGS], EFLAGS_IF | EFLAGS_RSVD1  ; ... with interrupts on, IOPL 0
        mov     dword [edi + TF_ESP], USER_STACK + PAGE_SIZE
        mov     dword [edi + TF_SS], UDATA
        mov     dword [esi + T_STATE], READY
        call    print_task_map
        ret

; clear_window: zeroes the page the window shows.
clear_window:
        push    edi
        mov     edi, WINDOW
        xor     eax, eax
        mov     ecx, PAGE_SIZE / 4
        rep stosd
        pop     edi
        ret

; print_task_map: "task A: 40000000-40003FFF -> frames ...", read back from its page table.
print_task_map:
        push    esi
        mov     ebx, [esi + T_USER_PT]
        lea     edi, [esi + T_NAME]
        mov     esi, msg_task
        call    kputs
        mov     esi, edi                ; the task's letter
        mov     ecx, 1
        call    console_write
        mov     esi, msg_task_map
        call    kputs
        xor     edx, edx
.frame: mov     eax, [ebx + edx * 4]
        and     eax, ~(PAGE_SIZE - 1)   ; the frame address, without the flag bits
        call    kputhex
        inc     edx
        cmp     edx, 4
        jb      .frame
        mov     esi, msg_newline
        call    kputs
        pop     esi
        ret

; --- 5. the way in and out of the kernel: traps, the scheduler, system calls ----------------------

; IRQ 0, the timer: end the interrupt at the PIC, then let the scheduler pick who runs next.
irq0_entry:
        pushad
        push    ds
        push    es
        mov     ax, KDATA               ; DS and ES may hold the user's selectors
        mov     ds, ax
        mov     es, ax
        mov     al, PIC_EOI             ; without an EOI the PIC sends no more ticks
        out     PIC1_CMD, al
        call    schedule
        cmp     ebx, [current_task]
        je      resume
        cmp     dword [current_task], task_idle
        je      switch_to
        inc     dword [preemptions]     ; a task lost the CPU without asking
        jmp     switch_to

; INT 80h from ring 3. The CPU switched to the task's kernel stack (TSS.ESP0) and pushed the
; user's SS, ESP, EFLAGS, CS, EIP; the arguments are in the saved registers.
syscall_entry:
        pushad
        push    ds
        push    es
        mov     ax, KDATA
        mov     ds, ax
        mov     es, ax
        mov     ebp, esp                ; EBP -> the trap frame
        mov     eax, [ebp + TF_EAX]
        cmp     eax, SYS_WRITE
        je      sys_write
        cmp     eax, SYS_YIELD
        je      sys_yield
        cmp     eax, SYS_EXIT
        je      sys_exit
        mov     dword [ebp + TF_EAX], -1        ; no such call
        jmp     resume

; write(EBX = buffer, ECX = length): prints the user's bytes. The kernel checks the buffer lies
; in user memory: a user must not get the kernel to print (or touch) the kernel's memory.
sys_write:
        mov     esi, [ebp + TF_EBX]
        mov     ecx, [ebp + TF_ECX]
        cmp     esi, USER_CODE
        jb      .refuse
        cmp     ecx, USER_END - USER_CODE
        ja      .refuse
        mov     eax, USER_END
        sub     eax, ecx
        cmp     esi, eax                ; buffer + length <= USER_END, without overflow
        ja      .refuse
        mov     [ebp + TF_EAX], ecx     ; the result: bytes written
        call    console_write           ; the task's CR3 is loaded: its buffer is at ESI
        jmp     resume
.refuse:
        mov     dword [ebp + TF_EAX], -1
        jmp     resume

; yield(): the next ready task runs (or this one again, if it is the only one).
sys_yield:
        call    schedule
        jmp     switch_to

; exit(EBX = status): the task never runs again.
sys_exit:
        mov     ebx, [current_task]
        mov     eax, [ebp + TF_EBX]
        mov     [ebx + T_STATUS], eax
        mov     dword [ebx + T_STATE], EXITED
        dec     dword [tasks_alive]
        call    schedule
        jmp     switch_to

; schedule: EBX = the task to run next: the first READY task after the current one in the
; table, round robin (the current one comes last); the idle context if no task is ready.
schedule:
        mov     ebx, [current_task]
        mov     ecx, 2                  ; the number of tasks
.next:  add     ebx, T_SIZE
        cmp     ebx, tasks_end
        jb      .check
        mov     ebx, task_a             ; past the last: around to the first (idle is not in the round)
.check: cmp     dword [ebx + T_STATE], READY
        je      .found
        dec     ecx
        jnz     .next
        mov     ebx, task_idle
.found: ret

; switch_to: leaves the current context and resumes the one at EBX. Every context that is not
; running is a kernel stack with a trap frame on top, so switching is swapping ESP, and telling
; the CPU where the next task's kernel stack is (TSS.ESP0) and what its memory is (CR3).
switch_to:
        mov     eax, [current_task]
        cmp     eax, ebx
        je      resume
        mov     [eax + T_KESP], esp     ; park the current context ...
        mov     esp, [ebx + T_KESP]     ; ... and pick up the next one's
        mov     eax, [ebx + T_KSTACK]
        mov     [tss + TSS_ESP0], eax   ; its next interrupt from ring 3 lands on its own stack
        mov     eax, [ebx + T_CR3]
        mov     cr3, eax                ; its address space; this also flushes the TLB (SDM 4.10.4.1)
        mov     [current_task], ebx
; resume: returns from the trap frame at ESP to where it came from: ring 3, or the idle loop.
resume:
        pop     es
        pop     ds
        popad
        iretd                           ; to ring 3 it also reloads SS:ESP (SDM Vol. 2A, IRET)

; --- 6. idle: the kernel's context when no task can run; shutdown ---------------------------------

idle:
        cli
        cmp     dword [tasks_alive], 0
        je      shutdown
        sti                             ; STI enables interrupts only after the next instruction
        hlt                             ; (SDM Vol. 2B, STI), so no tick slips in before HLT
        jmp     idle                    ; a tick woke us: look again

; When both tasks have exited: what they returned, and whether the timer ever took the CPU from
; one (at least once, not how many times: that depends on timing).
shutdown:
        mov     esi, msg_exited
        call    kputs
        mov     esi, msg_exited_a
        call    kputs
        mov     eax, [task_a + T_STATUS]
        call    kputdec
        mov     esi, msg_exited_b
        call    kputs
        mov     eax, [task_b + T_STATUS]
        call    kputdec
        mov     esi, msg_preempted
        call    kputs
        mov     esi, msg_yes
        cmp     dword [preemptions], 0
        jne     .answer
        mov     esi, msg_no
.answer:
        call    kputs
        xor     eax, eax
        jmp     exit

; --- the console ----------------------------------------------------------------------------------

; console_write: sends ECX bytes from ESI through COM1. One line must not be cut by another, so
; interrupts are off while it prints. It may be called with interrupts on or off, and must leave
; IF as it found it: hence PUSHFD; CLI ... POPFD rather than CLI ... STI, which would turn
; interrupts on inside an interrupt handler. (Here IF happens to be off at every call; lesson 4
; shows that, run deprivileged, POPF could not have turned it back on.) Preserves registers.
console_write:
        pushfd
        cli
        push    eax
        push    ecx
        push    edx
        push    esi
.byte:  test    ecx, ecx
        jz      .done
        mov     dx, COM1 + 5            ; wait until the transmitter can take a byte
.wait:  in      al, dx
        test    al, LSR_THRE
        jz      .wait
        lodsb
        mov     dx, COM1
        out     dx, al
        dec     ecx
        jmp     .byte
.done:  pop     esi
        pop     edx
        pop     ecx
        pop     eax
        popfd
        ret

; kputs: prints the zero-terminated string at ESI. Preserves registers.
kputs:
        push    ecx
        xor     ecx, ecx
.length:
        cmp     byte [esi + ecx], 0
        je      .print
        inc     ecx
        jmp     .length
.print: call    console_write
        pop     ecx
        ret

; kputhex: prints EAX as " " and 8 hex digits. kputdec: EAX in decimal, then a newline.
kputhex:
        pusha
        mov     edi, number_text + 8
        mov     ecx, 8
.digit: mov     edx, eax
        and     edx, 0x0F
        mov     dl, [hex_digits + edx]
        dec     edi
        mov     [edi], dl
        shr     eax, 4
        dec     ecx
        jnz     .digit
        mov     esi, number_text - 1    ; the space before it
        mov     ecx, 9
        call    console_write
        popa
        ret

kputdec:
        pusha
        mov     edi, number_text + 11
        mov     byte [edi], 10
        mov     ebx, 10
.digit: xor     edx, edx
        div     ebx
        add     dl, '0'
        dec     edi
        mov     [edi], dl
        test    eax, eax
        jnz     .digit
        mov     esi, edi
        mov     ecx, number_text + 12
        sub     ecx, edi
        call    console_write
        popa
        ret

%include "uart_init.inc"
%include "exit.inc"

; --- exceptions -----------------------------------------------------------------------------------

; Exceptions 0-19 mean a bug, in the kernel or in a task: print what happened and stop the machine
; with exit status 1. The IDT entry of vector v points at the v-th of these twenty CALLs; the
; return address it pushes tells exc_common which one ran, hence the vector.
exc_stubs:
        times   20 call exc_common
exc_stubs_end:
EXC_STUB_SIZE   equ (exc_stubs_end - exc_stubs) / 20
ERROR_CODE_VECTORS equ (1 << 8) | (0x1F << 10) | (1 << 17)  ; 8, 10-14, 17 (SDM Vol. 3A 6.13)

; Prints "teachkernel: exception 0000000E error 00000006 eip 40000010 cs 0000001B cr2 40005000"
; (error 0 for the vectors without an error code; CR2, the address that faulted, for #PF only).
exc_common:
        mov     ax, KDATA
        mov     ds, ax
        mov     es, ax
        pop     eax                     ; the return address: just after the vector's CALL
        sub     eax, exc_stubs + EXC_STUB_SIZE
        xor     edx, edx
        mov     ecx, EXC_STUB_SIZE
        div     ecx
        mov     ecx, eax                ; the vector
        xor     edx, edx                ; the CPU's frame at ESP: [error code,] EIP, CS, EFLAGS
        mov     eax, ERROR_CODE_VECTORS
        bt      eax, ecx
        jnc     .print
        pop     edx                     ; the error code
.print: mov     esi, msg_exception
        call    kputs
        mov     eax, ecx
        call    kputhex
        mov     esi, msg_error
        call    kputs
        mov     eax, edx
        call    kputhex
        mov     esi, msg_eip
        call    kputs
        mov     eax, [esp]
        call    kputhex
        mov     esi, msg_cs
        call    kputs
        mov     eax, [esp + 4]
        call    kputhex
        cmp     ecx, 14
        jne     .end
        mov     esi, msg_cr2
        call    kputs
        mov     eax, cr2
        call    kputhex
.end:   mov     esi, msg_newline
        call    kputs
        mov     eax, 1
        jmp     exit

; --- the user program -----------------------------------------------------------------------------

; Both tasks run this code at ring 3, each from its own copy at USER_CODE. It uses relative
; jumps and calls only (so it runs wherever it is copied), the absolute addresses of its own
; address space (U_*, S_TURN) and its strings at USER_CODE + (string - user_program). Line k of
; a task says what it found at 40001000h and the sum of j^power for j = 1..k; its exit status
; is the last sum.
user_program:
        mov     esi, 1                  ; k, the line number
        xor     edi, edi                ; the sum
.line:  mov     eax, 1                  ; k^power
        mov     ecx, [U_POWER]
.power: imul    eax, esi
        dec     ecx
        jnz     .power
        add     edi, eax
.wait:  mov     eax, [S_TURN]           ; whose turn is it?
        cmp     eax, [U_ID]
        je      .print
        cmp     dword [U_YIELDS], 0
        je      .wait                   ; spin: only a timer interrupt takes the CPU away now
        mov     eax, SYS_YIELD          ; or hand the CPU over
        int     SYSCALL_VECTOR
        jmp     .wait
.print: mov     ebx, U_NAME             ; "A3: 40001000 holds 'A'; sum of k^1 for k=1..3 = 6"
        call    user_write_char
        mov     eax, esi
        call    user_write_dec
        mov     ebx, USER_CODE + (user_text_holds - user_program)
        mov     ecx, user_text_holds_end - user_text_holds
        call    user_write
        mov     ebx, U_NAME
        call    user_write_char
        mov     ebx, USER_CODE + (user_text_sum - user_program)
        mov     ecx, user_text_sum_end - user_text_sum
        call    user_write
        mov     eax, [U_POWER]
        call    user_write_dec
        mov     ebx, USER_CODE + (user_text_for - user_program)
        mov     ecx, user_text_for_end - user_text_for
        call    user_write
        mov     eax, esi
        call    user_write_dec
        mov     ebx, USER_CODE + (user_text_is - user_program)
        mov     ecx, user_text_is_end - user_text_is
        call    user_write
        mov     eax, edi
        call    user_write_dec
        mov     ebx, USER_CODE + (user_text_newline - user_program)
        mov     ecx, 1
        call    user_write
        mov     eax, [U_ID]             ; pass the turn to the other task
        xor     eax, 1
        mov     [S_TURN], eax
        inc     esi
        cmp     esi, LINES
        jbe     .line
        mov     eax, SYS_EXIT
        mov     ebx, edi
        int     SYSCALL_VECTOR          ; does not return

; user_write: write(EBX, ECX). user_write_char: one byte at EBX. user_write_dec: EAX in decimal.
user_write_char:
        mov     ecx, 1
user_write:
        mov     eax, SYS_WRITE
        int     SYSCALL_VECTOR
        ret
user_write_dec:
        mov     ebx, U_DIGITS + 10      ; the digits, last first, backwards from here
        mov     ecx, 10
.digit: xor     edx, edx
        div     ecx
        add     dl, '0'
        dec     ebx
        mov     [ebx], dl
        test    eax, eax
        jnz     .digit
        mov     ecx, U_DIGITS + 10
        sub     ecx, ebx
        jmp     user_write
user_text_holds:        db ": 40001000 holds '"
user_text_holds_end:
user_text_sum:          db "'; sum of k^"
user_text_sum_end:
user_text_for:          db " for k=1.."
user_text_for_end:
user_text_is:           db " = "
user_text_is_end:
user_text_newline:      db 10
user_program_end:

; --- data -----------------------------------------------------------------------------------------

; The tasks. The idle context comes first and is not in the scheduler's round.
        align   4
task_idle:
        dd      0, IDLE_STACK_TOP, KERNEL_PD, 0, 0, 0, 0, 0, 0, 0, 0
task_a: ;       KESP KSTACK        CR3   USER_PT    FRAMES    STATE STATUS NAME ID POWER YIELDS
        dd      0,   KSTACK_A_TOP, PD_A, USER_PT_A, FRAMES_A, 0,    0,     'A', 0, 1,    0
task_b:
        dd      0,   KSTACK_B_TOP, PD_B, USER_PT_B, FRAMES_B, 0,    0,     'B', 1, 2,    1
tasks_end:
current_task:   dd task_idle
tasks_alive:    dd 2
preemptions:    dd 0                    ; timer ticks that took the CPU from a task

; The GDT (SDM Vol. 3A 3.4.5). Each descriptor packs a base, a 20-bit limit (in 4 KiB units when
; G is set) and an access byte: P (present), DPL (the privilege needed to use it), S and the type
; (code: execute/read; data: read/write). All four segments cover the whole 4 GiB, so addresses
; are not translated by segmentation; only DPL differs. Accessed bits are preset, as QEMU does not
; set the one of CS.
        align   8
gdt:
        dq      0                       ; 00h null: a selector of 0 means "no segment"
        dq      0x00CF9B000000FFFF      ; 08h kernel code: DPL 0, execute/read
        dq      0x00CF93000000FFFF      ; 10h kernel data: DPL 0, read/write
        dq      0x00CFFB000000FFFF      ; 18h user code: DPL 3, execute/read
        dq      0x00CFF3000000FFFF      ; 20h user data: DPL 3, read/write
gdt_tss:
        dw      tss_end - tss - 1       ; 28h TSS: limit 15..0
        dw      0                       ;     base 15..0 (gdt_init fills in the base)
        db      0                       ;     base 23..16
        db      0x89                    ;     P=1, DPL 0, type 1001b: 32-bit TSS, available
        db      0                       ;     limit 19..16, G=0
        db      0                       ;     base 31..24
gdt_end:
gdtr:   dw      gdt_end - gdt - 1       ; LGDT's operand: the limit, then the base
        dd      gdt

        align   8
idt:    times   (SYSCALL_VECTOR + 1) * 8 db 0
idt_end:
idtr:   dw      idt_end - idt - 1
        dd      idt

        align   4
tss:    times   TSS_IOMAP db 0          ; a 32-bit TSS (SDM Vol. 3A 7.2.1); only SS0:ESP0 is used
        dw      tss_end - tss           ; I/O map base beyond the limit: no I/O bitmap, so ring 3
tss_end:                                ; (CPL > IOPL 0) may use no port at all

hex_digits:     db "0123456789ABCDEF"
        db      " "                     ; kputhex prints this space before the digits
number_text:    times 12 db 0

msg_hello:      db "teachkernel: hello from 1 MiB", 10, 0
msg_gdt:        db "teachkernel: GDT loaded: kernel and user code and data, a TSS", 10, 0
msg_idt:        db "teachkernel: IDT loaded: exceptions 0-19, timer at 20h, system calls at 80h", 10, 0
msg_timer:      db "teachkernel: PIC at 20h-2Fh, PIT channel 0 at 1000 Hz", 10, 0
msg_paging:     db "teachkernel: paging on: 0-4 MiB mapped to itself, for the kernel only", 10, 0
msg_task:       db "teachkernel: task ", 0
msg_task_map:   db ": 40000000-40003FFF ->", 0
msg_start:      db "teachkernel: the tasks start at the next timer tick", 10, 0
msg_exited:     db "teachkernel: both tasks have exited", 10, 0
msg_exited_a:   db "teachkernel: task A exit status: ", 0
msg_exited_b:   db "teachkernel: task B exit status: ", 0
msg_preempted:  db "teachkernel: the timer preempted a task: ", 0
msg_yes:        db "yes", 10, 0
msg_no:         db "no", 10, 0
msg_exception:  db "teachkernel: exception", 0
msg_error:      db " error", 0
msg_eip:        db " eip", 0
msg_cs:         db " cs", 0
msg_cr2:        db " cr2", 0
msg_newline:    db 10, 0
