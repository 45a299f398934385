package dev.vwb.repl;

/**
 * Start-up milestones on stderr, milliseconds since the JVM started, when the system property
 * {@code vwb.timing} is set ({@code java -Dvwb.timing ...}): where the time to the prompt goes.
 */
final class Timing {
    private static final boolean ON = System.getProperty("vwb.timing") != null;

    private Timing() {
    }

    static void mark(String what) {
        if (ON) {
            long start = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
            System.err.printf("vwb: %-16s %5d ms%n", what, System.currentTimeMillis() - start);
        }
    }
}
