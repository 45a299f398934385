package dev.vwb.workbench.hv;

/**
 * The physical-to-machine map: which host-physical frame holds each of the guest's physical
 * frames. The guest owns a slice of the host's RAM that does not start at host address 0; every
 * translation the hypervisor builds for the guest goes through here, so a guest frame number
 * outside its memory maps to nothing (-1) and the guest cannot name host memory it does not own.
 */
public final class P2m {
    private final int[] frames;

    /** A contiguous slice: guest frame {@code g} is host frame {@code hostBase / 4096 + g}. */
    P2m(int hostBase, int size) {
        if ((hostBase & 0xFFF) != 0 || (size & 0xFFF) != 0 || size <= 0) {
            throw new IllegalArgumentException("a slice is whole pages: base " + Integer.toHexString(hostBase) + ", size " + size);
        }
        frames = new int[size >>> 12];
        for (int g = 0; g < frames.length; g++) {
            frames[g] = (hostBase >>> 12) + g;
        }
    }

    /** The host-physical address of a guest-physical one, or -1 when the guest has no memory there. */
    public long toHost(long guestPhysical) {
        long g = guestPhysical >>> 12;
        if (guestPhysical < 0 || g >= frames.length) {
            return -1;
        }
        return ((long) frames[(int) g] << 12) | (guestPhysical & 0xFFF);
    }

    /** The guest's memory in bytes. */
    public int size() {
        return frames.length << 12;
    }

    /** The host frame of guest frame {@code g}, or -1. */
    int hostFrame(int g) {
        return g >= 0 && g < frames.length ? frames[g] : -1;
    }

    /** The first host address of the slice. */
    public long hostBase() {
        return (long) frames[0] << 12;
    }

    @Override
    public String toString() {
        return String.format("p2m: guest 0-%08X -> host %08X-%08X", size() - 1, hostBase(), hostBase() + size() - 1);
    }
}
