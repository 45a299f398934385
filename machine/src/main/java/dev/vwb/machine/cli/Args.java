package dev.vwb.machine.cli;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/** Small helpers for reading command-line options, with one-line errors for bad values. */
public final class Args {
    private Args() {
    }

    /** The positive whole number after option {@code name} at {@code args[i]}. */
    public static long positiveLong(String[] args, int i, String name) {
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
        try {
            long v = number(args[i]);
            if (v < 0 || v > 0xFFFF_FFFFL) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " needs an address below 4 GiB, such as 0x7C00 or 7C00h, not '"
                    + args[i] + "'");
        }
    }

    /**
     * A number as the commands take addresses: hex as {@code 0x7C00} or {@code 7C00h}, else
     * decimal, with {@code _} allowed between digits.
     *
     * @throws NumberFormatException when it is none of these
     */
    public static long number(String text) {
        String t = text.replace("_", "");
        if (t.startsWith("0x") || t.startsWith("0X")) {
            return Long.parseLong(t.substring(2), 16);
        }
        if (t.endsWith("h") || t.endsWith("H")) {
            return Long.parseLong(t.substring(0, t.length() - 1), 16);
        }
        return Long.parseLong(t);
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
