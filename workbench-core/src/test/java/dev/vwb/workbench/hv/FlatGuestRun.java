package dev.vwb.workbench.hv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vwb.machine.Machine;
import dev.vwb.machine.RunResult;
import dev.vwb.machine.StopReason;
import dev.vwb.machine.asm.Assembler;
import dev.vwb.machine.asm.Assembly;
import dev.vwb.machine.loader.FlatBinaryLoader;

/**
 * A small protected-mode guest written in the test (NASM syntax, {@code org 0x100000}) run until
 * it halts, bare ({@code mode} null) or under the hypervisor; its labels read back what it stored.
 */
record FlatGuestRun(Assembly assembly, Machine machine, Hypervisor hypervisor) {
    static FlatGuestRun untilHalt(String source, Hypervisor.Mode mode) throws Exception {
        Assembly a = Assembler.assemble(source, "guest.asm");
        assertTrue(a.ok(), a.errors().toString());
        Machine m = Machine.builder().ramMiB(8).build();
        FlatBinaryLoader.load(m, a.bytes(), 0x100000, FlatBinaryLoader.Mode.PROTECTED);
        Hypervisor hv = mode == null ? null : Hypervisor.boot(m, mode);
        Machine run = hv == null ? m : hv.machine();
        RunResult r = run.run(1_000_000);
        assertEquals(StopReason.HALTED, r.reason(), r.toString());
        return new FlatGuestRun(a, run, hv);
    }

    /** The dword at label {@code symbol} plus {@code offset}: in the guest's slice of host memory under the hypervisor. */
    int read32(String symbol, int offset) {
        int gpa = assembly.symbols().get(symbol).intValue() + offset;
        return machine.memory().read32(hypervisor == null ? gpa : (int) hypervisor.p2m().toHost(gpa));
    }

    int read32(String symbol) {
        return read32(symbol, 0);
    }
}
