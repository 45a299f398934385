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
 * {@code vwb bench-hv}: what the hypervisor costs, every figure the best of R rounds measured in
 * this run, bare and virtualized runs alternating so that the JIT and the machine's load affect
 * both alike:
 * <ul>
 *   <li>the compute loop (no exits in it) in MIPS, bare and under the hypervisor;
 *   <li>the host cost of one exit: the {@code exits} guest's CLI/STI pairs and port writes, the
 *       wall time with N of them less the time with none, per exit;
 *   <li>the teaching kernel's wall time bare, in trap and patch mode, and its paravirtual
 *       variant in paravirt mode;
 *   <li>shadow paging: the teaching kernel with a shadow cache of 1, 2, 4 and 8 shadows, and the
 *       mean host cost of a CR3 load, a hidden page fault and a page-table write.
 * </ul>
 */
final class HypervisorBench {
    private HypervisorBench() {
    }

    private static final String USAGE = """
            usage: vwb bench-hv [--rounds R] [--iterations N] [--exits N] [--repeat N]

            Measures the hypervisor (best of R rounds, default 3):
              --iterations N   compute-loop iterations (default 2,000: 21 million instructions),
                               bare and under --hv=patch: MIPS and their ratio
              --exits N        CLI/STI pairs and port writes of the exit benchmark (default 20,000
                               each): the host cost of one privileged-instruction and one port-I/O exit
              --repeat N       teaching-kernel runs per round (default 10): its wall time bare, in
                               trap and patch mode, and teachkernel-pv in paravirt mode; then
                               in patch mode with shadow caches of 1, 2, 4 and 8 (CR3-load,
                               hidden-fault and page-table-write costs)
            """;

    static int run(String[] args, PrintStream out) {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            out.print(USAGE);
            return 0;
        }
        int rounds = 3;
        long iterations = 2_000;
        long exits = 20_000;
        int repeat = 10;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = (int) Math.min(100, number(args, ++i));
                case "--iterations" -> iterations = Math.min(KernelGuests.MAX_COUNT, number(args, ++i));
                case "--exits" -> exits = Math.min(KernelGuests.MAX_COUNT / 2, number(args, ++i));
                case "--repeat" -> repeat = (int) Math.min(10_000, number(args, ++i));
                default -> throw new IllegalArgumentException("bench-hv: unexpected argument '" + args[i] + "'; try --help");
            }
        }
        // 1. The compute loop.
        byte[] compute = KernelGuests.computeImage(iterations);
        double bareMips = 0;
        double hvMips = 0;
        for (int r = 0; r < rounds; r++) {
            Timed b = time(compute, null);
            Timed h = time(compute, Hypervisor.Mode.PATCH);
            bareMips = Math.max(bareMips, b.instructions / b.seconds / 1e6);
            hvMips = Math.max(hvMips, h.instructions / h.seconds / 1e6);
            System.err.printf(Locale.ROOT, "bench-hv: round %d: compute bare %.1f MIPS, under the hypervisor %.1f MIPS%n",
                    r + 1, b.instructions / b.seconds / 1e6, h.instructions / h.seconds / 1e6);
        }
        out.printf(Locale.ROOT, "compute bare %.1f MIPS%n", bareMips);
        out.printf(Locale.ROOT, "compute hv %.1f MIPS (%.1f%% of bare)%n", hvMips, 100 * hvMips / bareMips);

        // 2. The cost of an exit: N of a kind less none, per exit.
        double pair = Double.MAX_VALUE;
        double write = Double.MAX_VALUE;
        double meanCli = 0;
        double meanOut = 0;
        for (int r = 0; r < rounds; r++) {
            Timed none = time(KernelGuests.exitsImage(0, 0), Hypervisor.Mode.PATCH);
            Timed pairs = time(KernelGuests.exitsImage(exits, 0), Hypervisor.Mode.PATCH);
            Timed writes = time(KernelGuests.exitsImage(0, exits), Hypervisor.Mode.PATCH);
            long pairExits = pairs.exits.total() - none.exits.total();
            long writeExits = writes.exits.total() - none.exits.total();
            double p = (pairs.seconds - none.seconds) / pairExits;
            double w = (writes.seconds - none.seconds) / writeExits;
            if (p < pair) {
                pair = p;
                meanCli = pairs.exits.stats().get(ExitReason.PRIVILEGED_INSTRUCTION).meanNanos();
            }
            if (w < write) {
                write = w;
                meanOut = writes.exits.stats().get(ExitReason.PORT_IO).meanNanos();
            }
            System.err.printf(Locale.ROOT, "bench-hv: round %d: %.2f us per CLI/STI exit, %.2f us per port-write exit%n",
                    r + 1, p * 1e6, w * 1e6);
        }
        out.printf(Locale.ROOT, "exit privileged instruction (CLI/STI) %.2f us wall, %.2f us in the hypervisor%n", pair * 1e6, meanCli / 1e3);
        out.printf(Locale.ROOT, "exit port I/O (OUT 80h) %.2f us wall, %.2f us in the hypervisor%n", write * 1e6, meanOut / 1e3);

        // 3. The teaching kernel, four ways.
        byte[] kernel = KernelGuests.image("teachkernel");
        byte[] pv = KernelGuests.image("teachkernel-pv");
        double[] best = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        long[] exitCounts = new long[4];
        for (int r = 0; r < rounds; r++) {
            double[] sum = new double[4];
            for (int k = 0; k < repeat; k++) {
                sum[0] += time(kernel, null).seconds;
                Timed t = time(kernel, Hypervisor.Mode.TRAP);
                sum[1] += t.seconds;
                exitCounts[1] = t.exits.total();
                t = time(kernel, Hypervisor.Mode.PATCH);
                sum[2] += t.seconds;
                exitCounts[2] = t.exits.total();
                t = time(pv, Hypervisor.Mode.PARAVIRT);
                sum[3] += t.seconds;
                exitCounts[3] = t.exits.total();
            }
            for (int k = 0; k < 4; k++) {
                best[k] = Math.min(best[k], sum[k] / repeat);
            }
            System.err.printf(Locale.ROOT, "bench-hv: round %d: teachkernel bare %.2f ms, trap %.2f ms, patch %.2f ms,"
                    + " paravirt %.2f ms%n", r + 1, 1e3 * sum[0] / repeat, 1e3 * sum[1] / repeat, 1e3 * sum[2] / repeat,
                    1e3 * sum[3] / repeat);
        }
        out.printf(Locale.ROOT, "teachkernel bare %.2f ms%n", best[0] * 1e3);
        String[] names = {"", "trap", "patch", "paravirt"};
        for (int k = 1; k < 4; k++) {
            out.printf(Locale.ROOT, "teachkernel %s %.2f ms (%.2fx bare, %d exits)%n", names[k], best[k] * 1e3, best[k] / best[0],
                    exitCounts[k]);
        }
        // 4. Shadow paging: the teaching kernel with shadow caches of 1 to 8, and the costs of its events.
        for (int cache : new int[] {1, 2, 4, 8}) {
            double bestCache = Double.MAX_VALUE;
            Timed last = null;
            for (int r = 0; r < rounds; r++) {
                double sum = 0;
                for (int k = 0; k < repeat; k++) {
                    last = time(kernel, Hypervisor.Mode.PATCH, cache);
                    sum += last.seconds;
                }
                bestCache = Math.min(bestCache, sum / repeat);
            }
            ExitLog log = last.exits;
            out.printf(Locale.ROOT, "shadow cache %d: teachkernel %.2f ms (%.2fx bare), %d shadows built, %d evicted,"
                            + " %d hidden faults, CR3 load %.2f us, hidden fault %.2f us, page-table write %.2f us%n",
                    cache, bestCache * 1e3, bestCache / best[0], log.count(ExitReason.SHADOW_BUILT),
                    log.count(ExitReason.SHADOW_EVICTED), log.count(ExitReason.HIDDEN_PAGE_FAULT), meanCr3Load(log) / 1e3,
                    mean(log, ExitReason.HIDDEN_PAGE_FAULT) / 1e3, mean(log, ExitReason.PAGE_TABLE_WRITE) / 1e3);
        }
        return 0;
    }

    private static double mean(ExitLog log, ExitReason reason) {
        ExitLog.Stat s = log.stats().get(reason);
        return s == null ? 0 : s.meanNanos();
    }

    /** The mean host cost of the guest's MOV CR3 exits (the last 10,000 exits are kept: all of the teaching kernel's). */
    private static double meanCr3Load(ExitLog log) {
        return log.recent().stream()
                .filter(e -> e instanceof dev.vwb.workbench.hv.VmExit.PrivilegedInstruction p && p.mnemonic().equals("MOV_CR_R")
                        && p.site().action().startsWith("virtual CR3"))
                .mapToLong(e -> e.site().nanos()).average().orElse(0);
    }

    private record Timed(double seconds, long instructions, ExitLog exits) {
    }

    private static Timed time(byte[] kernel, Hypervisor.Mode mode) {
        return time(kernel, mode, Hypervisor.DEFAULT_SHADOW_CACHE);
    }

    private static Timed time(byte[] kernel, Hypervisor.Mode mode, int shadowCache) {
        Machine machine = Machine.builder().ramMiB(16).build();
        try {
            MultibootLoader.load(machine, kernel);
        } catch (KernelFormatException e) {
            throw new IllegalStateException(e);
        }
        // Booting onto a host machine (allocating and copying the guest's RAM) is not timed: bare
        // runs do not pay for making their machine either.
        Hypervisor hv = mode == null ? null : Hypervisor.boot(machine, mode, shadowCache);
        if (hv != null) {
            machine = hv.machine();
        }
        long start = System.nanoTime();
        RunResult result = machine.run(Long.MAX_VALUE / 4);
        double s = (System.nanoTime() - start) / 1e9;
        if (result.reason() != StopReason.EXIT_DEVICE) {
            throw new IllegalStateException("a benchmark guest did not finish" + (mode == null ? "" : " under " + mode.label())
                    + ": " + result);
        }
        return new Timed(s, result.instructions() - machine.cpu().idleSteps(), hv == null ? null : hv.exits());
    }

    private static long number(String[] args, int i) {
        return dev.vwb.machine.cli.Args.positiveLong(args, i, "bench-hv: " + args[i - 1]);
    }
}
