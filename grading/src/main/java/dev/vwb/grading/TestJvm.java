package dev.vwb.grading;

import dev.vwb.grading.runner.SandboxRunner;
import dev.vwb.workbench.FlightRecorder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One run of the test JVM ({@link SandboxRunner}): started in the scratch folder, inside the
 * {@link Isolation}, killed with its whole process tree when its time is up.
 */
final class TestJvm {
    /** Console output kept, in bytes; the rest is read and dropped so a chatty submission cannot block or fill the disk. */
    private static final int CONSOLE_LIMIT = 64 * 1024;
    /** Instructions the flight recorder keeps per VM. */
    private static final int RECORDED_INSTRUCTIONS = 256;

    /**
     * How a run ended.
     *
     * @param exitCode the JVM's exit status (-1 if killed)
     * @param killed   whether its time ran out and it was killed
     * @param console  the start of what it printed outside the tests (stdout and stderr)
     */
    record Run(int exitCode, boolean killed, String console) {
    }

    private TestJvm() {
    }

    /**
     * Runs the runner with {@code runnerArgs} on {@code classpath}, in {@code scratch}, for at
     * most {@code timeLimit}; {@code untrusted} (may be null) is the submission's classes folder.
     */
    static Run run(List<Path> classpath, List<String> runnerArgs, Path scratch, Path results, Path untrusted,
                   Isolation isolation, Limits limits, Duration timeLimit) throws IOException, InterruptedException {
        List<Path> readOnly = new ArrayList<>(classpath);
        List<String> cmd = new ArrayList<>(isolation.prefix(readOnly, List.of(scratch, results), scratch));
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + limits.heapMiB() + "m", "-Xss1m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-XX:-UsePerfData", "-Xshare:auto",
                "-Djava.io.tmpdir=" + scratch, "-Duser.home=" + scratch,
                "-Djava.security.manager=allow", "-Djava.awt.headless=true", "-Dfile.encoding=UTF-8",
                "-D" + FlightRecorder.PROPERTY + "=" + RECORDED_INSTRUCTIONS,
                "-cp", classpath.stream().map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator)),
                SandboxRunner.class.getName()));
        cmd.addAll(runnerArgs);
        if (untrusted != null) {
            cmd.addAll(List.of("--untrusted", untrusted.toString(), "--scratch", scratch.toString(),
                    "--max-threads", String.valueOf(limits.maxThreads())));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(scratch.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> !k.equals("PATH") && !k.equals("LANG"));
        Process p = pb.start();
        p.getOutputStream().close();
        Console console = new Console(p.getInputStream());
        console.start();
        boolean finished = p.waitFor(Math.max(1, timeLimit.toMillis()), TimeUnit.MILLISECONDS);
        if (!finished) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        console.join(2_000);
        return new Run(finished ? p.exitValue() : -1, !finished, console.text());
    }

    /** Reads the JVM's console, keeping the first {@link #CONSOLE_LIMIT} bytes. */
    private static final class Console extends Thread {
        private final InputStream in;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

        Console(InputStream in) {
            super("vwb-grader-console");
            setDaemon(true);
            this.in = in;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    synchronized (kept) {
                        kept.write(buffer, 0, Math.max(0, Math.min(n, CONSOLE_LIMIT - kept.size())));
                    }
                }
            } catch (IOException e) {
                // the JVM was killed: what was read is what there is
            }
        }

        String text() {
            synchronized (kept) {
                return kept.toString(StandardCharsets.UTF_8).lines()
                        .filter(l -> !l.startsWith("WARNING: ") || !(l.contains("deprecated") || l.contains("consider reporting")
                                || l.contains("SecurityManager") || l.contains("future release")))   // the JDK's notes on the security manager
                        .collect(Collectors.joining("\n"));
            }
        }
    }
}
