package dev.vwb.machine.guests;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the host needs to know about the {@code bench} guest (see {@code bench.asm}) and its
 * paging variant: where the iteration count lives in the image and how to read the checksum
 * from the console output. Both variants keep N at the same offset.
 */
public final class BenchGuest {
    /** Image offset of the little-endian dword holding the number of outer iterations, N. */
    public static final int ITERATIONS_OFFSET = 0xFF00;
    /** N as assembled into {@code bench.bin}. */
    public static final long DEFAULT_ITERATIONS = 100;
    /** The largest N the guest's 32-bit counter can hold. */
    public static final long MAX_ITERATIONS = 0xFFFF_FFFFL;

    private static final Pattern CHECKSUM = Pattern.compile("checksum ([0-9A-F]{8})");

    private BenchGuest() {
    }

    /** The bench image with its iteration count set to {@code iterations}. */
    public static byte[] image(long iterations) {
        return patched("bench", iterations);
    }

    /**
     * The paging variant ({@code bench-paging.asm}): the same loop and checksum, run with paging
     * on through an identity map of 4 KiB pages, with its iteration count set to {@code iterations}.
     */
    public static byte[] pagingImage(long iterations) {
        return patched("bench-paging", iterations);
    }

    private static byte[] patched(String guest, long iterations) {
        if (iterations < 0 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("the iteration count must be between 0 and " + MAX_ITERATIONS
                    + ", not " + iterations);
        }
        byte[] image = BundledGuests.load(guest);
        for (int i = 0; i < 4; i++) {
            image[ITERATIONS_OFFSET + i] = (byte) (iterations >>> (8 * i));
        }
        return image;
    }

    /** The checksum the guest printed, if its output has the "checksum XXXXXXXX" line. */
    public static OptionalInt checksum(String consoleOutput) {
        Matcher m = CHECKSUM.matcher(consoleOutput);
        return m.find() ? OptionalInt.of(Integer.parseUnsignedInt(m.group(1), 16)) : OptionalInt.empty();
    }

    /** The value the guest writes to the exit device for a checksum (QEMU exits with 2v+1). */
    public static int exitValue(int checksum) {
        return checksum & 0x7F;
    }
}
