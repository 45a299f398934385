; attack-ports.asm - attack guest (lesson 8): talk to devices the hypervisor does not give me.
;
; THE ATTACK. Port I/O reaches devices directly: a kernel at ring 0 (or with IOPL 3) may IN and
; OUT to any of the 65,536 ports. A host's real disk controller (IDE at 1F0h-1F7h), its CMOS
; and real-time clock (70h/71h: the CMOS shutdown byte decides what the BIOS does after a
; reset) or its PCI configuration space (CF8h/CFCh) would let a guest read the host's disk or
; reconfigure the host's hardware. So this kernel reads the IDE status and data ports (a whole
; INSW string, as a driver reading a sector would), writes the CMOS index and reads it back,
; and reads PCI configuration dword 0 (vendor and device of bus 0, device 0).
;
; WHY IT FAILS under vwb's hypervisor. The guest kernel runs at ring 1 with IOPL 0 and a TSS
; without an I/O bitmap, so every IN, OUT, INS and OUTS traps (#GP) into the hypervisor. It
; emulates the ports of the devices it gives the guest (the UART, the PIC, the PIT, the exit
; device...); a port none of them answers is the guest's own empty bus: reads give all ones,
; writes go nowhere, and each access is a "contained" exit naming the port. The guest goes on.
;
; Bare vwb has no device on these ports either, so it prints the same all-ones values. (QEMU's
; PC does have an IDE controller, a CMOS and a PCI host bridge there: it prints other values,
; so this guest is not compared with QEMU.)
;
; Multiboot kernel, flat binary loaded at 1 MiB, the loader's flat segments, no IDT.
; Output on COM1; the exit device at port F4h gets 0 at the end.

        cpu     486
        bits    32
        org     0x100000

IDE_DATA        equ 0x1F0               ; primary ATA channel: data (16-bit)
IDE_STATUS      equ 0x1F7               ; primary ATA channel: status (BSY, DRDY, DRQ, ERR...)
CMOS_INDEX      equ 0x70                ; CMOS/RTC register index (bit 7: NMI disable)
CMOS_DATA       equ 0x71
CMOS_SHUTDOWN   equ 0x0F                ; the CMOS shutdown status byte
PCI_ADDRESS     equ 0xCF8               ; PCI configuration mechanism #1
PCI_DATA        equ 0xCFC
PCI_ENABLE      equ 0x80000000          ; enable bit; bus 0, device 0, function 0, register 0
STACK_TOP       equ 0x90000

%include "multiboot.inc"

entry:
        cli
        cld
        mov     esp, STACK_TOP
        mov     esi, msg_start
        call    puts

        mov     dx, IDE_STATUS          ; 1. the disk controller's status: 1 IN
        in      al, dx
        movzx   eax, al
        mov     esi, msg_ide_status
        call    report
        mov     dx, IDE_DATA            ; 2. a driver's sector read, 4 words of it: 1 INSW
        mov     edi, sector
        mov     ecx, 4
        rep insw
        mov     eax, [sector]
        mov     esi, msg_ide_data
        call    report
        mov     al, CMOS_SHUTDOWN       ; 3. the CMOS shutdown byte: 1 OUT, 1 IN
        out     CMOS_INDEX, al
        in      al, CMOS_DATA
        movzx   eax, al
        mov     esi, msg_cmos
        call    report
        mov     dx, PCI_ADDRESS         ; 4. PCI configuration dword 0: 1 OUT, 1 IN
        mov     eax, PCI_ENABLE
        out     dx, eax
        mov     dx, PCI_DATA
        in      eax, dx
        mov     esi, msg_pci
        call    report

        mov     esi, msg_done
        call    puts
        xor     eax, eax
        jmp     exit

; report: prints the text at ESI, EAX as 8 hex digits and a newline.
report:
        call    puts
        call    puthex
        mov     al, 10
        call    putc
        ret

%include "com1.inc"

%include "hex.inc"
%include "exit.inc"

msg_start:      db "attack-ports: IN and OUT to the disk, the CMOS and PCI configuration space", 10, 0
msg_ide_status: db "ide status (in 1F7h): ", 0
msg_ide_data:   db "ide data (rep insw from 1F0h), first dword: ", 0
msg_cmos:       db "cmos shutdown byte (out 70h, in 71h): ", 0
msg_pci:        db "pci config dword 0 (out CF8h, in CFCh): ", 0
msg_done:       db "attack-ports: done; all ones is what an empty bus answers", 10, 0
        align   4
sector:         times 8 db 0
