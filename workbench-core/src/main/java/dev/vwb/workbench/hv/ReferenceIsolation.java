package dev.vwb.workbench.hv;

import dev.vwb.machine.devices.DebugConsole;
import dev.vwb.machine.devices.ExitDevice;
import dev.vwb.machine.devices.Pit8254;
import dev.vwb.machine.devices.PostCodePort;
import dev.vwb.machine.devices.Uart16550;
import dev.vwb.machine.devices.PicPair;

/** The reference hypervisor's {@link IsolationPolicy}; {@link Isolation} explains each rule. */
final class ReferenceIsolation implements IsolationPolicy {
    static final ReferenceIsolation INSTANCE = new ReferenceIsolation();
    private static final long FOUR_GIB = 1L << 32;
    /** The largest limit a descriptor holds byte-granular (G = 0): 20 bits. */
    private static final long BYTE_GRANULAR_MAX = 0xF_FFFF;

    private ReferenceIsolation() {
    }

    @Override
    public long hostAddress(GuestSlice slice, long guestPhysical) {
        return guestPhysical >= 0 && guestPhysical < slice.size() ? slice.hostBase() + guestPhysical : -1;
    }

    /** The devices the guest is given: the 8259A pair, the 8254, COM1, the debug console, the exit device, POST codes. */
    @Override
    public boolean portReachable(int port) {
        return within(port, PicPair.MASTER_PORT, 2) || within(port, PicPair.SLAVE_PORT, 2) || within(port, Pit8254.PORT, Pit8254.PORTS)
                || within(port, Uart16550.COM1, Uart16550.PORTS) || port == DebugConsole.PORT
                || within(port, ExitDevice.PORT, ExitDevice.SIZE) || port == PostCodePort.PORT;
    }

    private static boolean within(int port, int first, int count) {
        return port >= first && port < first + count;
    }

    @Override
    public boolean reachesWindow(int linear, long length) {
        return length > 0 && (linear & 0xFFFF_FFFFL) + length > WINDOW;
    }

    @Override
    public long expandUpLimit(int base, long limit) {
        long b = base & 0xFFFF_FFFFL;
        if (b + limit < WINDOW) {
            return limit;
        }
        long cut = WINDOW - b - 1;
        if (cut < 0) {
            return -1;  // wholly inside the window
        }
        return cut > BYTE_GRANULAR_MAX ? (cut + 1 & ~0xFFFL) - 1 : cut;  // page granular: whole pages below the window
    }

    @Override
    public long expandDownLimit(int base, long limit, boolean big) {
        long b = base & 0xFFFF_FFFFL;
        long upper = big ? 0xFFFF_FFFFL : 0xFFFFL;
        long lowest = b + limit + 1;
        long highest = b + upper;  // both on a line of two laps: above 2^32 is past the wrap
        boolean clear = limit >= upper || highest < WINDOW || lowest >= FOUR_GIB && highest < FOUR_GIB + WINDOW;
        if (clear) {
            return limit;
        }
        // What may stay is the part past the wrap and below the window: offsets from 2^32 - base on.
        return highest >= FOUR_GIB && highest < FOUR_GIB + WINDOW ? FOUR_GIB - b - 1 : upper;
    }
}
