package dev.vwb.workbench.cli;

import dev.vwb.machine.Machine;
import dev.vwb.machine.RunResult;
import dev.vwb.machine.StopReason;
import dev.vwb.machine.loader.KernelFormatException;
import dev.vwb.machine.loader.MultibootLoader;
import dev.vwb.workbench.guests.KernelGuests;
import dev.vwb.workbench.hv.ExitLog;
import dev.vwb.workbench.hv.ExitReason;
import dev.vwb.workbench.hv.Hypervisor;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@code vwb bench-hv}: what the hypervisor costs, each figure the best of R rounds measured in
 * this run: the teaching kernel's wall time virtualized (patch and trap) over bare, and the mean
 * host cost of an exit by reason. Bare and virtualized runs alternate so that the JIT and the
 * machine's load affect both alike.
 */
final class HypervisorBench {
    private HypervisorBench() {
    }

    private static final String USAGE = """
            usage: vwb bench-hv [--rounds R] [--repeat N]

            Runs the teaching kernel bare and under the hypervisor (patch and trap modes), N times
            per round (default 20), R rounds (default 5), and prints the best wall time of each,
            the overhead ratios and the mean host cost of each kind of VM exit.
            """;

    static int run(String[] args, PrintStream out) {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            out.print(USAGE);
            return 0;
        }
        int rounds = 5;
        int repeat = 20;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = (int) Math.min(100, number(args, ++i));
                case "--repeat" -> repeat = (int) Math.min(10_000, number(args, ++i));
                default -> throw new IllegalArgumentException("bench-hv: unexpected argument '" + args[i] + "'; try --help");
            }
        }
        byte[] kernel = KernelGuests.image("teachkernel");
        double bare = Double.MAX_VALUE;
        double patch = Double.MAX_VALUE;
        double trap = Double.MAX_VALUE;
        ExitLog lastPatch = null;
        for (int r = 0; r < rounds; r++) {
            double b = 0;
            double p = 0;
            double t = 0;
            for (int k = 0; k < repeat; k++) {
                b += seconds(kernel, null).seconds;
                Timed tp = seconds(kernel, Hypervisor.Mode.PATCH);
                p += tp.seconds;
                lastPatch = tp.exits;
                t += seconds(kernel, Hypervisor.Mode.TRAP).seconds;
            }
            bare = Math.min(bare, b / repeat);
            patch = Math.min(patch, p / repeat);
            trap = Math.min(trap, t / repeat);
            System.err.printf(Locale.ROOT, "bench-hv: round %d: teachkernel bare %.2f ms, patch %.2f ms, trap %.2f ms%n",
                    r + 1, 1e3 * b / repeat, 1e3 * p / repeat, 1e3 * t / repeat);
        }
        out.printf(Locale.ROOT, "teachkernel bare %.2f ms%n", bare * 1e3);
        out.printf(Locale.ROOT, "teachkernel patch %.2f ms (%.2fx bare, %d exits)%n", patch * 1e3, patch / bare, lastPatch.total());
        out.printf(Locale.ROOT, "teachkernel trap %.2f ms (%.2fx bare)%n", trap * 1e3, trap / bare);
        for (ExitLog.Stat s : lastPatch.stats().values()) {
            out.printf(Locale.ROOT, "exit %s: %d, mean %.2f us%n", s.reason().label(), s.count(), s.meanNanos() / 1e3);
        }
        return 0;
    }

    private record Timed(double seconds, ExitLog exits) {
    }

    private static Timed seconds(byte[] kernel, Hypervisor.Mode mode) {
        Machine machine = Machine.builder().ramMiB(16).build();
        try {
            MultibootLoader.load(machine, kernel);
        } catch (KernelFormatException e) {
            throw new IllegalStateException(e);
        }
        long start = System.nanoTime();
        Hypervisor hv = mode == null ? null : Hypervisor.attach(machine, mode);
        RunResult result = machine.run(100_000_000);
        double s = (System.nanoTime() - start) / 1e9;
        if (result.reason() != StopReason.EXIT_DEVICE) {
            throw new IllegalStateException("the teaching kernel did not finish" + (mode == null ? "" : " under " + mode) + ": " + result);
        }
        return new Timed(s, hv == null ? null : hv.exits());
    }

    private static long number(String[] args, int i) {
        return dev.vwb.machine.cli.Args.positiveLong(args, i, "bench-hv: " + args[i - 1]);
    }
}
