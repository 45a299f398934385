package dev.vwb.grading.runner;

/**
 * The security manager of the test JVM: {@link SandboxPolicy} decides, and this adds what
 * permissions cannot express: no exit for a submission (the class loader grants "exitVM" to the
 * whole class path), and a cap on the threads a submission keeps alive, so a thread bomb fails
 * its own test instead of exhausting the machine's processes.
 */
@SuppressWarnings("removal")
final class SandboxSecurityManager extends SecurityManager {
    private final int maxThreads;

    SandboxSecurityManager(int maxThreads) {
        this.maxThreads = maxThreads;
    }

    @Override
    public void checkExit(int status) {
        super.checkExit(status);
        if (!SandboxPolicy.trustedHere()) {
            throw new SecurityException("System.exit(" + status + ") is not allowed in a submission");
        }
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
