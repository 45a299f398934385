package dev.vwb.machine.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vwb.machine.Machine;
import dev.vwb.machine.RunResult;
import dev.vwb.machine.StopReason;
import dev.vwb.machine.bench.QemuRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flat binaries and ROM images from src/test/resources/dev/vwb/machine/flat, assembled with
 * nasm. QEMU cannot load a flat binary at an address, so those programs print the state they
 * started in and the test holds it against FlatBinaryLoader's documented start state; the ROM
 * image runs under {@code qemu-system-i386 -bios} too and must print the same.
 */
class FlatBinaryLoaderTest {
    private static final Path SOURCES = Path.of("src/test/resources/dev/vwb/machine/flat");
    private static final int MEMORY_MIB = 16;

    @TempDir
    Path dir;

    static byte[] assemble(String name, Path dir) throws Exception {
        Path out = dir.resolve(name + ".bin");
        Process p = new ProcessBuilder("nasm", "-f", "bin", "-i", SOURCES + "/", "-o", out.toString(),
                SOURCES.resolve(name + ".asm").toString())
                .redirectErrorStream(true).start();
        String messages = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "nasm failed (./vwb test installs it): " + messages);
        return Files.readAllBytes(out);
    }

    private static Machine machine() {
        return Machine.builder().ramMiB(MEMORY_MIB).build();
    }

    private static RunResult runToExit(Machine m) {
        RunResult r = m.run(1_000_000);
        assertEquals(StopReason.EXIT_DEVICE, r.reason(), () -> r + "\n" + m.debugConsole().output());
        return r;
    }

    @Test
    void realModeBinaryStartsWithCsAtItsAddressAndTheStackAtTheSegmentTop() throws Exception {
        Machine m = machine();
        FlatBinaryLoader.load(m, assemble("real", dir), 0x7C00, FlatBinaryLoader.Mode.REAL);
        runToExit(m);
        assertEquals("real: cs=07C0 ip=0000 ds=07C0 es=07C0 ss=07C0 sp=0000 flags=0002\n"
                + "real: sum 1..100 = 13BA\n", m.debugConsole().output());
        assertEquals(0x21, m.exitDevice().value());
    }

    @Test
    void realModeBinaryRunsAtAnyParagraph() throws Exception {
        Machine m = machine();
        FlatBinaryLoader.load(m, assemble("real", dir), 0x9_0000, FlatBinaryLoader.Mode.REAL);
        runToExit(m);
        assertTrue(m.debugConsole().output().startsWith("real: cs=9000 ip=0000 ds=9000 es=9000 ss=9000 sp=0000"),
                m.debugConsole().output());
    }

    @Test
    void protectedModeBinaryStartsFlatAtItsAddressWithTheStackAtTheTopOfRam() throws Exception {
        Machine m = machine();
        FlatBinaryLoader.load(m, assemble("protected", dir), 0x10_0000, FlatBinaryLoader.Mode.PROTECTED);
        runToExit(m);
        assertEquals("protected: cs=0010 ds=0018 ss=0018 eip=00100000 esp=01000000 cr0=00000011 eflags=00000002\n"
                + "protected: sum 1..1000 = 0007A314\n", m.debugConsole().output());
        assertEquals(0x22, m.exitDevice().value());
    }

    @Test
    void romImageStartsAtTheResetVectorAsUnderQemuBios() throws Exception {
        byte[] rom = RomImage.fit(assemble("rom", dir));
        assertEquals(0x10000, rom.length);
        Machine m = Machine.builder().ramMiB(MEMORY_MIB).bios(rom).build();
        runToExit(m);
        String expected = "rom: started at F000:FFF0, running in cs=F000\nrom: sum 1..100 = 13BA\n";
        assertEquals(expected, m.debugConsole().output());

        Assumptions.assumeTrue(QemuRunner.available(), "qemu-system-i386 is not installed: " + QemuRunner.INSTALL_HINT);
        QemuRunner.Result qemu = new QemuRunner().run(rom);
        assertEquals(qemu.debugOutput(), m.debugConsole().output(), "console output");
        assertEquals(qemu.exitStatus(), m.exitDevice().exitStatus() & 0xFF, "exit status (QEMU said: " + qemu.messages() + ")");
    }

    @Test
    void romImagesArePaddedBelowToTheWindowOrRefused() throws Exception {
        byte[] small = {1, 2, 3};
        byte[] fitted = RomImage.fit(small);
        assertEquals(0x10000, fitted.length);
        assertEquals(3, fitted[0xFFFF]);
        assertEquals((byte) 0xFF, fitted[0]);
        assertEquals(0x20000, RomImage.fit(new byte[0x10001]).length);
        KernelFormatException big = assertThrows(KernelFormatException.class, () -> RomImage.fit(new byte[0x20001]));
        assertTrue(big.getMessage().contains("at most 128 KiB"), big.getMessage());
        assertThrows(KernelFormatException.class, () -> RomImage.fit(new byte[0]));
    }

    @Test
    void binariesOutsideWhatTheModeReachesAreRefusedWithAReason() {
        byte[] code = new byte[0x100];
        KernelFormatException notInRam = assertThrows(KernelFormatException.class,
                () -> FlatBinaryLoader.load(machine(), code, (MEMORY_MIB << 20) - 0x80, FlatBinaryLoader.Mode.PROTECTED));
        assertTrue(notInRam.getMessage().contains("does not fit in the RAM"), notInRam.getMessage());
        KernelFormatException aboveOneMiB = assertThrows(KernelFormatException.class,
                () -> FlatBinaryLoader.load(machine(), code, 0xFFF80, FlatBinaryLoader.Mode.REAL));
        assertTrue(aboveOneMiB.getMessage().contains("first MiB"), aboveOneMiB.getMessage());
        KernelFormatException onTheGdt = assertThrows(KernelFormatException.class,
                () -> FlatBinaryLoader.load(machine(), code, 0x400, FlatBinaryLoader.Mode.PROTECTED));
        assertTrue(onTheGdt.getMessage().contains("1000h or above"), onTheGdt.getMessage());
        Machine oneMiB = Machine.builder().ramMiB(1).build();
        KernelFormatException stack = assertThrows(KernelFormatException.class,
                () -> FlatBinaryLoader.load(oneMiB, code, 0xF8000, FlatBinaryLoader.Mode.REAL));
        assertTrue(stack.getMessage().contains("stack"), stack.getMessage());
    }
}
