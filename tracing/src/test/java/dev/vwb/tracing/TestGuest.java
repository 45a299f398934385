package dev.vwb.tracing;

import dev.vwb.machine.Machine;
import dev.vwb.machine.asm.Assembler;
import dev.vwb.machine.asm.Assembly;
import dev.vwb.machine.loader.FlatBinaryLoader;
import java.util.Map;

/** A guest assembled from source and loaded at 10000h in flat 32-bit protected mode (CS 10h, data 18h). */
record TestGuest(Machine machine, Map<String, Long> symbols) {
    static final long ORG = 0x10000;

    static TestGuest of(String body) {
        Assembly a = Assembler.assemble("bits 32\norg 0x10000\n" + body, "guest.asm");
        if (!a.ok()) {
            throw new IllegalStateException("test guest does not assemble: " + a.errors());
        }
        Machine m = Machine.builder().ramMiB(2).build();
        try {
            FlatBinaryLoader.load(m, a.bytes(), ORG, FlatBinaryLoader.Mode.PROTECTED);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return new TestGuest(m, a.symbols());
    }

    long at(String label) {
        Long v = symbols.get(label);
        if (v == null) {
            throw new IllegalArgumentException("no label " + label + " in " + symbols.keySet());
        }
        return v;
    }

    /**
     * The guest most tests run: registers, a memory write and read, the debug console, COM1,
     * a three-pass loop, and the exit device (status 0).
     */
    static TestGuest basic() {
        return of("""
                start:
                    mov eax, 5
                    mov ebx, 0x20000
                store:
                    mov [ebx], eax
                load:
                    mov ecx, [ebx]
                    mov al, 'A'
                console:
                    out 0xE9, al
                    mov dx, 0x3F8
                    mov al, 'B'
                    out dx, al
                    mov ecx, 3
                again:
                    dec ecx
                    jnz again
                done:
                    mov al, 0
                    out 0xF4, al
                    hlt
                """);
    }

    /** Builds an IDT whose vector 0 goes to "handler", then divides by zero (at "divide"). */
    static TestGuest divideByZero() {
        return of("""
                start:
                    mov eax, handler
                    mov [idt], ax
                    mov word [idt+2], 0x10
                    mov word [idt+4], 0x8E00
                    shr eax, 16
                    mov [idt+6], ax
                    lidt [idtr]
                    xor ecx, ecx
                    mov eax, 1
                divide:
                    div ecx
                    hlt
                handler:
                    mov al, 0
                    out 0xF4, al
                    hlt
                align 8
                idt:
                    dq 0
                idtr:
                    dw 7
                    dd idt
                """);
    }
}
