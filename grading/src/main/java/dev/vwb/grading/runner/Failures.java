package dev.vwb.grading.runner;

import java.util.Set;

/** A failure as a student reads it: the exception and message, and the frames of their code and the test, not JUnit's. */
final class Failures {
    /** Frames from these packages are the machinery, not the story. */
    private static final Set<String> MACHINERY = Set.of("org.junit.", "org.opentest4j.", "java.base/", "jdk.internal.",
            "java.lang.reflect.", "java.util.concurrent.", "sun.reflect.", "dev.vwb.grading.");
    private static final int FRAMES = 8;

    private Failures() {
    }

    static String describe(Throwable t) {
        if (t == null) {
            return "Failed.";
        }
        StringBuilder b = new StringBuilder(headline(t));
        int shown = 0;
        for (StackTraceElement f : t.getStackTrace()) {
            String frame = f.toString();
            if (MACHINERY.stream().noneMatch(frame::startsWith) && !frame.startsWith("java.") && shown++ < FRAMES) {
                b.append("\n    at ").append(frame);
            }
        }
        for (Throwable c = t.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            b.append("\n  caused by ").append(headline(c));
        }
        return b.toString();
    }

    private static String headline(Throwable t) {
        if (t instanceof OutOfMemoryError) {
            return "OutOfMemoryError: the submission used up the test JVM's heap (" + t.getMessage() + ")";
        }
        if (t instanceof StackOverflowError) {
            return "StackOverflowError: unbounded recursion?";
        }
        if (t instanceof java.util.concurrent.TimeoutException) {
            return "Timed out: " + t.getMessage();
        }
        if (t instanceof SecurityException) {
            return "Refused by the sandbox: " + t.getMessage();
        }
        String name = t instanceof AssertionError ? "" : t.getClass().getName() + ": ";
        return name + (t.getMessage() == null ? "(no message)" : cut(t.getMessage(), 2_000));
    }

    static String cut(String text, int limit) {
        return text.length() <= limit ? text : text.substring(0, limit) + "\n... (" + (text.length() - limit) + " more characters)";
    }
}
