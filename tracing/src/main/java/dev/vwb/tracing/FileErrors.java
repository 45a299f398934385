package dev.vwb.tracing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * One-line reasons for file errors (Java's messages are often just the path), for the trace
 * sinks here and the workbench's snapshot files: public because both modules write files a
 * student names, and both should say the same thing when that fails.
 */
public final class FileErrors {
    private FileErrors() {
    }

    /** Why {@code e} happened, in a few words: "its folder does not exist", "permission denied", ... */
    public static String why(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "its folder does not exist";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage();
    }

    /**
     * Creates (or truncates) {@code file} for writing {@code what}; an IllegalArgumentException
     * such as "cannot write the trace to t.jsonl: permission denied" if it cannot.
     */
    static OutputStream create(Path file, String what) {
        try {
            return Files.newOutputStream(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write " + what + " to " + file + ": " + why(e));
        }
    }
}
