package dev.vwb.workbench;

/**
 * Bad input to the workbench (a guest that cannot be loaded, a register that does not exist, a
 * snapshot that does not fit): the message is one line a student can act on, and the VM it
 * concerns is unchanged and still usable. Emulator bugs are {@link IllegalStateException}s.
 */
public class WorkbenchException extends RuntimeException {
    public WorkbenchException(String message) {
        super(message);
    }

    public WorkbenchException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The message alone: the REPL shows this instead of a stack trace. */
    @Override
    public String toString() {
        return getMessage();
    }
}
