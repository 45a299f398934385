package dev.vwb.grading.runner;

/**
 * The security manager of the test JVM: {@link SandboxPolicy} decides; this adds the one limit
 * permissions cannot express, a cap on the threads a submission keeps alive, so a thread bomb
 * fails its own test instead of exhausting the machine's processes.
 */
@SuppressWarnings("removal")
final class SandboxSecurityManager extends SecurityManager {
    private final int maxThreads;

    SandboxSecurityManager(int maxThreads) {
        this.maxThreads = maxThreads;
    }

    /** Called as a thread is made in {@code group}: refused to the submission past the cap. */
    @Override
    public void checkAccess(ThreadGroup group) {
        super.checkAccess(group);
        if (Thread.activeCount() >= maxThreads && !SandboxPolicy.trustedHere()) {
            throw new SecurityException("too many threads: the sandbox allows " + maxThreads + " at a time");
        }
    }
}
