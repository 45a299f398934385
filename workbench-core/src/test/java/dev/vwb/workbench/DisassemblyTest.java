package dev.vwb.workbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DisassemblyTest {
    @Test
    void disassemblyFromASymbolShowsItsLabelAndTheInstructions() {
        Vm vm = Workbench.assemble(Guests.HELLO);
        Disassembly d = vm.disassemble("start", 3);
        assertEquals(3, d.lines().size());
        assertEquals("start", d.lines().get(0).label());
        assertEquals("mov dx,0xe9", d.lines().get(0).text());
        assertTrue(d.toString().startsWith("           <start>:\n=> 00007C00  BAE900"), d.toString());
    }

    @Test
    void anEquConstantEqualToAnAddressNamesNoCode_itsLabelDoes() {
        Vm vm = Workbench.fromAssembly("""
                bits 32
                org 0x100000
                LOAD_ADDRESS equ 0x100000       ; a value that happens to equal start's address
                start:  nop
                        hlt
                """).protectedMode(0x100000).build();
        assertEquals("start", vm.disassemble(0x100000, 1).lines().get(0).label());
        assertEquals("start+0x1", vm.symbols().describe(0x100001, 16).orElseThrow());
        assertEquals(0x100000L, vm.symbols().address("LOAD_ADDRESS"), "constants are still found by name");
        assertTrue(vm.where().toString().contains("<start>"), vm.where().toString());
    }

    @Test
    void disassemblyAroundTheCurrentInstructionMarksIt() {
        Vm vm = Workbench.assemble(Guests.HELLO);
        vm.step(4);
        Disassembly d = vm.disassemble();
        Disassembly.Line current = d.current().orElseThrow();
        assertEquals("out dx,al", current.text());
        assertEquals(vm.where().linear(), current.address());
        assertTrue(d.lines().indexOf(current) >= 3, d.toString());  // instructions before it are shown too
        assertTrue(d.toString().contains("<done>:"), d.toString());
    }

    @Test
    void protectedModeCodeIsDecodedAs32Bit() {
        Vm vm = Workbench.fromAssembly(Guests.PAGING).protectedMode(0x100000).build();
        Disassembly d = vm.disassemble(0x100000, 2);
        assertEquals(32, d.bits());
        assertEquals("mov edi,0x200000", d.lines().get(0).text());
    }
}
