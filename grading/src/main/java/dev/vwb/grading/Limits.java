package dev.vwb.grading;

import java.time.Duration;

/**
 * The limits one submission is graded under.
 *
 * @param testTimeout       wall time per test; a test past it fails as timed out
 * @param submissionTimeout wall time for all of a submission's tests, JVM restarts included
 * @param heapMiB           the test JVM's heap (-Xmx)
 * @param maxThreads        threads the submission may have alive at once
 * @param bubblewrap        whether to run the test JVM inside bubblewrap when it works here
 */
public record Limits(Duration testTimeout, Duration submissionTimeout, int heapMiB, int maxThreads, boolean bubblewrap) {
    /** 10 s a test, 120 s a submission, 512 MiB of heap, 32 threads, bubblewrap when it works. */
    public static Limits defaults() {
        return new Limits(Duration.ofSeconds(10), Duration.ofSeconds(120), 512, 32, true);
    }

    public Limits withTimeouts(Duration test, Duration submission) {
        return new Limits(test, submission, heapMiB, maxThreads, bubblewrap);
    }

    public Limits withHeap(int mib) {
        return new Limits(testTimeout, submissionTimeout, mib, maxThreads, bubblewrap);
    }

    public Limits withBubblewrap(boolean on) {
        return new Limits(testTimeout, submissionTimeout, heapMiB, maxThreads, on);
    }
}
