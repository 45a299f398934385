package dev.vwb.workbench.hv;

/**
 * The guest's physical memory as a slice of the host's: guest-physical addresses 0 to
 * {@code size} - 1 are the host-physical addresses {@code hostBase} to {@code hostBase + size - 1}.
 *
 * @param hostBase the slice's first host-physical address (a multiple of 4096)
 * @param size     the guest's memory in bytes (a multiple of 4096)
 */
public record GuestSlice(long hostBase, long size) {
    public GuestSlice {
        if ((hostBase & 0xFFF) != 0 || (size & 0xFFF) != 0 || size <= 0 || hostBase < 0) {
            throw new IllegalArgumentException("a slice is whole pages: base " + Long.toHexString(hostBase) + ", size " + size);
        }
    }
}
