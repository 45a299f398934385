package dev.vwb.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vwb.workbench.Vm;
import dev.vwb.workbench.Workbench;
import dev.vwb.workbench.WorkbenchException;
import org.junit.jupiter.api.Test;

class AddressesTest {
    /** start: at 100000h; fade: a label that reads as a hex number, at 100005h. */
    private static final Vm VM = Workbench.fromAssembly("""
            org 0x100000
            bits 32
            start: mov eax, 0x12345678   ; B8 78 56 34 12
            fade:  hlt
            """).protectedMode(0x100000).build();

    @Test
    void numbersAreHexAsTheWorkbenchPrintsThem() {
        assertEquals(0x100524, Addresses.parse(VM, "100524"));
        assertEquals(0x100524, Addresses.parse(VM, "0x100524"));
        assertEquals(0x100524, Addresses.parse(VM, "100524h"));
        assertEquals(0xC0000000L, Addresses.parse(VM, "C0000000"));
        assertEquals(0x100524, Addresses.parse(VM, "*0x100524"));
    }

    @Test
    void symbolsRegistersAndPcNameAddresses() {
        assertEquals(0x100000, Addresses.parse(VM, "start"));
        assertEquals(0x100005, Addresses.parse(VM, "fade"));
        assertEquals(0xFADEL, Addresses.parse(VM, "0xfade"));
        assertEquals(0x100000, Addresses.parse(VM, "pc"));
        assertEquals(0x100000, Addresses.parse(VM, "$eip"));
        assertEquals(VM.reg("esp"), Addresses.parse(VM, "esp"));
    }

    @Test
    void sumsAddAndSubtractHex() {
        assertEquals(0x100010, Addresses.parse(VM, "start+10"));
        assertEquals(0x100003, Addresses.parse(VM, "fade-2"));
        assertEquals(0xFFFFFFFFL, Addresses.parse(VM, "0-1"));
    }

    @Test
    void anythingElseIsAOneLineError() {
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> Addresses.parse(VM, "kmain"));
        assertEquals("'kmain' is not a hex number, a symbol (vm.symbols() lists them), a register or pc", e.getMessage());
        assertThrows(WorkbenchException.class, () -> Addresses.parse(VM, "12z"));
        assertThrows(WorkbenchException.class, () -> Addresses.parse(VM, "start+"));
        assertThrows(WorkbenchException.class, () -> Addresses.parse(VM, "123456789"));
    }
}
