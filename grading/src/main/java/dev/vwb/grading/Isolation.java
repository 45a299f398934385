package dev.vwb.grading;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How the test JVM is walled off from the machine, decided once per grader: inside bubblewrap
 * when it is installed and works here (user namespaces may be off, as in many containers), else
 * the JVM alone. The Java security manager ({@code runner.SandboxPolicy}) and the time and heap
 * limits apply either way.
 */
enum Isolation {
    /** bwrap: only the system folders, the JDK and the class path, read-only; scratch and results writable; no network; own PID namespace. */
    BUBBLEWRAP("bubblewrap (read-only file system, no network, own process tree) + Java security manager"),
    /** The JVM with the security manager: no network, no exit, files only in scratch, for the submission's code. */
    JVM_ONLY("Java security manager only (bubblewrap is not installed or cannot run here)");

    private static volatile Boolean bwrapWorks;
    private final String description;

    Isolation(String description) {
        this.description = description;
    }

    String description() {
        return description;
    }

    /** BUBBLEWRAP if asked for and {@code bwrap --ro-bind / / true} runs here, else JVM_ONLY. */
    static Isolation choose(boolean wantBubblewrap) {
        return wantBubblewrap && bwrapWorks() ? BUBBLEWRAP : JVM_ONLY;
    }

    private static boolean bwrapWorks() {
        Boolean works = bwrapWorks;
        if (works == null) {
            try {
                Process p = new ProcessBuilder("bwrap", "--ro-bind", "/", "/", "--unshare-net", "--unshare-pid",
                        "--die-with-parent", "true").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                works = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
                p.destroyForcibly();
            } catch (IOException e) {
                works = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                works = false;
            }
            bwrapWorks = works;
        }
        return works;
    }

    /**
     * The command prefix that runs a command in this isolation: empty for JVM_ONLY; for
     * BUBBLEWRAP, a new root holding only the system folders, the JDK and {@code readOnly}
     * (read-only) and {@code writable} — so the grader's workspace, with the solutions in it, is
     * not even visible.
     */
    List<String> prefix(List<Path> readOnly, List<Path> writable, Path workingDir) {
        if (this == JVM_ONLY) {
            return List.of();
        }
        List<String> cmd = new ArrayList<>(List.of("bwrap", "--unshare-net", "--unshare-pid", "--unshare-ipc",
                "--unshare-uts", "--die-with-parent", "--new-session", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"));
        for (String system : List.of("/usr", "/etc", "/bin", "/sbin", "/lib", "/lib32", "/lib64")) {
            Path p = Path.of(system);
            try {
                if (Files.isSymbolicLink(p)) {
                    cmd.addAll(List.of("--symlink", Files.readSymbolicLink(p).toString(), system));
                } else if (Files.isDirectory(p)) {
                    cmd.addAll(List.of("--ro-bind", system, system));
                }
            } catch (IOException e) {
                // an unreadable system folder is simply not there inside
            }
        }
        Path javaHome = Path.of(System.getProperty("java.home")).toAbsolutePath();
        bind(cmd, "--ro-bind", javaHome);
        readOnly.forEach(p -> bind(cmd, "--ro-bind", p));
        writable.forEach(p -> bind(cmd, "--bind", p));
        cmd.addAll(List.of("--chdir", workingDir.toString(), "--"));
        return cmd;
    }

    private static void bind(List<String> cmd, String how, Path p) {
        try {
            String real = p.toRealPath().toString();
            cmd.addAll(List.of(how, real, real));
            if (!real.equals(p.toAbsolutePath().toString())) {
                cmd.addAll(List.of(how, real, p.toAbsolutePath().toString()));
            }
        } catch (IOException e) {
            // a path that does not exist needs no binding
        }
    }
}
