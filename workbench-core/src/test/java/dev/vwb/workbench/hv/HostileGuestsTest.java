package dev.vwb.workbench.hv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vwb.machine.Machine;
import dev.vwb.machine.RunResult;
import dev.vwb.machine.StopReason;
import dev.vwb.machine.asm.Assembler;
import dev.vwb.machine.asm.Assembly;
import dev.vwb.machine.loader.FlatBinaryLoader;
import org.junit.jupiter.api.Test;

/**
 * Guests that misbehave end with a clear result, and the hypervisor never throws into the
 * caller: a guest that fills its descriptor tables with garbage, one that loops in exceptions,
 * one that spins forever, one that starts in real mode.
 */
class HostileGuestsTest {
    private static Machine load(String source) throws Exception {
        Assembly a = Assembler.assemble("bits 32\norg 0x100000\n" + source, "hostile.asm");
        assertTrue(a.ok(), a.errors().toString());
        Machine m = Machine.builder().ramMiB(8).build();
        FlatBinaryLoader.load(m, a.bytes(), 0x100000, FlatBinaryLoader.Mode.PROTECTED);
        return m;
    }

    @Test
    void garbageDescriptorTablesEndInATripleFaultTheHypervisorReports() throws Exception {
        Machine m = load("""
                lgdt [gdtr]
                lidt [gdtr]
                mov ax, 0x10
                mov ds, ax
                hlt
                gdtr: dw 0xFFFF
                      dd garbage
                garbage: times 512 db 0xA7, 0x3C, 0xFF, 0x91
                """);
        Hypervisor hv = Hypervisor.boot(m, Hypervisor.Mode.PATCH);
        RunResult r = hv.machine().run(1_000_000);
        assertEquals(StopReason.SHUTDOWN, r.reason(), r.toString());
        assertTrue(hv.afterRun(r).contains("triple-faulted"));
        assertEquals(1, hv.exits().count(ExitReason.TRIPLE_FAULT));
        assertEquals(2, hv.exits().count(ExitReason.PRIVILEGED_INSTRUCTION), hv.exits().table());  // LGDT, LIDT
    }

    @Test
    void aGuestLoopingInExceptionsRunsUntilItsBudgetIsUsedUp() throws Exception {
        Machine m = load("""
                mov esp, 0x90000
                lidt [idtr]
                ud2
                idtr: dw 6 * 8 + 7
                      dd idt
                idt:  times 6 dq 0
                      dw handler, 0x10, 0x8E00, 0x0010   ; #UD: interrupt gate to 10h:handler (the loader's code selector)
                handler: ud2
                """);
        Hypervisor hv = Hypervisor.boot(m, Hypervisor.Mode.TRAP);
        RunResult r = hv.machine().run(10_000);
        assertEquals(StopReason.INSTRUCTION_LIMIT, r.reason(), r.toString());
        assertTrue(hv.exits().count(ExitReason.GUEST_EXCEPTION) > 1000, hv.exits().table());
        assertEquals("", hv.afterRun(r));
    }

    @Test
    void aGuestSpinningForeverIsStoppedByItsBudget() throws Exception {
        Machine m = load("spin: jmp spin\n");
        Hypervisor hv = Hypervisor.boot(m, Hypervisor.Mode.PATCH);
        RunResult r = hv.machine().run(100_000);
        assertEquals(StopReason.INSTRUCTION_LIMIT, r.reason());
        // Only the shadow's first fill of the code page: the loop itself never leaves the guest.
        assertEquals(hv.exits().count(ExitReason.HIDDEN_PAGE_FAULT), hv.exits().total(), hv.exits().table());
        assertTrue(hv.exits().total() <= 2, hv.exits().table());
    }

    @Test
    void aRealModeGuestIsAOneLineError() throws Exception {
        Assembly a = Assembler.assemble("bits 16\nhlt\n", "real.asm");
        Machine m = Machine.builder().ramMiB(8).build();
        FlatBinaryLoader.load(m, a.bytes(), 0x7C00, FlatBinaryLoader.Mode.REAL);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Hypervisor.boot(m, Hypervisor.Mode.PATCH));
        assertTrue(e.getMessage().contains("real mode"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
    }

    @Test
    void haltWithInterruptsDisabledEndsTheRunAsOnBareHardware() throws Exception {
        Machine m = load("cli\nhlt\n");
        Hypervisor hv = Hypervisor.boot(m, Hypervisor.Mode.PATCH);
        RunResult r = hv.machine().run(100_000);
        assertEquals(StopReason.HALTED, r.reason(), r.toString());
        assertEquals(1, hv.exits().count(ExitReason.HALT), hv.exits().table());
    }
}
