package dev.vwb.workbench.gdb;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real gdb (Debian package {@code gdb}) in batch mode: {@code gdb -batch -nx -ex 'target
 * remote 127.0.0.1:PORT' -ex ...}. Tests that use it are skipped when it is not installed.
 */
public final class RealGdb {
    private RealGdb() {
    }

    /** Skips the calling test unless gdb runs here. */
    public static void assumeInstalled() {
        assumeTrue(installed(), "gdb is not installed (apt-get install gdb); skipping the tests against the real gdb");
    }

    private static boolean installed() {
        try {
            Process p = new ProcessBuilder("gdb", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Starts gdb attached to {@code port}, running {@code commands} in order, then quitting (which detaches). */
    public static Process start(int port, String... commands) throws IOException {
        return start(null, port, commands);
    }

    /** As {@link #start(int, String...)}, with {@code program}'s symbols loaded (null: none). */
    public static Process start(java.nio.file.Path program, int port, String... commands) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("gdb", "-batch", "-nx"));
        if (program != null) {
            cmd.add(program.toString());
        }
        cmd.addAll(List.of("-ex", "set pagination off", "-ex", "set confirm off", "-ex", "target remote 127.0.0.1:" + port));
        for (String c : commands) {
            cmd.add("-ex");
            cmd.add(c);
        }
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
    }

    /** What gdb printed, stdout and stderr together, once it ended (at most 60 s). */
    public static String output(Process gdb) throws Exception {
        byte[] out = gdb.getInputStream().readAllBytes();
        if (!gdb.waitFor(60, TimeUnit.SECONDS)) {
            gdb.destroyForcibly();
            throw new AssertionError("gdb did not end: " + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    /** Runs gdb with {@code commands} and returns its output. */
    public static String run(int port, String... commands) throws Exception {
        return output(start(port, commands));
    }

    /**
     * The value of {@code register} in gdb's {@code info registers} output, or -1: the hex
     * column of the line {@code eax            0x11223344          287454020}.
     */
    public static long register(String output, String register) {
        for (String line : output.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 2 && f[0].equals(register) && f[1].startsWith("0x")) {
                return Long.parseLong(f[1].substring(2), 16);
            }
        }
        return -1;
    }
}
