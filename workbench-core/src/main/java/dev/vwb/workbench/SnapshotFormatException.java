package dev.vwb.workbench;

/** Bytes that are not a snapshot this version of vwb can read (a one-line reason). */
final class SnapshotFormatException extends java.io.IOException {
    SnapshotFormatException(String message) {
        super(message);
    }
}
