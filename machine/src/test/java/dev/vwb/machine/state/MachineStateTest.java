package dev.vwb.machine.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vwb.machine.Machine;
import dev.vwb.machine.guests.BundledGuests;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Snapshots: restoring one and running again repeats the run exactly (the machine is
 * deterministic), through files too; bad files are refused with a reason.
 */
class MachineStateTest {
    private static Machine machine(String guest) {
        return Machine.builder().ramMiB(4).bios(BundledGuests.load(guest)).build();
    }

    /**
     * Runs to a point, snapshots, runs on; then restores and runs the same distance again: both
     * end in the same state. The timer guest takes interrupts from the PIT through the PIC, and
     * the serial guest drives the UART, so their state is in the comparison.
     */
    @ParameterizedTest
    @ValueSource(strings = {"bench", "timer", "serial", "demo", "bench-paging"})
    void aRestoredMachineRunsOnExactlyAsBefore(String guest) {
        Machine m = machine(guest);
        m.run(300_000);
        MachineState middle = m.saveState();
        m.run(700_000);
        MachineState first = m.saveState();

        m.restoreState(middle);
        assertTrue(m.saveState().sameStateAs(middle), "restoring gives back the state saved");
        m.run(700_000);
        MachineState second = m.saveState();
        assertTrue(first.sameStateAs(second), "the replay ends where the first run did");
        assertFalse(first.sameStateAs(middle), "and the run did change something");
    }

    @Test
    void aSnapshotSurvivesAFile_andRestoresIntoAnotherMachine() throws IOException {
        Machine m = machine("timer");
        m.run(500_000);
        MachineState saved = m.saveState();
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        saved.write(file);
        MachineState loaded = MachineState.read(new ByteArrayInputStream(file.toByteArray()));
        assertTrue(loaded.sameStateAs(saved));

        Machine other = machine("timer");
        other.restoreState(loaded);
        m.run(400_000);
        other.run(400_000);
        assertTrue(m.saveState().sameStateAs(other.saveState()));
        assertEquals(m.debugConsole().output(), other.debugConsole().output());
    }

    @Test
    void badSnapshotFilesAreRefusedWithAReason() throws IOException {
        Machine m = machine("demo");
        m.run(10_000);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        m.saveState().write(file);
        byte[] good = file.toByteArray();

        assertEquals("not a vwb machine snapshot", refused(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}));
        byte[] otherVersion = good.clone();
        otherVersion[11] = 99;
        assertTrue(refused(otherVersion).contains("format version 99"));
        byte[] truncated = java.util.Arrays.copyOf(good, good.length / 2);
        assertEquals("a truncated snapshot", refused(truncated));
        byte[] corrupted = good.clone();
        for (int i = good.length - 200; i < good.length - 100; i++) {
            corrupted[i] ^= 0x5A;
        }
        assertTrue(refused(corrupted).startsWith("a corrupted snapshot"), refused(corrupted));
    }

    private static String refused(byte[] file) {
        return assertThrows(IOException.class, () -> MachineState.read(new ByteArrayInputStream(file))).getMessage();
    }

    @Test
    void aSnapshotOfAnotherRamSizeIsRefused_andTheMachineIsUnchanged() {
        Machine small = machine("demo");
        Machine big = Machine.builder().ramMiB(8).bios(BundledGuests.load("demo")).build();
        big.run(1000);
        MachineState before = big.saveState();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> big.restoreState(small.saveState()));
        assertTrue(e.getMessage().contains("4096 KiB"), e.getMessage());
        assertTrue(big.saveState().sameStateAs(before));
    }
}
