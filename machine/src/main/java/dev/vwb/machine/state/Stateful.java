package dev.vwb.machine.state;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * A part of the machine whose state a snapshot captures: everything that decides what the guest
 * sees next, so that restoring it and running again repeats the run instruction for instruction.
 * Caches (decoded code, the TLB, translated blocks) are not state: they are dropped on restore.
 */
public interface Stateful {
    void save(DataOutput out) throws IOException;

    /** Reads back exactly what {@link #save} wrote. */
    void restore(DataInput in) throws IOException;
}
