package dev.vwb.workbench.hv;

import dev.vwb.machine.Machine;
import dev.vwb.machine.RunResult;
import dev.vwb.machine.loader.KernelFormatException;
import dev.vwb.machine.loader.MultibootLoader;
import dev.vwb.workbench.FlightRecorder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * One whole run of a Multiboot kernel, bare or under the hypervisor: what it printed on COM1 and
 * how it ended. Equivalence - the same output bare and virtualized - is the oracle of the
 * hypervisor's tests and of the exercises' graded tests:
 *
 * <pre>{@code
 * byte[] kernel = KernelGuests.image("teachkernel");
 * assertEquals(KernelRun.bare(kernel).output(),
 *              KernelRun.under(kernel, Hypervisor.Mode.PATCH, mine).output());
 * }</pre>
 *
 * @param result     how the run ended
 * @param output     every byte the guest sent out of COM1, as ISO-8859-1 characters
 * @param exitStatus what the guest wrote to the exit device (port F4h), 0-255
 * @param hypervisor the hypervisor it ran under, or null for a bare run
 */
public record KernelRun(RunResult result, String output, int exitStatus, Hypervisor hypervisor) {
    /** The guest's RAM. */
    public static final int MEMORY_MIB = 32;
    /** Instructions a run may take: far more than any bundled guest needs. */
    public static final long BUDGET = 50_000_000;

    /** {@code kernel} on a bare machine. */
    public static KernelRun bare(byte[] kernel) {
        return run(kernel, null, Extensions.REFERENCE, m -> { });
    }

    /** {@code kernel} bare ({@code mode} null) or under the reference hypervisor in {@code mode}. */
    public static KernelRun of(byte[] kernel, Hypervisor.Mode mode) {
        return run(kernel, mode, Extensions.REFERENCE, m -> { });
    }

    /** {@code kernel} under the hypervisor in {@code mode}, booted with {@code extensions}. */
    public static KernelRun under(byte[] kernel, Hypervisor.Mode mode, Extensions extensions) {
        return run(kernel, mode, extensions, m -> { });
    }

    /**
     * {@code kernel} bare ({@code mode} null) or under the hypervisor; {@code prepare} sees the
     * machine the guest is about to run on (the host machine, under the hypervisor) first.
     *
     * @throws IllegalArgumentException if {@code kernel} is not a Multiboot kernel
     */
    public static KernelRun run(byte[] kernel, Hypervisor.Mode mode, Extensions extensions, Consumer<Machine> prepare) {
        Machine machine = Machine.builder().ramMiB(MEMORY_MIB).build();
        try {
            MultibootLoader.load(machine, kernel);
        } catch (KernelFormatException e) {
            throw new IllegalArgumentException("not a Multiboot kernel: " + e.getMessage(), e);
        }
        Hypervisor hv = mode == null ? null : Hypervisor.boot(machine, mode, extensions);
        if (hv != null) {
            machine = hv.machine();
        }
        prepare.accept(machine);
        FlightRecorder.watch(hv == null ? "a kernel, bare" : "a kernel under the hypervisor (" + mode.label() + ")",
                machine, hv != null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        machine.com1().setSink(out::write);
        RunResult result = machine.run(BUDGET);
        if (hv != null) {
            hv.afterRun(result);
        }
        return new KernelRun(result, out.toString(StandardCharsets.ISO_8859_1), machine.exitDevice().exitStatus() & 0xFF, hv);
    }
}
