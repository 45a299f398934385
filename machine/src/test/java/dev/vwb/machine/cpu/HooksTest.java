package dev.vwb.machine.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vwb.machine.Machine;
import dev.vwb.machine.RunResult;
import dev.vwb.machine.StopReason;
import dev.vwb.machine.guests.BundledGuests;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The observation hooks a debugger and a tracer build on: memory accesses, breakpoints, port I/O. */
class HooksTest {
    private record Access(int linear, int size, int value, boolean write) {
    }

    @Test
    void aMemoryListenerSeesEachDataAccessWithItsValue() throws Exception {
        // mov dword [0x2000], 0x11223344 ; add [0x2000], eax ; mov bx, [0x2002] ; hlt
        TestRig r = TestRig.flat(0xC7, 0x05, 0x00, 0x20, 0x00, 0x00, 0x44, 0x33, 0x22, 0x11,
                0x01, 0x05, 0x00, 0x20, 0x00, 0x00,
                0x66, 0x8B, 0x1D, 0x02, 0x20, 0x00, 0x00,
                0xF4);
        r.cpu.setReg(Reg32.EAX, 1);
        List<Access> seen = new ArrayList<>();
        try (AutoCloseable h = r.cpu.addMemoryListener((cpu, lin, phys, size, value, write) -> seen.add(new Access(lin, size, value, write)))) {
            r.run();
        }
        assertEquals(List.of(
                new Access(0x2000, 4, 0x11223344, true),
                new Access(0x2000, 4, 0x11223344, false),
                new Access(0x2000, 4, 0x11223345, true),
                new Access(0x2002, 2, 0x1122, false)), seen);
    }

    @Test
    void observingMemoryDoesNotChangeWhatTheGuestComputes() throws Exception {
        Machine plain = Machine.builder().bios(BundledGuests.load("bench")).build();
        RunResult expected = plain.run(2_000_000);
        Machine observed = Machine.builder().bios(BundledGuests.load("bench")).build();
        long[] writes = new long[1];
        try (AutoCloseable h = observed.cpu().addMemoryListener((cpu, lin, phys, size, value, write) -> {
            if (write) {
                writes[0]++;
            }
        })) {
            RunResult got = observed.run(2_000_000);
            assertEquals(expected.instructions(), got.instructions());
        }
        assertEquals(plain.debugConsole().output(), observed.debugConsole().output());
        assertEquals(plain.cpu().reg(Reg32.EAX), observed.cpu().reg(Reg32.EAX));
        assertTrue(writes[0] > 10_000, "the bench loop stores to memory: " + writes[0]);
    }

    @Test
    void anExecutionHookStopsBeforeTheInstruction_andTheRunCanResumePastIt() {
        // inc eax ; inc eax ; inc eax ; hlt
        TestRig r = TestRig.flat(0x40, 0x40, 0x40, 0xF4);
        int target = TestRig.CODE + 2;
        int[] resumeAt = {-1};
        r.cpu.setExecutionHook((cpu, eip) -> {
            if (eip == resumeAt[0]) {
                resumeAt[0] = -1;  // resuming: let the instruction we stopped at run once
                return false;
            }
            return eip == target;
        });
        assertEquals(StopReason.BREAKPOINT, r.machine.run(100).reason());
        assertEquals(target, r.cpu.eip());
        assertEquals(2, r.reg(Reg32.EAX), "the instruction at the breakpoint has not run");
        resumeAt[0] = target;
        assertEquals(StopReason.HALTED, r.machine.run(100).reason());
        assertEquals(3, r.reg(Reg32.EAX));
    }

    @Test
    void anIoListenerSeesInAndOut() throws Exception {
        // mov al, 'x' ; out 0xE9, al ; in al, 0x80 ; hlt
        TestRig r = TestRig.flat(0xB0, 'x', 0xE6, 0xE9, 0xE4, 0x80, 0xF4);
        List<String> seen = new ArrayList<>();
        try (AutoCloseable h = r.machine.io().addListener((port, size, value, write) ->
                seen.add((write ? "out " : "in ") + Integer.toHexString(port) + "=" + Integer.toHexString(value)))) {
            r.run();
        }
        assertEquals("out e9=78", seen.get(0));
        assertTrue(seen.get(1).startsWith("in 80="), seen.toString());
    }
}
