package dev.vwb.workbench.hv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vwb.machine.StopReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The machine's QEMU-comparison kernels (machine/src/test/resources/.../kernels, each checked
 * against {@code qemu-system-i386 -kernel} by the machine's own tests) print the same bytes and
 * end the same way under the hypervisor in patch mode as bare. The kernels that use what the
 * hypervisor does not support yet are pinned too, so that the gap is known and stays honest:
 * hardware task switches stop the guest with a clear report.
 */
class MachineKernelsUnderTheHypervisorTest {
    private static final Path KERNELS = Path.of("../machine/src/test/resources/dev/vwb/machine/kernels");

    @TempDir
    static Path work;

    static byte[] assemble(String name) throws IOException, InterruptedException {
        Assumptions.assumeTrue(Files.isDirectory(KERNELS), "the machine's kernels are not beside this module");
        Path out = work.resolve(name + ".bin");
        Process p;
        try {
            p = new ProcessBuilder("nasm", "-f", "bin", "-i", KERNELS + "/", "-o", out.toString(),
                    KERNELS.resolve(name + ".asm").toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("nasm is not installed (./vwb test installs it)");
            throw e;
        }
        String messages = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), messages);
        return Files.readAllBytes(out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"multiboot_info", "pmode_setup", "exceptions", "seg_faults", "iopl_io", "ldt_conforming",
            "demand_paging", "timer_pic", "triple_fault", "paging", "user_paging", "tasks", "double_fault"})
    void printsTheSameAsBare(String name) throws Exception {
        byte[] kernel = assemble(name);
        KernelRun bare = KernelRun.of(kernel, null);
        KernelRun hv = KernelRun.of(kernel, Hypervisor.Mode.PATCH);
        assertTrue(bare.output().length() > 50, bare.output());
        assertEquals(bare.output(), hv.output());
        assertEquals(bare.result().reason(), hv.result().reason(), hv.result().toString());
        assertEquals(bare.exitStatus(), hv.exitStatus());
    }

    @Test
    void aTripleFaultEndsTheGuestWithAReportAndAnExit() throws Exception {
        KernelRun hv = KernelRun.of(assemble("triple_fault"), Hypervisor.Mode.PATCH);
        assertEquals(StopReason.SHUTDOWN, hv.result().reason());
        assertEquals(1, hv.hypervisor().exits().count(ExitReason.TRIPLE_FAULT));
        assertTrue(hv.hypervisor().afterRun(hv.result()).isEmpty(), "reported once");
    }

    @Test
    void hardwareTaskSwitchesRunInTheGuestsViewAndAreExits() throws Exception {
        KernelRun hv = KernelRun.of(assemble("tasks"), Hypervisor.Mode.PATCH);
        assertTrue(hv.hypervisor().exits().recent().stream().anyMatch(e -> e.site().action().startsWith("hardware task switch")),
                hv.hypervisor().exits().table());
        assertTrue(hv.hypervisor().exits().recent().stream().anyMatch(e -> e.site().action().startsWith("through the guest's task gate")),
                hv.hypervisor().exits().table());
    }

    /**
     * Ring compression gives the guest three real rings for its four: a guest that uses rings 1
     * and 2 itself sees them collapse into its kernel's. Pinned so that the gap stays known.
     */
    @ParameterizedTest
    @ValueSource(strings = {"call_gates", "tss_stacks"})
    void guestsUsingRingsOneAndTwoDiverge(String name) throws Exception {
        byte[] kernel = assemble(name);
        KernelRun bare = KernelRun.of(kernel, null);
        KernelRun hv = KernelRun.of(kernel, Hypervisor.Mode.PATCH);
        assertTrue(bare.output().contains("ring 1") || bare.output().contains("CS=00000031"), bare.output());
        assertTrue(!bare.output().equals(hv.output()));
    }
}
