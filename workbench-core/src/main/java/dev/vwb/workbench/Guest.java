package dev.vwb.workbench;

import dev.vwb.machine.Machine;
import dev.vwb.machine.loader.FlatBinaryLoader;
import dev.vwb.machine.loader.KernelFormatException;
import dev.vwb.machine.loader.MultibootLoader;
import dev.vwb.machine.loader.RomImage;

/**
 * What a VM was made from, kept so that {@link Vm#reset()} can load it again and a snapshot can
 * name it: the bytes, how they are placed in the machine, and the guest's symbols.
 *
 * @param name    how the guest is shown ("demo", "kernel.elf", "assembly text")
 * @param kind    how the bytes are placed and started
 * @param bytes   the file or image, unmodified
 * @param address the load address of a flat binary (unused otherwise)
 * @param symbols the guest's labels
 */
record Guest(String name, Kind kind, byte[] bytes, long address, Symbols symbols) {
    /** The ways a guest enters the machine. */
    enum Kind {
        /** A ROM image in the BIOS window, started at F000:FFF0 (QEMU's {@code -bios}). */
        ROM,
        /** A Multiboot kernel (ELF or a.out kludge), as QEMU's {@code -kernel} loads it. */
        MULTIBOOT,
        /** A flat binary started in real mode at CS = address >> 4. */
        FLAT_REAL,
        /** A flat binary started in 32-bit flat protected mode at EIP = address. */
        FLAT_PROTECTED;

        String describe() {
            return switch (this) {
                case ROM -> "ROM image at F000:FFF0";
                case MULTIBOOT -> "Multiboot kernel";
                case FLAT_REAL -> "flat binary, real mode";
                case FLAT_PROTECTED -> "flat binary, protected mode";
            };
        }
    }

    /** A new machine with this guest loaded and ready to start. */
    Machine newMachine(int ramMiB) {
        Machine.Builder b = Machine.builder().ramMiB(ramMiB);
        if (kind == Kind.ROM) {
            b.bios(romImage());
        }
        Machine m = b.build();
        load(m);
        return m;
    }

    /** Puts the guest into {@code m}'s memory and sets its CPU to the start state (after a clear and reset). */
    void load(Machine m) {
        try {
            switch (kind) {
                case ROM -> m.cpu().flushDecodeCache();  // the image is mapped by the builder
                case MULTIBOOT -> MultibootLoader.load(m, bytes);
                case FLAT_REAL -> FlatBinaryLoader.load(m, bytes, address, FlatBinaryLoader.Mode.REAL);
                case FLAT_PROTECTED -> FlatBinaryLoader.load(m, bytes, address, FlatBinaryLoader.Mode.PROTECTED);
            }
        } catch (KernelFormatException e) {
            throw new WorkbenchException(name + ": " + e.getMessage());
        }
    }

    private byte[] romImage() {
        try {
            return RomImage.fit(bytes);
        } catch (KernelFormatException e) {
            throw new WorkbenchException(name + ": " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        String where = kind == Kind.FLAT_REAL || kind == Kind.FLAT_PROTECTED
                ? String.format(" at %Xh", address) : "";
        return name + " (" + kind.describe() + where + ", " + bytes.length + " bytes)";
    }
}
