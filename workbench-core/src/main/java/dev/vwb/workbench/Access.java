package dev.vwb.workbench;

/** The kind of memory access a page walk checks (the 486 has no execute permission: a fetch is a read). */
public enum Access {
    READ(false, false), WRITE(true, false), USER_READ(false, true), USER_WRITE(true, true);

    final boolean write;
    final boolean user;

    Access(boolean write, boolean user) {
        this.write = write;
        this.user = user;
    }

    String describe() {
        return (user ? "user " : "supervisor ") + (write ? "write" : "read");
    }
}
