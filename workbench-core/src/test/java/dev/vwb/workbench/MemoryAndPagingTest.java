package dev.vwb.workbench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MemoryAndPagingTest {
    private Vm vm;

    @BeforeEach
    void pagingOn() {
        vm = Workbench.fromAssembly(Guests.PAGING).protectedMode(0x100000).build();
        RunReport r = vm.run();
        assertEquals(Outcome.HALTED, r.outcome(), r::toString);
        assertTrue((vm.reg("cr0") & 0x8000_0000L) != 0, "paging should be on");
    }

    @Test
    void virtualViewReadsThroughThePageTablesPhysicalViewDoesNot() {
        vm.physical().write32(0x5000, 0xCAFEF00D);
        vm.physical().write32(0x3000, 0x11111111);
        assertEquals(0xCAFEF00D, vm.virtual().read32(0x3000));
        assertEquals(0x11111111, vm.physical().read32(0x3000));
        assertEquals(0x5004, vm.virtual().toPhysical(0x3004));
    }

    @Test
    void virtualWriteLandsInTheMappedFrame() {
        vm.virtual().write8(0x400010, 0x5A);
        assertEquals(0x5A, vm.physical().read8(0x800010));
    }

    @Test
    void walkOfAPresentPageShowsBothLevelsAndTheFrame() {
        PageWalk w = vm.walk(0x3123);
        assertFalse(w.faults());
        assertEquals(0, w.directoryIndex());
        assertEquals(3, w.tableIndex());
        assertEquals(0x200000, w.pdeAddress());
        assertEquals(0x20100C, w.pteAddress());
        assertEquals(0x5123, w.physical());
        assertTrue(w.pde().present() && w.pde().writable() && !w.pde().user());
        String text = w.toString();
        assertTrue(text.contains("PDE #0") && text.contains("PTE #3") && text.contains("physical 00005123"), text);
    }

    @Test
    void walkOfA4MiBPageHasNoTableLevel() {
        PageWalk w = vm.walk(0x400123);
        assertTrue(w.largePage());
        assertNull(w.pte());
        assertEquals(0x800123, w.physical());
        assertTrue(w.toString().contains("4 MiB page"), w.toString());
    }

    @Test
    void walkOfAMissingPageGivesTheFaultAndItsErrorCode() {
        PageWalk read = vm.walk(0xC00000);
        assertTrue(read.faults());
        assertEquals(0, read.errorCode());
        assertEquals(6, vm.walk(0xC00000, Access.USER_WRITE).errorCode());
        assertTrue(read.toString().contains("#PF") && read.toString().contains("not present"), read.toString());
    }

    @Test
    void walkOfASupervisorPageByTheUserIsAProtectionFault() {
        PageWalk w = vm.walk(0x3000, Access.USER_READ);
        assertEquals(5, w.errorCode());  // P=1 (present), W/R=0, U/S=1
        assertTrue(w.fault().contains("supervisor page"), w.fault());
    }

    @Test
    void readingAnUnmappedVirtualAddressIsAClearError() {
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> vm.virtual().read8(0xC00000));
        assertTrue(e.getMessage().contains("not mapped") && !e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void hexDumpShowsSixteenBytesPerLineAndUnmappedBytesAsQuestionMarks() {
        vm.physical().write(0x5000, "Hello, <world>!\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        String dump = vm.virtual().dump(0x3000, 16).toString();
        assertEquals("00003000  48 65 6C 6C 6F 2C 20 3C  77 6F 72 6C 64 3E 21 00  |Hello, <world>!.|\n", dump);
        String edge = vm.virtual().dump(0xBFFFF8, 16).toString();
        assertTrue(edge.contains("?? ??"), edge);
    }

    @Test
    void withPagingOffVirtualIsPhysical() {
        Vm flat = Workbench.assemble(Guests.HELLO);
        assertFalse(flat.walk(0x7C00).paging());
        assertEquals(flat.physical().read32(0x7C00), flat.virtual().read32(0x7C00));
    }


    @Test
    void aWriteThatReachesAnUnmappedPageWritesNothing() {
        int checkpoints = vm.checkpoints();
        vm.physical().write(0xBFFFF8, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});  // where linear 7FFFF8 maps (the 4 MiB page)
        checkpoints = vm.checkpoints();
        WorkbenchException e = assertThrows(WorkbenchException.class,
                () -> vm.virtual().write(0x7FFFF8, new byte[16]));  // the last 8 bytes are on 800000h: not mapped
        assertTrue(e.getMessage().startsWith("virtual address 00800000 is not mapped"), e.getMessage());
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, vm.virtual().read(0x7FFFF8, 8));
        assertEquals(checkpoints, vm.checkpoints(), "nothing changed, so the history is the same");
    }

    @Test
    void aNegativeLengthIsAOneLineError() {
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> vm.physical().read(0, -1));
        assertEquals("a read takes a length of 0 or more bytes, not -1", e.getMessage());
        assertThrows(WorkbenchException.class, () -> vm.virtual().dump(0, -1));
    }

    @Test
    void anIntLiteralAboveTwoGiBMeansTheUnsignedAddress() {
        vm.physical().write32(0xFFFF_FFF0L, 0);  // the BIOS window: ROM, so the write is dropped
        assertEquals(vm.physical().read32(0xFFFF_FFF0L), vm.physical().read32(0xFFFFFFF0));  // the int literal is negative
    }

    @Test
    void theBreakpointCheckAndThePageWalkAgreeOnWhatIsMapped() {
        // tracing's allocation-free walker decides whether a breakpoint may be set; PageWalker explains walks.
        for (long linear : new long[] {0x0, 0x3000, 0x3FFF, 0x100000, 0x3FF000, 0x400000, 0x7FFFFF, 0xC00000, 0xFFFFF000L}) {
            boolean mapped = !vm.walk(linear).faults();
            boolean accepted;
            try {
                vm.breakAt(linear).delete();
                accepted = true;
            } catch (WorkbenchException e) {
                accepted = !e.getMessage().contains("do not map");
            }
            assertEquals(mapped, accepted, String.format("linear %08X", linear));
        }
    }
}
