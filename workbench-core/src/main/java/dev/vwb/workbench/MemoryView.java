package dev.vwb.workbench;


/**
 * Guest memory as the VM's user sees it: physical addresses, or virtual (linear) addresses
 * translated through the guest's current page tables in memory (not the CPU's TLB) by a
 * supervisor access. With paging off the two are the same. Addresses wrap at 4 GiB, so an
 * {@code int} literal such as {@code 0xC0000000} (negative in Java) means what it says. Reading
 * or writing a virtual address on a page that is not mapped is a {@link WorkbenchException}
 * explaining the walk, and a write that would reach such a page writes nothing; {@link #dump}
 * shows such bytes as {@code ??} instead.
 */
public final class MemoryView {
    private final GuestSpace space;
    private final boolean virtual;
    /** Told of every write, so the VM knows its history changed by hand. */
    private final Runnable onWrite;

    MemoryView(GuestSpace space, boolean virtual, Runnable onWrite) {
        this.space = space;
        this.virtual = virtual;
        this.onWrite = onWrite;
    }

    /** "physical" or "virtual". */
    public String space() {
        return virtual ? "virtual" : "physical";
    }

    public int read8(long address) {
        return space.read8(physical(address, Access.READ) & 0xFFFF_FFFFL);
    }

    public int read16(long address) {
        return read8(address) | read8(address + 1) << 8;
    }

    public int read32(long address) {
        return read16(address) | read16(address + 2) << 16;
    }

    /** {@code length} bytes from {@code address}. */
    public byte[] read(long address, int length) {
        if (length < 0) {
            throw new WorkbenchException("a read takes a length of 0 or more bytes, not " + length);
        }
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = (byte) read8(address + i);
        }
        return out;
    }

    /**
     * Writes a byte as a debugger does: into RAM even where the guest's page is read-only (the
     * walk checks a supervisor read); writes to ROM or unmapped physical space are dropped, as
     * the bus drops them.
     */
    public void write8(long address, int value) {
        write(address, new byte[] {(byte) value});
    }

    public void write16(long address, int value) {
        write(address, new byte[] {(byte) value, (byte) (value >>> 8)});
    }

    public void write32(long address, int value) {
        write(address, new byte[] {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)});
    }

    /** Writes {@code bytes} from {@code address}, as {@link #write8} each; if one cannot be written, none is. */
    public void write(long address, byte[] bytes) {
        int[] at = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            at[i] = physical(address + i, Access.READ);  // every address first: a fault writes nothing
        }
        for (int i = 0; i < bytes.length; i++) {
            space.write8(at[i] & 0xFFFF_FFFFL, bytes[i]);
        }
        onWrite.run();
    }

    /** A hex dump of {@code length} bytes from {@code address}; unreadable bytes show as {@code ??}. */
    public HexDump dump(long address, int length) {
        if (length < 0 || length > 1 << 20) {
            throw new WorkbenchException("a dump takes 0 to 1 MiB, not " + length + " bytes");
        }
        byte[] bytes = new byte[length];
        boolean[] ok = new boolean[length];
        for (int i = 0; i < length; i++) {
            long a = (address + i) & 0xFFFF_FFFFL;
            PageWalk w = virtual ? walk(a) : null;
            if (w == null || !w.faults()) {
                bytes[i] = (byte) space.read8(w == null ? a : w.physical());
                ok[i] = true;
            }
        }
        return new HexDump(address & 0xFFFF_FFFFL, bytes, ok, space());
    }

    /** Whether a supervisor read of {@code address} would succeed (always true for physical). */
    public boolean mapped(long address) {
        return !virtual || !walk(address).faults();
    }

    /** The physical address behind {@code address}, or a {@link WorkbenchException} explaining the fault. */
    public long toPhysical(long address) {
        return physical(address, Access.READ) & 0xFFFF_FFFFL;
    }

    private int physical(long address, Access access) {
        if (!virtual) {
            return (int) address;
        }
        PageWalk w = PageWalker.walk(space, address, access);
        if (w.faults()) {
            throw new WorkbenchException(String.format("virtual address %08X is not mapped: %s (vm.walk(0x%X) explains)",
                    address & 0xFFFF_FFFFL, w.fault(), address & 0xFFFF_FFFFL));
        }
        return (int) w.physical();
    }

    private PageWalk walk(long address) {
        return PageWalker.walk(space, address, Access.READ);
    }

    @Override
    public String toString() {
        return space() + " memory (" + (space.ramSize() >> 20) + " MiB of RAM)";
    }
}
