package dev.vwb.workbench.hv;

/**
 * The physical-to-machine map: which host-physical address holds each of the guest's physical
 * ones. The guest owns a slice of the host's RAM that does not start at host address 0; every
 * translation the hypervisor builds for the guest goes through here, and here through the
 * {@link IsolationPolicy}'s {@link IsolationPolicy#hostAddress}, so that a guest frame outside its
 * memory maps to nothing (-1) and the guest cannot name host memory it does not own.
 */
public final class P2m {
    private final GuestSlice slice;
    private final IsolationPolicy policy;

    /** A contiguous slice: guest-physical {@code a} is host {@code hostBase + a}, as {@code policy} rules. */
    P2m(int hostBase, int size, IsolationPolicy policy) {
        this.slice = new GuestSlice(hostBase & 0xFFFF_FFFFL, size);
        this.policy = policy;
    }

    /** The host-physical address of a guest-physical one, or -1 when the guest has no memory there. */
    public long toHost(long guestPhysical) {
        if (guestPhysical < 0 || guestPhysical > 0xFFFF_FFFFL) {
            return -1;
        }
        long host = policy.hostAddress(slice, guestPhysical);
        return host < 0 ? -1 : host;
    }

    /** The guest's memory in bytes. */
    public int size() {
        return (int) slice.size();
    }

    /** The host frame of guest frame {@code g}, or -1. */
    int hostFrame(int g) {
        long host = toHost((long) g << 12);
        return host < 0 ? -1 : (int) (host >>> 12);
    }

    /** The first host address of the slice. */
    public long hostBase() {
        return slice.hostBase();
    }

    /** The guest's slice of host memory. */
    public GuestSlice slice() {
        return slice;
    }

    @Override
    public String toString() {
        return String.format("p2m: guest 0-%08X -> host %08X-%08X", size() - 1, hostBase(), hostBase() + size() - 1);
    }
}
