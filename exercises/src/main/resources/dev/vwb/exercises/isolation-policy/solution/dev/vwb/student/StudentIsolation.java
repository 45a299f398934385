package dev.vwb.student;

import dev.vwb.workbench.hv.GuestSlice;
import dev.vwb.workbench.hv.IsolationPolicy;

/**
 * Exercise "isolation-policy" (lesson 8, isolation): the reference solution. The guest reaches
 * only its own slice of host memory, the ports of the devices it is given, and no linear address
 * in the hypervisor's window - not through a task switch, not through a segment.
 */
public final class StudentIsolation implements IsolationPolicy {
    private static final long FOUR_GIB = 1L << 32;
    /** The largest limit a descriptor holds byte-granular (G = 0): 20 bits (SDM Vol. 3A §3.4.5). */
    private static final long BYTE_GRANULAR_MAX = 0xF_FFFF;

    /** The devices the guest is given: first port and count. */
    private static final int[][] GUEST_PORTS = {
        {0x20, 2},    // 8259A master
        {0xA0, 2},    // 8259A slave
        {0x40, 4},    // 8254 timer
        {0x3F8, 8},   // COM1
        {0xE9, 1},    // debug console
        {0xF4, 4},    // exit device
        {0x80, 1},    // POST codes
    };

    @Override
    public long hostAddress(GuestSlice slice, long guestPhysical) {
        return guestPhysical >= 0 && guestPhysical < slice.size() ? slice.hostBase() + guestPhysical : -1;
    }

    @Override
    public boolean portReachable(int port) {
        for (int[] range : GUEST_PORTS) {
            if (port >= range[0] && port < range[0] + range[1]) {
                return true;
            }
        }
        return false;
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
            return -1;  // the segment starts inside the window
        }
        // Above 1 MiB a limit is counted in pages (G = 1): end on the last byte of a whole page.
        return cut > BYTE_GRANULAR_MAX ? (cut + 1 & ~0xFFFL) - 1 : cut;
    }

    @Override
    public long expandDownLimit(int base, long limit, boolean big) {
        long b = base & 0xFFFF_FFFFL;
        long upper = big ? 0xFFFF_FFFFL : 0xFFFFL;
        long lowest = b + limit + 1;  // the linear range, unwrapped: above 2^32 is past the wrap
        long highest = b + upper;
        boolean clear = limit >= upper || highest < WINDOW || lowest >= FOUR_GIB && highest < FOUR_GIB + WINDOW;
        if (clear) {
            return limit;
        }
        // What may stay is the part past the wrap and below the window: offsets from 2^32 - base on.
        return highest >= FOUR_GIB && highest < FOUR_GIB + WINDOW ? FOUR_GIB - b - 1 : upper;
    }
}
