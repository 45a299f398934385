package dev.vwb.machine.loader;

/** A kernel file that cannot be loaded; the message is one line a user can act on. */
public final class KernelFormatException extends Exception {
    public KernelFormatException(String message) {
        super(message);
    }
}
