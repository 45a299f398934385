package dev.vwb.workbench.gdb;

import dev.vwb.workbench.Vm;

/**
 * The guest's output that gdb has not been shown yet: what it printed on the debug console (port
 * E9h), then on COM1, since the last look. Output printed before the session is not shown again;
 * if a restore or step back took output back, what is printed anew is.
 */
final class GuestOutput {
    private final Vm vm;
    private int consoleSeen;
    private int serialSeen;

    GuestOutput(Vm vm) {
        this.vm = vm;
        this.consoleSeen = vm.console().length();
        this.serialSeen = vm.serial().length();
    }

    /** The text printed since the last call (or the session's start), "" if none. */
    String fresh() {
        String console = vm.console();
        String serial = vm.serial();
        consoleSeen = Math.min(consoleSeen, console.length());
        serialSeen = Math.min(serialSeen, serial.length());
        String fresh = console.substring(consoleSeen) + serial.substring(serialSeen);
        consoleSeen = console.length();
        serialSeen = serial.length();
        return fresh;
    }
}
