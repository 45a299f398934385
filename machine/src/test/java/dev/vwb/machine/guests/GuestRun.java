package dev.vwb.machine.guests;

import dev.vwb.machine.Machine;
import dev.vwb.machine.RunResult;

/** A guest image run to its end in vwb, for the tests. */
record GuestRun(RunResult result, String output, int exitValue, int exitStatus, String serialOutput) {
    /** Far more than any bundled guest needs with the N the tests use. */
    static final long BUDGET = 50_000_000;

    static GuestRun of(byte[] image) {
        Machine machine = Machine.builder().ramMiB(16).bios(image).build();
        RunResult result = machine.run(BUDGET);
        return new GuestRun(result, machine.debugConsole().output(), machine.exitDevice().value(),
                machine.exitDevice().exitStatus() & 0xFF,  // a process exit status has 8 bits
                machine.com1().transmitted());
    }
}
