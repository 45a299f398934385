package dev.vwb.repl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A program in a pseudo-terminal, driven as a user drives it: tmux's {@code send-keys} types,
 * {@code capture-pane} reads the screen. Each instance runs a tmux server of its own on a private
 * socket, in the foreground ({@code -D}: no daemon, so it runs wherever a child process can).
 */
final class Tmux implements AutoCloseable {
    private static final String SESSION = "repl";
    private final Path dir;
    private final Path socket;
    private final Process server;

    private Tmux(Path dir, Process server) {
        this.dir = dir;
        this.socket = dir.resolve("socket");
        this.server = server;
    }

    /** Whether tmux can be run here. */
    static boolean installed() {
        try {
            Process p = new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Runs {@code command} (words, quoted for the shell here) in a {@code width} x {@code height} terminal. */
    static Tmux run(List<String> command, int width, int height) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("vwb-tmux");
        Path config = Files.writeString(dir.resolve("tmux.conf"), "set -g remain-on-exit off\n");
        Process server = new ProcessBuilder("tmux", "-S", dir.resolve("socket").toString(), "-f", config.toString(), "-D")
                .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
        Tmux t = new Tmux(dir, server);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(t.socket)) {
            if (System.nanoTime() > deadline) {
                t.close();
                throw new IOException("the tmux server did not start: " + Files.readString(dir.resolve("server.log")));
            }
            Thread.sleep(10);
        }
        List<String> quoted = command.stream().map(w -> "'" + w.replace("'", "'\\''") + "'").toList();
        t.tmux("new-session", "-d", "-s", SESSION, "-x", Integer.toString(width), "-y", Integer.toString(height),
                String.join(" ", quoted));
        return t;
    }

    /** Types {@code text} as it is. */
    void type(String text) throws IOException, InterruptedException {
        tmux("send-keys", "-t", SESSION, "-l", text);
    }

    /** Presses keys by tmux's names: {@code Enter}, {@code Tab}, {@code C-c}, {@code Left}, {@code Up} ... */
    void press(String... keys) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", SESSION));
        args.addAll(List.of(keys));
        tmux(args.toArray(new String[0]));
    }

    /** The screen as text. */
    String screen() throws IOException, InterruptedException {
        return tmux("capture-pane", "-p", "-t", SESSION);
    }

    /** The screen with its colours, as escape sequences. */
    String screenWithColours() throws IOException, InterruptedException {
        return tmux("capture-pane", "-p", "-e", "-t", SESSION);
    }

    /** The last line of the screen that is not empty. */
    String lastLine() throws IOException, InterruptedException {
        List<String> lines = screen().lines().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    /** Waits until the screen shows {@code text}; returns the screen, or fails with it. */
    String waitFor(String text, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String s = screen();
        while (!s.contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the screen does not show '" + text + "':\n" + s);
            }
            Thread.sleep(20);
            s = screen();
        }
        return s;
    }

    /** Waits until the screen shows {@code text} {@code n} times. */
    String waitForCount(String text, int n, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String s = screen();
        while (count(s, text) < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the screen does not show '" + text + "' " + n + " times:\n" + s);
            }
            Thread.sleep(20);
            s = screen();
        }
        return s;
    }

    static int count(String s, String text) {
        int n = 0;
        for (int at = s.indexOf(text); at >= 0; at = s.indexOf(text, at + 1)) {
            n++;
        }
        return n;
    }

    /** Whether the program still runs (its session ends with it). */
    boolean running() throws InterruptedException {
        try {
            Process p = new ProcessBuilder("tmux", "-S", socket.toString(), "has-session", "-t", SESSION)
                    .redirectErrorStream(true).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private String tmux(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-S", socket.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("tmux " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            new ProcessBuilder("tmux", "-S", socket.toString(), "kill-server").redirectErrorStream(true).start()
                    .waitFor(10, TimeUnit.SECONDS);
        } finally {
            if (!server.waitFor(5, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }
}
