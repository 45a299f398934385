package dev.vwb.workbench.gdb;

/** How a gdb session ended ({@link GdbServer#serveOneSession()}). The VM is left stopped, and usable, in every case. */
public enum SessionEnd {
    /** gdb detached ({@code detach}, or {@code quit} after attaching). */
    DETACHED("gdb detached"),
    /** gdb killed the target ({@code kill}); the VM itself is not reset. */
    KILLED("gdb killed the target"),
    /** The guest powered off or shut down, gdb was told (W or X) and left. */
    GUEST_ENDED("the guest ended and gdb left"),
    /** The connection closed without a goodbye (gdb quit or crashed, the network went away). */
    DISCONNECTED("the connection closed"),
    /** {@link GdbServer#close()} ended the session (or came before any client). */
    CLOSED("the server was closed");

    private final String description;

    SessionEnd(String description) {
        this.description = description;
    }

    /** A few words for a log line: "gdb detached". */
    public String description() {
        return description;
    }
}
