package dev.vwb.repl.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./vwb bench-repl [LAUNCHES] [ROUND_TRIPS]}: what a user waits for. The time from
 * launching the REPL to its prompt, through a pipe (plain front end) and in a terminal (tmux, the
 * JLine front end), and the round trip of {@code si} (the command written, its answer and the next
 * prompt read back) over a pipe; for comparison, the first Java snippet after launch (it waits for
 * JShell) and the round trip of a Java snippet once JShell is warm. Each launch is a new JVM, as
 * {@code ./vwb} starts one.
 */
final class ReplBench {
    private static final String PROMPT = "vwb> ";

    private ReplBench() {
    }

    static int run(String[] args, PrintStream out) throws Exception {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            out.println("usage: ./vwb bench-repl [LAUNCHES (5)] [ROUND_TRIPS (200)]");
            out.println("Time from launch to the REPL's prompt (pipe and tmux), and the si round trip over a pipe.");
            return 0;
        }
        int launches = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int trips = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        out.printf(Locale.ROOT, "vwb bench-repl: %d launches, %d si round trips (%d cores, load %.2f)%n", launches, trips,
                Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        out.println("java options: " + String.join(" ", javaCommand().subList(1, javaCommand().indexOf("-cp"))));
        List<Double> pipe = new ArrayList<>();
        List<Double> firstJava = new ArrayList<>();
        for (int i = 0; i < launches; i++) {
            try (Session s = Session.launch()) {
                pipe.add(s.readPrompt());
                s.roundTrip("vm.time()");
                firstJava.add(s.sinceLaunch());
            }
        }
        out.println(line("prompt ready, pipe (plain front end)", pipe, "s", 1, "target < 2 s"));
        List<Double> tmux = tmuxLaunches(launches);
        if (tmux.isEmpty()) {
            out.println("prompt ready, terminal (tmux): skipped, tmux is not installed (apt-get install -y tmux)");
        } else {
            out.println(line("prompt ready, terminal (tmux, JLine)", tmux, "s", 1, "target < 2 s"));
        }
        out.println(line("first Java snippet answered (vm.time())", firstJava, "s", 1, "waits for JShell"));
        try (Session s = Session.launch()) {
            s.readPrompt();
            s.roundTrip("vm.time()");
            List<Double> si = new ArrayList<>();
            for (int i = 0; i < trips; i++) {
                si.add(s.roundTrip("si"));
            }
            out.println(line("si round trip", si, "ms", 1000, "target < 20 ms"));
            List<Double> java = new ArrayList<>();
            for (int i = 0; i < Math.max(5, trips / 10); i++) {
                java.add(s.roundTrip("vm.step(1)"));
            }
            out.println(line("Java snippet round trip (vm.step(1))", java, "ms", 1000, "JShell compiles each snippet"));
        }
        return 0;
    }

    private static String line(String what, List<Double> seconds, String unit, double scale, String note) {
        List<Double> sorted = new ArrayList<>(seconds);
        Collections.sort(sorted);
        double median = sorted.get(sorted.size() / 2) * scale;
        double p95 = sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.95) - 1)) * scale;
        double mean = sorted.stream().mapToDouble(d -> d).average().orElse(0) * scale;
        return String.format(Locale.ROOT, "%-42s median %7.2f %s  mean %7.2f  p95 %7.2f  min %7.2f  max %7.2f  (%s)", what,
                median, unit, mean, p95, sorted.get(0) * scale, sorted.get(sorted.size() - 1) * scale, note);
    }

    /**
     * The java command that runs the REPL as {@code ./vwb} does: this JVM's binary, options (the
     * script's, class-data archive included) and class path.
     */
    private static List<String> javaCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "repl"));
        return cmd;
    }

    /**
     * Launches in tmux (a pseudo-terminal, so the JLine front end), polling the pane for the
     * prompt. The tmux server is one of its own on a private socket, run in the foreground
     * ({@code -D}), so that it runs wherever a child process can.
     */
    private static List<Double> tmuxLaunches(int launches) throws IOException, InterruptedException {
        List<Double> times = new ArrayList<>();
        if (!tmuxInstalled()) {
            return times;
        }
        Path dir = Files.createTempDirectory("vwb-bench-repl");
        Path socket = dir.resolve("socket");
        Path history = dir.resolve("history");
        Process server = new ProcessBuilder("tmux", "-S", socket.toString(), "-D").redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile()).start();
        try {
            waitForFile(socket);
            for (int i = 0; i < launches; i++) {
                String name = "launch-" + i;
                List<String> java = new ArrayList<>(javaCommand());
                java.add(1, "-Dvwb.history=" + history);
                long start = System.nanoTime();
                exec(List.of("tmux", "-S", socket.toString(), "new-session", "-d", "-s", name, "-x", "160", "-y", "50",
                        String.join(" ", java.stream().map(ReplBench::shellQuote).toList())));
                try {
                    // capture-pane drops the space at the end of the prompt's line
                    while (!exec(List.of("tmux", "-S", socket.toString(), "capture-pane", "-p", "-t", name))
                            .contains(PROMPT.strip())) {
                        if (System.nanoTime() - start > 30_000_000_000L) {
                            throw new IOException("no prompt in tmux after 30 s");
                        }
                        Thread.sleep(20);   // each look is a tmux process: looking more often would load the machine it measures
                    }
                    times.add((System.nanoTime() - start) / 1e9);
                } finally {
                    exec(List.of("tmux", "-S", socket.toString(), "kill-session", "-t", name));
                }
            }
        } finally {
            exec(List.of("tmux", "-S", socket.toString(), "kill-server"));
            if (!server.waitFor(5, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
            for (Path f : List.of(socket, history, dir.resolve("server.log"), dir)) {
                Files.deleteIfExists(f);
            }
        }
        return times;
    }

    private static void waitForFile(Path file) throws IOException, InterruptedException {
        long start = System.nanoTime();
        while (!Files.exists(file)) {
            if (System.nanoTime() - start > 10_000_000_000L) {
                throw new IOException("the tmux server did not start");
            }
            Thread.sleep(10);
        }
    }

    private static boolean tmuxInstalled() {
        try {
            exec(List.of("tmux", "-V"));
            return true;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String exec(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return text;
    }

    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** One REPL process driven through a pipe. */
    private static final class Session implements AutoCloseable {
        private final Process process;
        private final long start = System.nanoTime();
        private final InputStream in;
        private final OutputStream out;

        private Session(Process process) {
            this.process = process;
            this.in = process.getInputStream();
            this.out = process.getOutputStream();
        }

        static Session launch() throws IOException {
            return new Session(new ProcessBuilder(javaCommand()).redirectErrorStream(true).start());
        }

        double sinceLaunch() {
            return (System.nanoTime() - start) / 1e9;
        }

        /** Reads until the prompt; returns the seconds since launch. */
        double readPrompt() throws IOException {
            StringBuilder seen = new StringBuilder();
            while (seen.length() < PROMPT.length() || seen.indexOf(PROMPT, seen.length() - PROMPT.length()) < 0) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("the REPL ended before its prompt: " + seen);
                }
                seen.append((char) b);
            }
            return sinceLaunch();
        }

        /** Writes {@code line}, reads up to the next prompt; the seconds it took. */
        double roundTrip(String line) throws IOException {
            long t0 = System.nanoTime();
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            readPrompt();
            return (System.nanoTime() - t0) / 1e9;
        }

        @Override
        public void close() throws IOException {
            out.close();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
