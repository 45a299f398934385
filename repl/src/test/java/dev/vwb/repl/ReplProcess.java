package dev.vwb.repl;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The launcher ({@code dev.vwb.repl.cli.Main}) in a JVM of its own, its stdin and stdout pipes:
 * what {@code echo ... | ./vwb} does, with this test JVM's class path.
 */
final class ReplProcess implements AutoCloseable {
    private final Process process;
    private final OutputStream in;
    private final StringBuffer out = new StringBuffer();
    /** Where {@link #answer} starts reading. */
    private int read;

    private ReplProcess(Process process) {
        this.process = process;
        this.in = process.getOutputStream();
        Thread reader = new Thread(() -> copy(process.getInputStream()), "repl-process-output");
        reader.setDaemon(true);
        reader.start();
    }

    static ReplProcess start(String... args) throws IOException {
        return new ReplProcess(new ProcessBuilder(command(args)).redirectErrorStream(true).start());
    }

    /** The java command running the launcher with {@code args}. */
    static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), "dev.vwb.repl.cli.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private void copy(InputStream s) {
        byte[] buf = new byte[4096];
        try {
            for (int n; (n = s.read(buf)) > 0; ) {
                out.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            out.append("[output ended: ").append(e.getMessage()).append(']');
        }
    }

    long pid() {
        return process.pid();
    }

    /** Writes a line, as typed. */
    void send(String line) throws IOException {
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** What was printed since the last answer, up to and without the next prompt (waits up to 30 s). */
    String answer() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            int at = out.indexOf(PlainFrontEnd.PROMPT, read);
            if (at >= 0) {
                String a = out.substring(read, at);
                read = at + PlainFrontEnd.PROMPT.length();
                return a;
            }
            if (System.nanoTime() > deadline || !process.isAlive() && out.indexOf(PlainFrontEnd.PROMPT, read) < 0) {
                throw new AssertionError("no prompt; the output so far:\n" + out);
            }
            Thread.sleep(10);
        }
    }

    String output() {
        return out.toString();
    }

    /** Closes stdin (Ctrl-D) and returns the exit status. */
    int finish() throws IOException, InterruptedException {
        in.close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the REPL did not end; its output:\n" + out);
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
