package dev.vwb.tracing;

/**
 * An inclusive range of addresses (linear unless said otherwise), {@code first <= last}, both
 * below 4 GiB. {@link #ALL} is every address; there is no "empty means everything" convention.
 */
public record AddressRange(long first, long last) {
    public static final AddressRange ALL = new AddressRange(0, 0xFFFF_FFFFL);

    public AddressRange {
        if (first < 0 || last > 0xFFFF_FFFFL || first > last) {
            throw new IllegalArgumentException(String.format(
                    "an address range needs 0 <= first <= last < 4 GiB, not %X..%X", first, last));
        }
    }

    /** The range {@code [first, first + length)}. */
    public static AddressRange of(long first, long length) {
        if (length < 1) {
            throw new IllegalArgumentException("an address range needs a positive length, not " + length);
        }
        return new AddressRange(first, first + length - 1);
    }

    /** The single address {@code a}. */
    public static AddressRange at(long a) {
        return new AddressRange(a, a);
    }

    /** Whether the (unsigned) address {@code a} is inside. */
    public boolean contains(int a) {
        long u = a & 0xFFFF_FFFFL;
        return u >= first && u <= last;
    }

    /** Whether any byte of {@code [a, a + size)} is inside. */
    public boolean overlaps(int a, int size) {
        long u = a & 0xFFFF_FFFFL;
        return u <= last && u + size - 1 >= first;
    }

    @Override
    public String toString() {
        return first == last ? String.format("%08X", first) : String.format("%08X..%08X", first, last);
    }
}
