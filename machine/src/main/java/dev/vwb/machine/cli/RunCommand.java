package dev.vwb.machine.cli;

import dev.vwb.machine.Machine;
import dev.vwb.machine.RunResult;
import dev.vwb.machine.cpu.ExceptionInterceptor;
import dev.vwb.machine.cpu.Vectors;
import dev.vwb.machine.loader.KernelFormatException;
import dev.vwb.machine.loader.MultibootLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code vwb run KERNEL}: runs a guest on the bare machine, as {@code qemu-system-i386 -kernel}
 * would, with its COM1 and port-E9h output on stdout and QEMU's exit-device statuses.
 */
final class RunCommand {
    private RunCommand() {
    }

    static final int EXIT_SHUTDOWN = 4;
    static final int EXIT_BUDGET = 6;
    static final int EXIT_HALTED = 8;

    private static final String USAGE = """
            usage: vwb run KERNEL [--max-instructions N] [--memory MiB] [--stats]

            Runs KERNEL on the bare machine and copies what it writes to COM1 and to port E9h
            to stdout. KERNEL is a Multiboot kernel (ELF, or any file with an a.out-kludge
            Multiboot header), started as QEMU's -kernel starts it, or a 64/128 KiB ROM image,
            started at F000:FFF0.

              --max-instructions N  stop after N instructions (default 10,000,000,000)
              --memory MiB          RAM size (default 128, as QEMU's)
              --stats               print instructions retired, exceptions by vector and MIPS
                                    on stderr
              --help                show this text

            Exit status: (V << 1) | 1 when the guest writes V to the exit device at port F4h
            (as QEMU's isa-debug-exit); 2 for a file that cannot be loaded; 4 when the guest
            shuts down (triple fault); 6 when the instruction budget runs out; 8 when it halts
            with nothing left to wake it.
            """;

    static int run(String[] args, PrintStream out) throws IOException {
        String kernel = null;
        long budget = 10_000_000_000L;
        int memory = 128;
        boolean stats = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--help", "-h" -> {
                    out.print(USAGE);
                    return 0;
                }
                case "--max-instructions" -> budget = Args.positiveLong(args, ++i, "--max-instructions");
                case "--memory" -> memory = (int) Args.positiveLong(args, ++i, "--memory");
                case "--stats" -> stats = true;
                default -> {
                    if (args[i].startsWith("-") || kernel != null) {
                        throw new IllegalArgumentException("run: unexpected argument '" + args[i] + "'; try ./vwb run --help");
                    }
                    kernel = args[i];
                }
            }
        }
        if (kernel == null) {
            throw new IllegalArgumentException("run: which kernel? usage: ./vwb run KERNEL (try --help)");
        }
        byte[] file;
        try {
            file = Files.readAllBytes(Path.of(kernel));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("run: no such file: " + kernel);
        }

        Machine.Builder builder = Machine.builder().ramMiB(memory);
        boolean multiboot = MultibootLoader.findHeader(file).isPresent();
        if (!multiboot) {
            if (file.length != 0x10000 && file.length != 0x20000) {
                throw new IllegalArgumentException("run: " + kernel + " is neither a Multiboot kernel nor a 64/128 KiB ROM image");
            }
            builder.bios(file);
        }
        Machine machine = builder.build();
        if (multiboot) {
            try {
                MultibootLoader.load(machine, file);
            } catch (KernelFormatException e) {
                throw new IllegalArgumentException("run: " + kernel + ": " + e.getMessage());
            }
        }
        machine.debugConsole().setSink(out::write);
        machine.com1().setSink(out::write);
        Map<Integer, Long> exceptions = new TreeMap<>();
        machine.cpu().setExceptionInterceptor((cpu, event) -> {
            exceptions.merge(event.vector(), 1L, Long::sum);
            return ExceptionInterceptor.Decision.DELIVER;
        });

        long start = System.nanoTime();
        RunResult result = machine.run(budget);
        double seconds = (System.nanoTime() - start) / 1e9;
        out.flush();
        if (stats) {
            System.err.printf("vwb run: %,d instructions retired in %.3f s (%.1f MIPS)%n",
                    result.instructions(), seconds, result.instructions() / seconds / 1e6);
            exceptions.forEach((v, n) -> System.err.printf("vwb run:   %-8s %,d%n", Vectors.name(v), n));
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
