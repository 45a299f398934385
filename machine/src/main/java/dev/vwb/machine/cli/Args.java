package dev.vwb.machine.cli;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/** Small helpers for reading command-line options, with one-line errors for bad values. */
final class Args {
    private Args() {
    }

    /** The positive whole number after option {@code name} at {@code args[i]}. */
    static long positiveLong(String[] args, int i, String name) {
        if (i >= args.length) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        try {
            long v = Long.parseLong(args[i].replace("_", "").replace(",", ""));
            if (v <= 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " needs a positive whole number, not '" + args[i] + "'");
        }
    }

    /**
     * The physical address after option {@code name}: hex as {@code 0x7C00} or {@code 7C00h},
     * else decimal; below 4 GiB.
     */
    static long address(String[] args, int i, String name) {
        if (i >= args.length) {
            throw new IllegalArgumentException(name + " needs an address, such as 0x7C00");
        }
        String text = args[i].replace("_", "");
        try {
            long v;
            if (text.startsWith("0x") || text.startsWith("0X")) {
                v = Long.parseLong(text.substring(2), 16);
            } else if (text.endsWith("h") || text.endsWith("H")) {
                v = Long.parseLong(text.substring(0, text.length() - 1), 16);
            } else {
                v = Long.parseLong(text);
            }
            if (v < 0 || v > 0xFFFF_FFFFL) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " needs an address below 4 GiB, such as 0x7C00 or 7C00h, not '"
                    + args[i] + "'");
        }
    }

    /** The value after option {@code name}, one of {@code choices} as {@code spelling} writes them. */
    static <T> T oneOf(String[] args, int i, String name, T[] choices, Function<T, String> spelling) {
        List<String> names = Arrays.stream(choices).map(spelling).toList();
        if (i < args.length) {
            int k = names.indexOf(args[i]);
            if (k >= 0) {
                return choices[k];
            }
        }
        throw new IllegalArgumentException(name + " needs one of " + String.join(", ", names)
                + (i < args.length ? ", not '" + args[i] + "'" : ""));
    }
}
