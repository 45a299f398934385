package dev.vwb.workbench.hv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vwb.machine.StopReason;
import dev.vwb.machine.asm.Assembler;
import dev.vwb.machine.asm.Assembly;
import org.junit.jupiter.api.Test;

/**
 * Every port the guest kernel touches is an exit, whatever the port: the hypervisor's TSS has no
 * I/O permission bitmap (its map base lies past the TSS's limit), so at ring 1 with IOPL 0 each
 * IN and OUT faults (SDM Vol. 1 §19.5.2). A map base of 0 once let the guest reach the ports
 * below 340h directly, the 8259A and the exit device among them.
 */
class PortIoExitTest {
    /** A Multiboot kernel that writes to ports 80h (twice: immediate and DX forms) and 20h, reads 80h, then exits. */
    private static final String KERNEL = String.join("\n",
            "        bits 32",
            "        org 0x100000",
            "mb:     dd 0x1BADB002, 1 << 16, -(0x1BADB002 + (1 << 16))",
            "        dd mb, mb, 0, 0, entry",
            "entry:  mov al, 0xFF",
            "        out 0x80, al",
            "        mov dx, 0x80",
            "        out dx, al",
            "        in al, 0x80",
            "        out 0x21, al            ; the master 8259A's mask",
            "        xor eax, eax",
            "        out 0xF4, al            ; the exit device",
            "        hlt",
            "");

    @Test
    void portsBelow340hAreExitsToo_eachInAndOutOnce() {
        Assembly a = Assembler.assemble(KERNEL, "ports.asm");
        assertTrue(a.ok(), a.errors().toString());
        KernelRun hv = KernelRun.of(a.bytes(), Hypervisor.Mode.PATCH);
        assertEquals(StopReason.EXIT_DEVICE, hv.result().reason(), hv.result().toString());
        ExitLog exits = hv.hypervisor().exits();
        assertEquals(5, exits.count(ExitReason.PORT_IO), exits.table());
        assertEquals(java.util.List.of(0x80, 0x80, 0x80, 0x21, 0xF4), exits.recent().stream()
                .filter(e -> e instanceof VmExit.PortIo).map(e -> ((VmExit.PortIo) e).port()).toList());
    }
}
