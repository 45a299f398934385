package dev.vwb.workbench.cli;

import dev.vwb.machine.Machine;
import dev.vwb.machine.RunResult;
import dev.vwb.machine.StopReason;
import dev.vwb.machine.cli.Args;
import dev.vwb.machine.guests.BenchGuest;
import dev.vwb.tracing.EventKind;
import dev.vwb.tracing.RingBuffer;
import dev.vwb.tracing.Tracer;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@code vwb bench-trace}: the bench guest three ways, reporting the best MIPS of each: tracing
 * every instruction into a ring buffer (first, as {@code ./vwb run --trace} runs in a fresh JVM);
 * then bare and with a tracer built but not attached (which must cost nothing), alternating so
 * that the JIT and the machine's load affect both alike; then tracing once more, as a REPL session
 * traces after untraced runs (the CPU's observed run loop is a method of its own so that the JIT's
 * work for untraced runs does not slow it down).
 */
final class TraceBench {
    private TraceBench() {
    }

    private static final String USAGE = """
            usage: vwb bench-trace [--iterations N] [--traced-iterations N] [--rounds R] [--capacity EVENTS]

            Runs the bench guest (the loop of ./vwb bench) with a tracer recording every
            instruction into a ring buffer, then on the bare machine and with a detached tracer
            (alternating); prints the best MIPS of each over R rounds (default 3) on stdout.
              --iterations N          loop iterations of the untraced runs (default 50,000: about 525 million instructions)
              --traced-iterations N   loop iterations of the traced run (default 5,000)
              --capacity EVENTS       ring buffer size (default 1,000,000)
            """;

    static int run(String[] args, PrintStream out) {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            out.print(USAGE);
            return 0;
        }
        long iterations = 50_000;
        long tracedIterations = 5_000;
        int rounds = 3;
        int capacity = 1_000_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--iterations" -> iterations = number(args, ++i);
                case "--traced-iterations" -> tracedIterations = number(args, ++i);
                case "--rounds" -> rounds = (int) Math.min(100, number(args, ++i));
                case "--capacity" -> capacity = (int) Math.min(1 << 26, number(args, ++i));
                default -> throw new IllegalArgumentException("bench-trace: unexpected argument '" + args[i] + "'; try --help");
            }
        }
        double traced = bestRingTrace(rounds, tracedIterations, capacity, "ring trace");
        double bare = 0;
        double detached = 0;
        for (int r = 0; r < rounds; r++) {
            double b = mips(iterations, null);
            Tracer unattached = Tracer.builder().kinds(EventKind.INSTRUCTION).sink(new RingBuffer(16)).build();
            double d = mips(iterations, unattached);
            bare = Math.max(bare, b);
            detached = Math.max(detached, d);
            System.err.printf(Locale.ROOT, "bench-trace: round %d: bare %.1f, detached tracer %.1f MIPS%n", r + 1, b, d);
        }
        double tracedAfter = bestRingTrace(rounds, tracedIterations, capacity, "ring trace after untraced runs");
        out.printf(Locale.ROOT, "bare %.1f MIPS%n", bare);
        out.printf(Locale.ROOT, "detached-tracer %.1f MIPS (%.1f%% of bare)%n", detached, 100 * detached / bare);
        out.printf(Locale.ROOT, "ring-trace %.1f MIPS%n", traced);
        out.printf(Locale.ROOT, "ring-trace-after-untraced %.1f MIPS%n", tracedAfter);
        return 0;
    }

    /** The best MIPS of {@code rounds} runs tracing every instruction into a ring, each reported on stderr as {@code what}. */
    private static double bestRingTrace(int rounds, long iterations, int capacity, String what) {
        double best = 0;
        for (int r = 0; r < rounds; r++) {
            double m = mips(iterations, new RingBuffer(capacity));
            best = Math.max(best, m);
            System.err.printf(Locale.ROOT, "bench-trace: %s, round %d: %.1f MIPS%n", what, r + 1, m);
        }
        return best;
    }

    /** MIPS of one run: {@code extra} is a detached tracer, a ring buffer to trace into, or null. */
    private static double mips(long iterations, Object extra) {
        Machine machine = Machine.builder().ramMiB(16).bios(BenchGuest.image(iterations)).build();
        Tracer tracer = null;
        if (extra instanceof RingBuffer ring) {
            tracer = Tracer.builder().kinds(EventKind.INSTRUCTION).sink(ring).build().attach(machine);
        }
        long start = System.nanoTime();
        RunResult result = machine.run(Long.MAX_VALUE / 4);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (tracer != null) {
            tracer.close();
        }
        if (result.reason() != StopReason.EXIT_DEVICE) {
            throw new IllegalStateException("the bench guest did not finish: " + result);
        }
        return result.instructions() / seconds / 1e6;
    }

    private static long number(String[] args, int i) {
        return Args.positiveLong(args, i, "bench-trace: " + args[i - 1]);
    }
}
