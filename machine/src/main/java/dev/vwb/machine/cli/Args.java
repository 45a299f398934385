package dev.vwb.machine.cli;

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
}
