package dev.vwb.machine.bench;

import dev.vwb.machine.Machine;
import dev.vwb.machine.RunResult;
import dev.vwb.machine.StopReason;
import dev.vwb.machine.guests.BenchGuest;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.LongFunction;

/**
 * {@code vwb bench}: runs the bundled {@code bench} guest in vwb and, when it is installed, in
 * QEMU's TCG, and reports both speeds in MIPS (millions of guest instructions per second).
 *
 * <p>How the figures are made comparable:
 * <ul>
 *   <li>The guest retires exactly {@code a + b*N} instructions for N iterations (see
 *       {@code bench.asm}); vwb measures {@code a} and {@code b} with N = 1 and 2 and checks N = 3.
 *       QEMU runs the same program, so it executes the same count: that is how we know how many
 *       instructions QEMU ran without asking it ({@code QemuEquivalenceTest} checks the claim).
 *   <li>vwb runs in this JVM: it first runs the guest for a few seconds so the JIT compiles the
 *       interpreter, then times one run of at least {@code --seconds}.
 *   <li>QEMU is a new process each time, with a start-up cost. We time a run with N = 1 and a
 *       long run, and divide the difference in instructions by the difference in time, so the
 *       start-up cost cancels out.
 *   <li>Both engines must print the same checksum and exit with the same status for the same N.
 *   <li>The paging variant ({@code bench-paging.asm}, the same loop with CR0.PG set and 4 KiB
 *       pages) is calibrated and timed in vwb the same way, and must print the flat variant's
 *       checksum; {@code paging/flat} is the ratio of its speed to the flat variant's.
 * </ul>
 */
public final class Bench {
    private static final String USAGE = """
            usage: vwb bench [--iterations N] [--seconds S] [--no-qemu] [--no-paging]

            Runs the bench guest (integer ALU work, loads and stores, branches, calls) in vwb
            and, if qemu-system-i386 is installed, in QEMU TCG; prints each engine's speed in
            MIPS and the ratio. Then runs the same loop in vwb with paging on (4 KiB pages)
            and prints its speed (vwb-paging) and its ratio to the flat run (paging/flat).

              --iterations N  run N outer iterations (about 10,500 instructions each) in the
                              timed runs, instead of choosing N to last --seconds
              --seconds S     how long each timed run should last (default 3); the JIT
                              warm-up of vwb takes at least as long
              --no-qemu       measure vwb only
              --no-paging     skip the paging-on run
              --help          show this text
            """;

    /** The step budget of a calibration run (N <= 3 needs about 35,000), and the slack of longer runs. */
    private static final long CALIBRATION_BUDGET = 10_000_000;

    private Bench() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    /** Runs the benchmark; returns the process exit code (0 ok, 1 failure, 2 bad usage). */
    public static int run(String[] args, PrintStream out) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("vwb bench: " + e.getMessage());
            System.err.print(USAGE);
            return 2;
        }
        if (options.help) {
            out.print(USAGE);
            return 0;
        }
        try {
            return new Bench.Session(options, out).run();
        } catch (BenchFailure e) {
            System.err.println("vwb bench: FAILED: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            System.err.println("vwb bench: cannot run QEMU: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.err.println("vwb bench: interrupted");
            return 1;
        }
    }

    // ---- options ---------------------------------------------------------------------------

    private static final class Options {
        OptionalLong iterations = OptionalLong.empty();
        double seconds = 3;
        boolean qemu = true;
        boolean paging = true;
        boolean help;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--help", "-h" -> o.help = true;
                    case "--no-qemu" -> o.qemu = false;
                    case "--no-paging" -> o.paging = false;
                    case "--iterations" -> {
                        long n = parseNumber(args, ++i, "--iterations");
                        if (n < 1 || n > BenchGuest.MAX_ITERATIONS) {
                            throw new IllegalArgumentException("--iterations must be between 1 and "
                                    + BenchGuest.MAX_ITERATIONS);
                        }
                        o.iterations = OptionalLong.of(n);
                    }
                    case "--seconds" -> {
                        o.seconds = parseNumber(args, ++i, "--seconds");
                        if (o.seconds < 1 || o.seconds > 600) {
                            throw new IllegalArgumentException("--seconds must be between 1 and 600");
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
                }
            }
            return o;
        }

        private static long parseNumber(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a number");
            }
            try {
                return Long.parseLong(args[i].replace("_", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " needs a whole number, not '" + args[i] + "'");
            }
        }
    }

    /** A check that failed: the engines disagree, or the guest did not behave. */
    private static final class BenchFailure extends Exception {
        BenchFailure(String message) {
            super(message);
        }
    }

    /** Instructions the bench guest retires for N iterations: {@code fixed + perIteration * N}. */
    private record InstructionModel(long fixed, long perIteration) {
        long at(long iterations) {
            return fixed + perIteration * iterations;
        }
    }

    /** A variant of the bench guest: its name in the report, and its image for N iterations. */
    private record Variant(String label, LongFunction<byte[]> image) {
        static final Variant FLAT = new Variant("vwb", BenchGuest::image);
        static final Variant PAGING = new Variant("vwb-paging", BenchGuest::pagingImage);
    }

    /** One run of the guest in vwb. */
    private record VwbRun(long iterations, long instructions, double seconds, int checksum, int exitStatus) {
        double mips() {
            return instructions / seconds / 1e6;
        }
    }

    // ---- one benchmark session ---------------------------------------------------------------

    private static final class Session {
        private final Options options;
        private final PrintStream out;
        private final QemuRunner qemu = new QemuRunner();

        Session(Options options, PrintStream out) {
            this.options = options;
            this.out = out;
        }

        int run() throws BenchFailure, IOException, InterruptedException {
            InstructionModel model = calibrate(Variant.FLAT);
            VwbRun vwb = measureVwb(model, Variant.FLAT);
            // The paging run comes second, so that its code paths cannot slow the flat figure down.
            Optional<VwbRun> paging = options.paging ? Optional.of(measurePaging(vwb)) : Optional.empty();

            if (!options.qemu) {
                printVwb(vwb, paging);
                return 0;
            }
            if (!QemuRunner.available()) {
                out.println("note: " + QemuRunner.EXECUTABLE + " is not installed, so only vwb was measured"
                        + " (to compare with QEMU: " + QemuRunner.INSTALL_HINT + ")");
                printVwb(vwb, paging);
                return 0;
            }
            double qemuMips = measureQemu(model, vwb);
            out.println(String.format(Locale.ROOT, "vwb %.1f MIPS", vwb.mips()));
            out.println(String.format(Locale.ROOT, "qemu-tcg %.1f MIPS", qemuMips));
            out.println(String.format(Locale.ROOT, "vwb/qemu-tcg %.3f", vwb.mips() / qemuMips));
            paging.ifPresent(p -> printPaging(vwb, p));
            return 0;
        }

        private void printVwb(VwbRun vwb, Optional<VwbRun> paging) {
            out.println(String.format(Locale.ROOT, "vwb %.1f MIPS", vwb.mips()));
            paging.ifPresent(p -> printPaging(vwb, p));
        }

        private void printPaging(VwbRun flat, VwbRun paging) {
            out.println(String.format(Locale.ROOT, "vwb-paging %.1f MIPS", paging.mips()));
            out.println(String.format(Locale.ROOT, "paging/flat %.3f", paging.mips() / flat.mips()));
        }

        /** Calibrates and times the paging variant, which must compute what the flat one does. */
        private VwbRun measurePaging(VwbRun flat) throws BenchFailure {
            InstructionModel model = calibrate(Variant.PAGING);
            int flatChecksum = runVwb(Variant.FLAT, 3, CALIBRATION_BUDGET).checksum;
            int pagingChecksum = runVwb(Variant.PAGING, 3, CALIBRATION_BUDGET).checksum;
            if (flatChecksum != pagingChecksum) {
                throw new BenchFailure(String.format(Locale.ROOT, "with paging on, the bench guest printed checksum"
                        + " %08X for N = 3, not the %08X it prints with paging off", pagingChecksum, flatChecksum));
            }
            return measureVwb(model, Variant.PAGING);
        }

        /** Measures a and b of {@code a + b*N} from runs with N = 1 and 2, and checks N = 3. */
        private InstructionModel calibrate(Variant variant) throws BenchFailure {
            progress("calibrating " + variant.label + ": counting the instructions of 1, 2 and 3 iterations");
            long one = runVwb(variant, 1, CALIBRATION_BUDGET).instructions;
            long two = runVwb(variant, 2, CALIBRATION_BUDGET).instructions;
            long three = runVwb(variant, 3, CALIBRATION_BUDGET).instructions;
            InstructionModel model = new InstructionModel(2 * one - two, two - one);
            if (model.at(3) != three || model.perIteration <= 0) {
                throw new BenchFailure("the " + variant.label + " guest's instruction count is not linear in N: "
                        + one + ", " + two + ", " + three + " for N = 1, 2, 3");
            }
            progress(String.format(Locale.ROOT, "  %,d + %,d * N instructions", model.fixed, model.perIteration));
            return model;
        }

        /**
         * Warms the JIT up, then times a run of about {@code --seconds} (or of --iterations).
         * The warm-up lasts at least {@code --seconds} and goes on (up to three times as long)
         * until two runs in a row agree on the speed within 5%: on a busy machine the JIT
         * compilers take longer to finish.
         */
        private VwbRun measureVwb(InstructionModel model, Variant variant) throws BenchFailure {
            progress(String.format(Locale.ROOT, "%s: warming up the JIT for %.0f s or more", variant.label, options.seconds));
            double spent = 0;
            double rate = 0;  // instructions per second, as last measured
            double previousRate;
            long n = 16;
            do {
                VwbRun r = runVwb(variant, n, model);
                spent += r.seconds;
                previousRate = rate;
                rate = r.instructions / r.seconds;
                progress(String.format(Locale.ROOT, "  N = %,d: %.1f MIPS", n, r.mips()));
                n = iterationsFor(0.5, rate, model);  // half-second runs once the speed is known
            } while (spent < options.seconds
                    || spent < 3 * options.seconds && Math.abs(rate - previousRate) > 0.05 * rate);

            long iterations = options.iterations.orElse(iterationsFor(options.seconds, rate, model));
            VwbRun timed = timeVwb(variant, iterations, model);
            if (options.iterations.isEmpty() && timed.seconds < 0.8 * options.seconds) {
                // Still faster than the warm-up said: the JIT was not done. Once more, longer.
                timed = timeVwb(variant, iterationsFor(options.seconds, timed.instructions / timed.seconds, model), model);
            }
            return timed;
        }

        private VwbRun timeVwb(Variant variant, long iterations, InstructionModel model) throws BenchFailure {
            progress(String.format(Locale.ROOT, "%s: timed run, N = %,d (%,d instructions)",
                    variant.label, iterations, model.at(iterations)));
            VwbRun timed = runVwb(variant, iterations, model);
            if (timed.instructions != model.at(iterations)) {
                throw new BenchFailure(String.format(Locale.ROOT, variant.label + " retired %,d instructions for N = %d,"
                        + " not the %,d that N = 1, 2, 3 predict", timed.instructions, iterations, model.at(iterations)));
            }
            progress(String.format(Locale.ROOT, "  %.2f s (%.1f MIPS), checksum %08X",
                    timed.seconds, timed.mips(), timed.checksum));
            return timed;
        }

        /**
         * Times QEMU with N = 1 (best of three) and with a long run (best of two or more); the difference
         * cancels QEMU's start-up. Also checks QEMU's checksum and status against vwb's.
         */
        private double measureQemu(InstructionModel model, VwbRun vwb)
                throws BenchFailure, IOException, InterruptedException {
            progress("qemu-tcg: " + QemuRunner.version().orElse(QemuRunner.EXECUTABLE));
            progress(String.format(Locale.ROOT, "qemu-tcg: the same run as vwb's, N = %,d", vwb.iterations));
            QemuRunner.Result same = runQemu(vwb.iterations);
            int checksum = checksumOf(same.debugOutput(), "QEMU");
            if (checksum != vwb.checksum || same.exitStatus() != vwb.exitStatus) {
                throw new BenchFailure(String.format(Locale.ROOT,
                        "the engines disagree for N = %d: vwb printed checksum %08X and exits with status %d,"
                                + " QEMU printed checksum %08X and exited with status %d",
                        vwb.iterations, vwb.checksum, vwb.exitStatus, checksum, same.exitStatus()));
            }
            out.println(String.format(Locale.ROOT, "checksum %08X in both engines (N = %d, %,d instructions)",
                    checksum, vwb.iterations, vwb.instructions));

            long small = 1;
            double smallSeconds = Double.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
                smallSeconds = Math.min(smallSeconds, seconds(runQemu(small)));
            }
            progress(String.format(Locale.ROOT, "qemu-tcg: N = 1 takes %.3f s (QEMU's start-up, mostly)", smallSeconds));

            // QEMU is usually much faster than vwb: lengthen its run until it lasts about --seconds,
            // re-estimating its speed from each run, then time the final N once more (best of two).
            long large = vwb.iterations;
            double largeSeconds = seconds(same);
            while (options.iterations.isEmpty() && largeSeconds - smallSeconds < 0.8 * options.seconds
                    && large < BenchGuest.MAX_ITERATIONS) {
                double rate = (model.at(large) - model.at(small)) / Math.max(0.01, largeSeconds - smallSeconds);
                large = Math.max(large + 1, iterationsFor(options.seconds, rate, model));
                largeSeconds = timeQemu(large, model);
            }
            largeSeconds = Math.min(largeSeconds, timeQemu(large, model));
            double seconds = largeSeconds - smallSeconds;
            if (seconds < 0.2) {
                throw new BenchFailure(String.format(Locale.ROOT, "QEMU's timed run took only %.3f s more than its"
                        + " start-up: too short to measure; use more --iterations", seconds));
            }
            return (model.at(large) - model.at(small)) / seconds / 1e6;
        }

        private double timeQemu(long iterations, InstructionModel model)
                throws BenchFailure, IOException, InterruptedException {
            progress(String.format(Locale.ROOT, "qemu-tcg: timed run, N = %,d (%,d instructions)",
                    iterations, model.at(iterations)));
            double seconds = seconds(runQemu(iterations));
            progress(String.format(Locale.ROOT, "  %.2f s", seconds));
            return seconds;
        }

        private QemuRunner.Result runQemu(long iterations) throws BenchFailure, IOException, InterruptedException {
            QemuRunner.Result r = qemu.run(BenchGuest.image(iterations));
            if (r.exitValue().isEmpty()) {
                throw new BenchFailure("QEMU did not end through the exit device (status " + r.exitStatus() + "): "
                        + r.messages().strip() + " / console: " + r.debugOutput().strip());
            }
            return r;
        }

        private VwbRun runVwb(Variant variant, long iterations, InstructionModel model) throws BenchFailure {
            // Twice the expected count: a guest that goes astray stops instead of hanging the bench.
            return runVwb(variant, iterations, 2 * model.at(iterations) + CALIBRATION_BUDGET);
        }

        private VwbRun runVwb(Variant variant, long iterations, long budget) throws BenchFailure {
            Machine machine = Machine.builder().ramMiB(16).bios(variant.image.apply(iterations)).build();
            long start = System.nanoTime();
            RunResult result = machine.run(budget);
            double seconds = (System.nanoTime() - start) / 1e9;
            String output = machine.debugConsole().output();
            if (result.reason() != StopReason.EXIT_DEVICE) {
                throw new BenchFailure(variant.label + " did not finish the bench guest (N = " + iterations + "): " + result
                        + "\nconsole: " + output.strip() + "\n" + machine.cpu());
            }
            return new VwbRun(iterations, result.instructions(), seconds, checksumOf(output, "vwb"),
                    machine.exitDevice().exitStatus() & 0xFF);  // a process status has 8 bits
        }

        private static int checksumOf(String output, String engine) throws BenchFailure {
            OptionalInt checksum = BenchGuest.checksum(output);
            if (checksum.isEmpty()) {
                throw new BenchFailure(engine + " ran the bench guest but it printed no checksum: " + output.strip());
            }
            return checksum.getAsInt();
        }

        /** The N whose run should take {@code seconds} at {@code rate} instructions per second. */
        private static long iterationsFor(double seconds, double rate, InstructionModel model) {
            long n = (long) (seconds * rate / model.perIteration);
            return Math.max(1, Math.min(BenchGuest.MAX_ITERATIONS, n));
        }

        private static double seconds(QemuRunner.Result r) {
            return r.wallTime().toNanos() / 1e9;
        }

        private static void progress(String message) {
            System.err.println("bench: " + message);
        }
    }
}
