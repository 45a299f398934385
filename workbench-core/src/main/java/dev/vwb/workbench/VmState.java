package dev.vwb.workbench;

import dev.vwb.machine.Machine;
import dev.vwb.workbench.hv.Hypervisor;

/**
 * What a {@link Snapshot} holds of a VM, and how it is taken and put back: the machine's image
 * (through the {@link StateStore}), the registers for the snapshot's metadata, and the text the
 * guest printed so far on the debug console and COM1.
 *
 * <p>It exists apart from {@link Vm} so that the snapshots a user takes and the checkpoints
 * {@link TimeTravel} takes are one thing, taken and restored one way. It knows nothing of
 * threads or history: the VM checks that it is idle, and time travel decides what a restore
 * means for the history.
 */
final class VmState {
    private final Machine machine;
    private final StateStore store;
    private final String guest;
    /** The guest's output, captured from the devices' sinks (a snapshot carries it, a restore puts it back). */
    private final StringBuilder console = new StringBuilder();
    private final StringBuilder serial = new StringBuilder();

    /** The hypervisor whose virtual CPU a snapshot must hold too, or null. */
    private final Hypervisor hypervisor;

    VmState(Machine machine, String guest, Hypervisor hypervisor) {
        this.machine = machine;
        this.hypervisor = hypervisor;
        this.store = new MachineStateStore(machine);
        this.guest = guest;
        machine.debugConsole().setSink(c -> console.append((char) c));
        machine.com1().setSink(c -> serial.append((char) c));
    }

    /** Instructions retired since the VM was made: the VM's clock (restored by snapshots). */
    long time() {
        return store.time();
    }

    /** What the guest printed on the debug console (port E9h). */
    String console() {
        return console.toString();
    }

    /** What the guest sent through COM1. */
    String serial() {
        return serial.toString();
    }

    /** The whole state now, as a value. */
    Snapshot take() {
        if (hypervisor != null) {
            hypervisor.saveState();  // into the hypervisor's memory, which the machine image holds
        }
        return new Snapshot(store.save(), store.format(), guest, Registers.capture(machine.cpu(), null),
                console.toString(), serial.toString());
    }

    /**
     * Puts back {@code snapshot}: the machine's state, its time and the output. A snapshot this
     * machine cannot take (another RAM size) is a {@link WorkbenchException}, and nothing changes.
     */
    void restore(Snapshot snapshot) {
        String why = store.cannotRestore(snapshot.image());
        if (why != null) {
            throw new WorkbenchException("cannot restore " + snapshot + ": " + why);
        }
        store.restore(snapshot.image());
        if (hypervisor != null) {
            hypervisor.restoreState();
        }
        console.setLength(0);
        console.append(snapshot.console());
        serial.setLength(0);
        serial.append(snapshot.serial());
    }
}
