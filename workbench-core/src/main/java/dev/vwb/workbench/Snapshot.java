package dev.vwb.workbench;

import dev.vwb.machine.cpu.SegReg;
import java.nio.file.Path;

/**
 * The whole state of a VM at one instruction boundary: {@link Vm#snapshot()} takes one,
 * {@link Vm#restore} puts it back, {@link #save} and {@link #load} keep it in a file (a zip of
 * {@code metadata.json} and {@code state.bin}). A snapshot is a value: restoring it does not
 * change it, and it can be restored any number of times, into any VM with the same RAM size.
 */
public final class Snapshot implements HtmlRenderable {
    private final MachineImage image;
    private final String format;
    private final String guest;
    private final Registers registers;
    private final String console;
    private final String serial;

    Snapshot(MachineImage image, String format, String guest, Registers registers, String console, String serial) {
        this.image = image;
        this.format = format;
        this.guest = guest;
        this.registers = registers;
        this.console = console;
        this.serial = serial;
    }

    MachineImage image() {
        return image;
    }

    String format() {
        return format;
    }

    /** The instruction count (the VM's time) it was taken at. */
    public long time() {
        return image.time();
    }

    /** The guest the VM was made from. */
    public String guest() {
        return guest;
    }

    public int ramMiB() {
        return image.ramSize() >> 20;
    }

    /** The registers at that moment. */
    public Registers registers() {
        return registers;
    }

    /** The debug-console (port E9h) output up to that moment. */
    public String console() {
        return console;
    }

    /** The COM1 output up to that moment. */
    public String serial() {
        return serial;
    }

    /**
     * Writes the snapshot to {@code file} (a zip: metadata.json and state.bin).
     *
     * @throws WorkbenchException if the file cannot be written
     */
    public void save(Path file) {
        SnapshotFile.write(this, file);
    }

    /**
     * Reads a snapshot file. A file from another version of vwb, or a damaged one, is a
     * {@link WorkbenchException} saying so; nothing is changed.
     */
    public static Snapshot load(Path file) {
        return SnapshotFile.read(file);
    }

    private String csEip() {
        return String.format("%04X:%08X", registers.segment(SegReg.CS).selector(), registers.eip());
    }

    @Override
    public String toString() {
        return String.format("snapshot of %s at instruction %,d: CS:EIP=%s, %d MiB", guest, time(), csEip(), ramMiB());
    }

    @Override
    public String toHtml() {
        return Html.table("vwb-snapshot", "guest", "instruction", "CS:EIP", "RAM")
                .append(Html.row(guest, String.format("%,d", time()), csEip(), ramMiB() + " MiB"))
                .append("</table>").toString();
    }
}
