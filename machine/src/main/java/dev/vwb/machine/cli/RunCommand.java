package dev.vwb.machine.cli;

import dev.vwb.machine.Machine;
import dev.vwb.machine.RunResult;
import dev.vwb.machine.cpu.ExceptionInterceptor;
import dev.vwb.machine.cpu.Vectors;
import dev.vwb.machine.loader.FlatBinaryLoader;
import dev.vwb.machine.loader.KernelFormatException;
import dev.vwb.machine.loader.MultibootLoader;
import dev.vwb.machine.loader.RomImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * {@code vwb run FILE}: runs a guest on the bare machine, as {@code qemu-system-i386 -kernel}
 * (or {@code -bios}) would, with its COM1 and port-E9h output on stdout and QEMU's exit-device
 * statuses. FILE is a Multiboot kernel, a ROM image ({@code --rom}) or a flat binary
 * ({@code --flat ADDR}, see {@link FlatBinaryLoader}).
 *
 * <p>Modules above the machine (tracing, breakpoints) add options through an {@link Extension}
 * rather than a copy of this command.
 */
public final class RunCommand {
    private RunCommand() {
    }

    static final int EXIT_SHUTDOWN = 4;
    static final int EXIT_BUDGET = 6;
    static final int EXIT_HALTED = 8;

    /**
     * What a module above the machine adds to {@code vwb run}: its options (and their lines in
     * --help), work on the machine before the run, and the outcome after it.
     */
    public interface Extension {
        /** Option lines for --help, formatted as the others, or "". */
        String optionsUsage();

        /** Exit statuses it adds, as the end of the sentence listing them in --help (e.g. "10 when ..."), or "". */
        String statusUsage();

        /**
         * If {@code args[i]} is one of its options, takes it (and its value) and returns how many
         * arguments it used; otherwise 0. Bad values: a one-line IllegalArgumentException.
         */
        int option(String[] args, int i);

        /**
         * Right after loading: the machine to run instead (a hypervisor boots the loaded guest on
         * a host machine of its own), or {@code loaded} itself.
         */
        default Machine replaceMachine(Machine loaded) {
            return loaded;
        }

        /** Just before the run, with the machine loaded and its consoles on stdout; {@code file} is FILE's bytes. */
        void beforeRun(Machine machine, byte[] file) throws IOException;

        /** Just after the run (whatever stopped it): an exit status to use instead of the usual one, or -1. */
        int afterRun(Machine machine, RunResult result, PrintStream out) throws IOException;

        /** With --stats, after the run's own statistics: its own lines, on {@code err}. */
        default void printStats(Machine machine, PrintStream err) {
        }
    }

    /** No extension: the machine's own {@code vwb run}. */
    public static final Extension NO_EXTENSION = new Extension() {
        public String optionsUsage() {
            return "";
        }

        public String statusUsage() {
            return "";
        }

        public int option(String[] args, int i) {
            return 0;
        }

        public void beforeRun(Machine machine, byte[] file) {
        }

        public int afterRun(Machine machine, RunResult result, PrintStream out) {
            return -1;
        }
    };

    private static final String USAGE = """
            usage: vwb run FILE [--flat ADDR [--mode real|protected] | --rom]
                                [--max-instructions N] [--memory MiB] [--stats]

            Runs FILE on the bare machine (no firmware) and copies what it writes to COM1 and
            to port E9h to stdout. Without --flat or --rom, FILE is a Multiboot kernel (ELF,
            or any file with an a.out-kludge Multiboot header), started as QEMU's -kernel
            starts it; a file of exactly 64 or 128 KiB without a Multiboot header is taken
            as a ROM image.

              --flat ADDR           FILE is a flat binary: load it at physical address ADDR
                                    (hex as 0x7C00 or 7C00h, else decimal) and start it there
              --mode real|protected how --flat starts it (default real):
                                      real: CS = DS = ES = SS = ADDR >> 4, IP = ADDR & 0Fh,
                                            SP = 0 (stack at the top of that 64 KiB);
                                            FILE must end within the first MiB
                                      protected: 32-bit flat segments (CS 10h, data 18h,
                                            GDT at 500h), EIP = ADDR, ESP = top of RAM;
                                            ADDR must be 0x1000 or above
                                    interrupts and paging are off in both
              --rom                 FILE is a ROM image of at most 128 KiB, mapped so that
                                    it ends at 1 MiB (and at 4 GiB) and started at F000:FFF0,
                                    the reset vector, as QEMU's -bios; a file smaller than
                                    64 KiB is padded below with FFh
              --max-instructions N  stop after N instructions (default 10,000,000,000)
              --memory MiB          RAM size (default 128, as QEMU's)
              --stats               print instructions retired, exceptions by vector and MIPS
                                    on stderr
              --help                show this text
            %s
            Exit status: (V << 1) | 1 when the guest writes V to the exit device at port F4h
            (as QEMU's isa-debug-exit); 2 for a file that cannot be loaded; 4 when the guest
            shuts down (triple fault); 6 when the instruction budget runs out; 8 when it halts
            with nothing left to wake it%s.
            """;

    /** The command line, checked. {@code flatAddress} is empty unless --flat was given. */
    private record Options(String file, OptionalLong flatAddress, FlatBinaryLoader.Mode mode, boolean rom,
                           long budget, int memoryMiB, boolean stats) {
        static Options parse(String[] args, Extension extension) {
            String file = null;
            OptionalLong flat = OptionalLong.empty();
            FlatBinaryLoader.Mode mode = null;
            boolean rom = false;
            long budget = 10_000_000_000L;
            int memory = 128;
            boolean stats = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--flat" -> flat = OptionalLong.of(Args.address(args, ++i, "--flat"));
                    case "--mode" -> mode = Args.oneOf(args, ++i, "--mode", FlatBinaryLoader.Mode.values(),
                            FlatBinaryLoader.Mode::spelling);
                    case "--rom" -> rom = true;
                    case "--max-instructions" -> budget = Args.positiveLong(args, ++i, "--max-instructions");
                    case "--memory" -> memory = (int) Math.min(Args.positiveLong(args, ++i, "--memory"), Integer.MAX_VALUE);
                    case "--stats" -> stats = true;
                    default -> {
                        int used = extension.option(args, i);
                        if (used > 0) {
                            i += used - 1;
                            continue;
                        }
                        if (args[i].startsWith("-") || file != null) {
                            throw new IllegalArgumentException("run: unexpected argument '" + args[i] + "'; try ./vwb run --help");
                        }
                        file = args[i];
                    }
                }
            }
            if (file == null) {
                throw new IllegalArgumentException("run: which file? usage: ./vwb run FILE (try --help)");
            }
            if (rom && flat.isPresent()) {
                throw new IllegalArgumentException("run: --rom and --flat exclude each other: a file is a ROM image or a flat binary");
            }
            if (mode != null && flat.isEmpty()) {
                throw new IllegalArgumentException("run: --mode says how to start a flat binary; give --flat ADDR too");
            }
            return new Options(file, flat, mode == null ? FlatBinaryLoader.Mode.REAL : mode, rom, budget, memory, stats);
        }
    }

    /** Builds the machine with FILE in it, as the options say or as FILE looks. */
    private static Machine load(Options options, byte[] file) throws KernelFormatException {
        Machine.Builder builder = Machine.builder().ramMiB(options.memoryMiB);
        if (options.flatAddress.isPresent()) {
            Machine machine = builder.build();
            FlatBinaryLoader.load(machine, file, options.flatAddress.getAsLong(), options.mode);
            return machine;
        }
        if (options.rom) {
            return builder.bios(RomImage.fit(file)).build();
        }
        if (MultibootLoader.findHeader(file).isPresent()) {
            Machine machine = builder.build();
            MultibootLoader.load(machine, file);
            return machine;
        }
        if (file.length == 0x10000 || file.length == 0x20000) {
            return builder.bios(file).build();  // a ROM image by its size, as before --rom existed
        }
        throw new KernelFormatException("no Multiboot header; for a flat binary give --flat ADDR"
                + " [--mode real|protected], for a ROM image --rom (see ./vwb run --help)");
    }

    static int run(String[] args, PrintStream out) throws IOException {
        return run(args, out, NO_EXTENSION);
    }

    /** {@code vwb run ARGS} with {@code extension}'s options; returns the exit status. */
    public static int run(String[] args, PrintStream out, Extension extension) throws IOException {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            String status = extension.statusUsage();
            out.print(String.format(USAGE, extension.optionsUsage(), status.isEmpty() ? "" : "; " + status));
            return 0;
        }
        Options options = Options.parse(args, extension);
        byte[] file;
        try {
            file = Files.readAllBytes(Path.of(options.file));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("run: no such file: " + options.file);
        }
        Machine machine;
        try {
            machine = load(options, file);
        } catch (KernelFormatException e) {
            throw new IllegalArgumentException("run: " + options.file + ": " + e.getMessage());
        }
        machine = extension.replaceMachine(machine);
        long budget = options.budget;
        boolean stats = options.stats;
        machine.debugConsole().setSink(out::write);
        machine.com1().setSink(out::write);
        Map<Integer, Long> exceptions = new TreeMap<>();
        if (machine.cpu().exceptionInterceptor() == null) {
            // (A machine an extension replaced may have its own, a hypervisor's, which counts its exits.)
            machine.cpu().setExceptionInterceptor((cpu, event) -> {
                exceptions.merge(event.vector(), 1L, Long::sum);
                return ExceptionInterceptor.Decision.DELIVER;
            });
        }
        extension.beforeRun(machine, file);

        long start = System.nanoTime();
        RunResult result = machine.run(budget);
        double seconds = (System.nanoTime() - start) / 1e9;
        out.flush();
        int extensionStatus = extension.afterRun(machine, result, out);
        if (stats) {
            // Steps spent halted count in virtual time but are not instructions.
            long idle = machine.cpu().idleSteps();
            long executed = result.instructions() - idle;
            System.err.printf("vwb run: %,d instructions retired in %.3f s (%.1f MIPS)%s%n",
                    executed, seconds, executed / seconds / 1e6,
                    idle == 0 ? "" : String.format(", and %,d steps halted waiting for interrupts", idle));
            exceptions.forEach((v, n) -> System.err.printf("vwb run:   %-8s %,d%n", Vectors.name(v), n));
            extension.printStats(machine, System.err);
        }
        if (extensionStatus >= 0) {
            return extensionStatus;
        }
        switch (result.reason()) {
            case EXIT_DEVICE:
                return machine.exitDevice().exitStatus() & 0xFF;
            case SHUTDOWN:
                System.err.println("vwb run: the guest shut down: " + result.detail());
                return EXIT_SHUTDOWN;
            case INSTRUCTION_LIMIT:
                System.err.println("vwb run: the guest used up its budget of " + budget + " instructions (--max-instructions)");
                return EXIT_BUDGET;
            default:
                System.err.println("vwb run: the guest stopped: " + result);
                return EXIT_HALTED;
        }
    }
}
