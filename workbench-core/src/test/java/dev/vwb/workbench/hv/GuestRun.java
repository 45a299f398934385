package dev.vwb.workbench.hv;

import dev.vwb.machine.Machine;
import dev.vwb.machine.RunResult;
import dev.vwb.machine.loader.KernelFormatException;
import dev.vwb.machine.loader.MultibootLoader;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** One run of a Multiboot kernel, bare or under the hypervisor: what it printed on COM1 and how it ended. */
record GuestRun(RunResult result, String output, int exitStatus, Hypervisor hypervisor) {
    static final int MEMORY_MIB = 32;
    static final long BUDGET = 50_000_000;

    /** Runs {@code kernel}; {@code mode} null runs it bare. */
    static GuestRun of(byte[] kernel, Hypervisor.Mode mode) {
        Machine machine = Machine.builder().ramMiB(MEMORY_MIB).build();
        try {
            MultibootLoader.load(machine, kernel);
        } catch (KernelFormatException e) {
            throw new AssertionError(e);
        }
        Hypervisor hv = mode == null ? null : Hypervisor.boot(machine, mode);
        if (hv != null) {
            machine = hv.machine();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        machine.com1().setSink(out::write);
        RunResult result = machine.run(BUDGET);
        if (hv != null) {
            hv.afterRun(result);
        }
        return new GuestRun(result, out.toString(StandardCharsets.ISO_8859_1), machine.exitDevice().exitStatus() & 0xFF, hv);
    }
}
