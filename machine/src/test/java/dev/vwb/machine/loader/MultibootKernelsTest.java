package dev.vwb.machine.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vwb.machine.Machine;
import dev.vwb.machine.RunResult;
import dev.vwb.machine.StopReason;
import dev.vwb.machine.bench.QemuRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Multiboot kernels under src/test/resources/dev/vwb/machine/kernels, assembled with nasm,
 * run under {@code qemu-system-i386 -kernel} and under vwb's loader: their COM1 output and exit
 * status must be identical. A kernel that ends in a triple fault makes QEMU (run with -no-reboot)
 * exit with status 0, and vwb stop with a shutdown event.
 */
class MultibootKernelsTest {
    private static final Path KERNELS = Path.of("src/test/resources/dev/vwb/machine/kernels");
    private static final int MEMORY_MIB = 16;

    static Stream<String> kernels() throws IOException {
        try (Stream<Path> files = Files.list(KERNELS)) {
            List<String> names = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".asm")).sorted().toList();
            return names.stream();
        }
    }

    private static byte[] assemble(String name, Path dir) throws Exception {
        Path out = dir.resolve(name + ".bin");
        Process p = new ProcessBuilder("nasm", "-f", "bin", "-i", KERNELS + "/", "-o", out.toString(),
                KERNELS.resolve(name).toString())
                .redirectErrorStream(true).start();
        String messages = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "nasm failed (./vwb test installs it): " + messages);
        return Files.readAllBytes(out);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void sameSerialOutputAndExitStatusAsQemu(String name, @TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(QemuRunner.available(), "qemu-system-i386 is not installed: " + QemuRunner.INSTALL_HINT);
        byte[] kernel = assemble(name, dir);

        Machine machine = Machine.builder().ramMiB(MEMORY_MIB).build();
        MultibootLoader.load(machine, kernel);
        RunResult result = machine.run(100_000_000);
        QemuRunner.Result qemu = new QemuRunner(MEMORY_MIB, java.time.Duration.ofMinutes(2)).runKernel(kernel);

        assertEquals(qemu.serialOutput(), machine.com1().transmitted(), "COM1 output");
        if (qemu.exitValue().isPresent()) {
            assertEquals(StopReason.EXIT_DEVICE, result.reason(), () -> result + "\n" + machine.com1().transmitted());
            assertEquals(qemu.exitStatus(), machine.exitDevice().exitStatus() & 0xFF, "exit status (QEMU said: " + qemu.messages() + ")");
        } else {
            // A triple fault: QEMU, started with -no-reboot, exits with status 0 instead of resetting;
            // vwb stops with a shutdown event.
            assertEquals(0, qemu.exitStatus(), () -> "QEMU said: " + qemu.messages());
            assertEquals(StopReason.SHUTDOWN, result.reason(), () -> result + "\n" + machine.com1().transmitted());
        }
    }

    @Test
    void aFileWithoutAMultibootHeaderIsRefusedWithAReason() {
        Machine machine = Machine.builder().ramMiB(MEMORY_MIB).build();
        KernelFormatException e = assertThrows(KernelFormatException.class, () -> MultibootLoader.load(machine, new byte[4096]));
        assertTrue(e.getMessage().contains("no Multiboot header"), e.getMessage());
    }

    @Test
    void aKernelThatDoesNotFitInMemoryIsRefusedWithAReason(@TempDir Path dir) throws Exception {
        byte[] kernel = assemble("multiboot_info.asm", dir);
        Machine small = Machine.builder().ramMiB(1).build();
        KernelFormatException e = assertThrows(KernelFormatException.class, () -> MultibootLoader.load(small, kernel));
        assertTrue(e.getMessage().contains("outside the RAM"), e.getMessage());
    }

    @Test
    void anElfWithoutProgramHeadersIsRefusedWithAReason() {
        byte[] elf = new byte[128];
        elf[0] = 0x7F;
        elf[1] = 'E';
        elf[2] = 'L';
        elf[3] = 'F';
        elf[4] = 1;   // 32-bit
        elf[5] = 1;   // little-endian
        elf[18] = 3;  // EM_386
        // A Multiboot header without the a.out kludge at offset 64, so the ELF headers are used.
        putInt(elf, 64, MultibootLoader.HEADER_MAGIC);
        putInt(elf, 68, 0);
        putInt(elf, 72, -MultibootLoader.HEADER_MAGIC);
        Machine machine = Machine.builder().ramMiB(MEMORY_MIB).build();
        KernelFormatException e = assertThrows(KernelFormatException.class, () -> MultibootLoader.load(machine, elf));
        assertTrue(e.getMessage().contains("program headers"), e.getMessage());
    }

    private static void putInt(byte[] b, int at, int v) {
        for (int k = 0; k < 4; k++) {
            b[at + k] = (byte) (v >>> (8 * k));
        }
    }
}
