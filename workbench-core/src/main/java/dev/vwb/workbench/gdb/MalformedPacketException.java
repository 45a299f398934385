package dev.vwb.workbench.gdb;

/**
 * A packet gdb (or anything else on the socket) sent that cannot be understood: bad hex, a
 * missing field, a length that does not match its data. The session answers it with
 * {@code E01} and goes on; it is never a reason to end the session.
 */
final class MalformedPacketException extends RuntimeException {
    MalformedPacketException(String message) {
        super(message);
    }
}
