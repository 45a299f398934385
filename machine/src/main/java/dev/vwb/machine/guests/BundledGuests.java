package dev.vwb.machine.guests;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The guest programs that ship inside vwb: 64 KiB BIOS images assembled from the {@code .asm}
 * sources beside them in this package's resources ({@code nasm -f bin}). Each starts at the
 * reset vector, prints through the debug console (port E9h) and ends by writing the exit device
 * (port F4h), so it runs the same way in vwb and under {@code qemu-system-i386 -bios}.
 *
 * <ul>
 *   <li>{@code demo}: a short, commented showcase: real mode, protected mode, primes, Fibonacci.
 *   <li>{@code bench}: the benchmark loop; see {@link BenchGuest} for its iteration count.
 *   <li>{@code bench-paging}: the same loop with paging on (4 KiB pages); its source includes
 *       {@code bench.asm}.
 * </ul>
 */
public final class BundledGuests {
    /** The names of the bundled guests; {@code NAME.bin} and {@code NAME.asm} are resources here. */
    private static final List<String> NAMES = List.of("demo", "bench", "bench-paging", "timer", "serial", "rings");

    private BundledGuests() {
    }

    /** The names {@link #load} accepts. */
    public static List<String> names() {
        return NAMES;
    }

    /**
     * The image of a bundled guest (a fresh copy each call, so callers may patch it).
     *
     * @throws IllegalArgumentException if there is no such guest
     */
    public static byte[] load(String name) {
        return resource(name, ".bin");
    }

    /** The nasm source of a bundled guest, for readers and for the test that re-assembles it. */
    public static String source(String name) {
        return new String(resource(name, ".asm"), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static byte[] resource(String name, String extension) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("no bundled guest named '" + name + "'; the bundled guests are: "
                    + String.join(", ", NAMES));
        }
        String resource = name + extension;
        try (InputStream in = BundledGuests.class.getResourceAsStream(resource)) {
            if (in == null) {
                // A build problem, not a caller's mistake: the resource should be on the class path.
                throw new IllegalStateException("the bundled guest resource " + resource
                        + " is missing from the class path (is machine/src/main/resources packaged?)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled guest " + resource, e);
        }
    }
}
