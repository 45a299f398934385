package dev.vwb.repl;

import dev.vwb.workbench.Snapshot;
import dev.vwb.workbench.Vm;
import dev.vwb.workbench.WorkbenchException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a REPL session works on: the current VM, the guest it was loaded from, and the snapshots
 * taken with {@code snap}. Java snippets reach the VM through {@link #vm()} (the session binds
 * {@code vm} with it); the short commands through {@link #current()}. One session per JVM is
 * current at a time (the last one opened).
 */
public final class Session {
    private static volatile Session current;

    private volatile Vm vm;
    private GuestSpec spec;
    private final List<Snapshot> snapshots = new ArrayList<>();

    private Session(Vm vm, GuestSpec spec) {
        this.vm = vm;
        this.spec = spec;
    }

    /** Loads {@code spec}'s guest and makes this session the current one. */
    static Session open(GuestSpec spec) {
        Session s = new Session(spec.open(), spec);
        current = s;
        return s;
    }

    /** The current session's VM: what {@code vm} is bound to in Java snippets. */
    public static Vm vm() {
        Session s = current;
        if (s == null) {
            throw new IllegalStateException("no REPL session is open");
        }
        return s.vm;
    }

    Vm current() {
        return vm;
    }

    GuestSpec spec() {
        return spec;
    }

    /** Replaces the VM with a new one made from {@code next}; the snapshots go with the old VM. */
    Vm load(GuestSpec next) {
        Vm made = next.open();
        vm = made;
        spec = next;
        snapshots.clear();
        return made;
    }

    /** The user assigned another VM to {@code vm} in Java: the commands follow it. */
    void adopt(Vm other) {
        if (other != vm) {
            vm = other;
            snapshots.clear();
        }
    }

    /** Takes a snapshot of the VM and keeps it; returns its number (from 1). */
    int snap() {
        snapshots.add(vm.snapshot());
        return snapshots.size();
    }

    /** Snapshot {@code n} (from 1), or a one-line error. */
    Snapshot snapshot(int n) {
        if (snapshots.isEmpty()) {
            throw new WorkbenchException("no snapshots yet: snap takes one");
        }
        if (n < 1 || n > snapshots.size()) {
            throw new WorkbenchException("no snapshot " + n + ": " + (snapshots.size() == 1 ? "there is snapshot 1"
                    : "there are snapshots 1 to " + snapshots.size()));
        }
        return snapshots.get(n - 1);
    }

    int snapshotCount() {
        return snapshots.size();
    }
}
