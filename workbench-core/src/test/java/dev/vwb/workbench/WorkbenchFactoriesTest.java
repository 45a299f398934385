package dev.vwb.workbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vwb.machine.asm.Assembler;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkbenchFactoriesTest {
    /** What QEMU prints for the demo guest (machine's BundledGuestsTest pins the same text). */
    static final String DEMO_OUTPUT = """
            ============================================
             vwb demo: a little program on a bare x86 PC
            ============================================
            [real mode] Hello! The CPU started in 16-bit real mode at F000:FFF0.
            [real mode] Loading a GDT and setting CR0.PE ...
            [protected mode] hello from protected mode! 32-bit code, flat 4 GiB segments.
            [protected mode] The primes below 100, by the sieve of Eratosthenes in RAM:
              2 3 5 7 11 13 17 19 23 29 31 37 41 43 47 53 59 61 67 71 73 79 83 89 97
              ... that makes 25 primes.
            [protected mode] The first 20 Fibonacci numbers:
              0 1 1 2 3 5 8 13 21 34 55 89 144 233 377 610 987 1597 2584 4181
            [protected mode] Done. Writing 0 to port F4h to power off. Bye!
            """;

    @Test
    void bundledDemoRunsToItsExitAndPrintsAsQemuDoes() {
        Vm vm = Workbench.bundled("demo");
        assertEquals(0xFFF0, vm.eip());
        RunReport r = vm.run();
        assertEquals(Outcome.EXITED, r.outcome(), r::toString);
        assertEquals(DEMO_OUTPUT, vm.console());
        assertTrue(r.instructions() > 1000);
    }

    @Test
    void bundledGuestWhoseSourceTheAssemblerCannotTakeHasNoSymbolsRatherThanWrongOnes() {
        // demo.asm uses NASM's "section ... start= vstart=", which the built-in assembler lacks.
        Vm vm = Workbench.bundled("demo");
        assertTrue(vm.symbols().isEmpty(), vm.symbols()::toString);
    }

    @Test
    void unknownBundledGuestNamesTheBundledOnes() {
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> Workbench.bundled("doom"));
        assertTrue(e.getMessage().contains("demo"), e.getMessage());
    }

    @Test
    void assemblyTextRunsAsAFlatRealModeBinaryAt7C00() {
        Vm vm = Workbench.assemble(Guests.HELLO);
        assertEquals(0x7C0, vm.reg("cs"));
        RunReport r = vm.run();
        assertEquals(Outcome.HALTED, r.outcome(), r::toString);
        assertEquals("Hi", vm.console());
        assertEquals(0, vm.symbols().address("start"));  // an offset in CS
    }

    @Test
    void assemblyErrorsListEveryDiagnosticOnItsOwnLine() {
        AssemblyException e = assertThrows(AssemblyException.class,
                () -> Workbench.assemble("mov ax, 1\nfrobnicate eax\nmov bx, [nowhere]\n"));
        assertEquals(2, e.diagnostics().size(), e.getMessage());
        assertEquals(3, e.getMessage().split("\n").length, e.getMessage());
        assertTrue(e.getMessage().contains("guest.asm:2:"), e.getMessage());
    }

    @Test
    void flatBinaryBytesStartInProtectedModeAtTheirAddress() {
        byte[] code = Assembler.assemble("bits 32\norg 0x100000\nmov eax, 42\nhlt\n", "t.asm").bytes();
        Vm vm = Workbench.fromBytes(code).protectedMode(0x100000).build();
        assertEquals(0x100000, vm.eip());
        vm.run();
        assertEquals(42, vm.reg("eax"));
    }

    @Test
    void multibootKernelFileStartsInTheMultibootState(@TempDir Path dir) throws Exception {
        String kernel = """
                bits 32
                org 0x100000
                header: dd 0x1BADB002, 0x00010000, -(0x1BADB002 + 0x00010000)
                        dd header, header, 0, 0, start
                start:  mov dx, 0xe9
                        mov al, 'K'
                        out dx, al
                        hlt
                """;
        Path file = dir.resolve("kernel.bin");
        Files.write(file, Assembler.assemble(kernel, "kernel.asm").bytes());
        Vm vm = Workbench.kernel(file);
        assertEquals(0x2BADB002L, vm.reg("eax"));
        vm.run();
        assertEquals("K", vm.console());
    }

    @Test
    void fileWithoutMultibootHeaderAsksHowToPlaceIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("raw.bin");
        Files.write(file, new byte[] {(byte) 0xF4});
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> Workbench.kernel(file));
        assertTrue(e.getMessage().contains("realMode") && !e.getMessage().contains("\n"), e.getMessage());
        Vm vm = Workbench.fromFile(file).rom().build();
        assertEquals(0xF000, vm.reg("cs"));
    }

    @Test
    void missingFileIsAOneLineError(@TempDir Path dir) {
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> Workbench.kernel(dir.resolve("nope")));
        assertTrue(e.getMessage().startsWith("cannot read"), e.getMessage());
    }

    @Test
    void ramSizeIsChecked() {
        assertThrows(WorkbenchException.class, () -> Workbench.fromBundled("demo").ramMiB(0));
        assertEquals(32 << 20, Workbench.fromBundled("demo").ramMiB(32).build().machine().memory().ramSize());
    }
}
