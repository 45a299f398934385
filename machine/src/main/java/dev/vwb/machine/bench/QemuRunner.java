package dev.vwb.machine.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a BIOS image in QEMU ({@code qemu-system-i386}, TCG) on the same little PC that vwb models:
 * no firmware but the image, the debug console at port E9h captured to a file, and the
 * {@code isa-debug-exit} device at F4h (iosize 4) to end the run. That makes QEMU an oracle for
 * whole guests: same image in, same console output and exit status out.
 *
 * <p>Every display, serial, parallel and monitor device is turned off ({@code -nodefaults} plus
 * explicit {@code none}s) rather than using {@code -nographic}, which would put the serial port
 * and the monitor on our standard streams.
 */
public final class QemuRunner {
    public static final String EXECUTABLE = "qemu-system-i386";
    /** How to get QEMU on Debian/Ubuntu, for messages. */
    public static final String INSTALL_HINT = "apt-get install -y qemu-system-x86";

    private static final Pattern VERSION = Pattern.compile("version (\\d+)\\.(\\d+)");
    private static volatile Optional<String> version;

    private final int memoryMiB;
    private final String machineType;
    private final Duration timeout;

    /**
     * What a QEMU run produced.
     *
     * @param debugOutput what the guest wrote to port E9h (bytes as ISO-8859-1 characters)
     * @param exitStatus  QEMU's exit status: {@code (v << 1) | 1} (low 8 bits) when the guest wrote
     *                    {@code v} to the exit device, 0 for a normal shutdown
     * @param wallTime    from starting the process to its exit, QEMU's own start-up included
     * @param messages    what QEMU printed on its standard output and error (normally nothing)
     * @param serialOutput what the guest sent through COM1
     */
    public record Result(String debugOutput, int exitStatus, Duration wallTime, String messages, String serialOutput) {
        /**
         * The low 7 bits of the value the guest wrote to the exit device, if the status says it did.
         * An odd status means the exit device, except that QEMU also exits with 1 when it cannot
         * start; then it says why ("qemu: could not load PC BIOS ...", "qemu-system-i386: ...").
         */
        public OptionalInt exitValue() {
            boolean qemuError = exitStatus == 1 && messages.lines()
                    .anyMatch(line -> line.startsWith("qemu") && !line.contains("warning"));
            return (exitStatus & 1) == 1 && !qemuError ? OptionalInt.of(exitStatus >>> 1) : OptionalInt.empty();
        }
    }

    /** 16 MiB of RAM and a five-minute time limit per run. */
    public QemuRunner() {
        this(16, Duration.ofMinutes(5));
    }

    public QemuRunner(int memoryMiB, Duration timeout) {
        this(memoryMiB, timeout, "pc");
    }

    /**
     * @param machineType QEMU's {@code -M}: "pc" (the default), or "isapc" for guests that take
     *                    interrupts through the 8259A, which on "pc" stays masked at the local APIC
     *                    until a BIOS sets it up, while "isapc" wires it to INTR as vwb does
     */
    public QemuRunner(int memoryMiB, Duration timeout, String machineType) {
        this.memoryMiB = memoryMiB;
        this.timeout = timeout;
        this.machineType = machineType;
    }

    /** Whether {@code qemu-system-i386} can be started from the PATH. */
    public static boolean available() {
        return version().isPresent();
    }

    /** QEMU's version line ("QEMU emulator version 7.2.22 ..."), or empty if QEMU cannot be run. */
    public static Optional<String> version() {
        Optional<String> v = version;
        if (v == null) {
            v = probeVersion();
            version = v;
        }
        return v;
    }

    private static Optional<String> probeVersion() {
        try {
            Process p = new ProcessBuilder(EXECUTABLE, "--version").redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return text.lines().findFirst().map(String::strip);
        } catch (IOException e) {
            return Optional.empty();  // not installed (or not executable)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Runs {@code biosImage} until the guest exits (or QEMU does), and reports what it printed. */
    public Result run(byte[] biosImage) throws IOException, InterruptedException {
        return run(biosImage, List.of("-accel", "tcg"), "-bios");
    }

    /** Runs a Multiboot kernel as {@code -kernel} (QEMU's own firmware loads it), and reports what it printed. */
    public Result runKernel(byte[] kernel) throws IOException, InterruptedException {
        return run(kernel, List.of("-accel", "tcg"), "-kernel");
    }

    /**
     * Runs {@code biosImage} with QEMU translating one instruction per block and logging every
     * block executed, and returns how many were: the number of instructions QEMU executed.
     * Meant for short runs (the log has a line per instruction). It matches vwb's count of
     * retired instructions except for REP-prefixed string instructions, where QEMU counts every
     * repetition and vwb counts the instruction once.
     */
    public long countInstructions(byte[] biosImage) throws IOException, InterruptedException {
        Path log = Files.createTempFile("vwb-qemu-exec", ".log");
        try {
            run(biosImage, oneInstructionPerBlockOptions(log), "-bios");
            try (BufferedReader r = Files.newBufferedReader(log, StandardCharsets.ISO_8859_1)) {
                return r.lines().filter(line -> line.startsWith("Trace ")).count();
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** {@code -singlestep} became {@code -accel tcg,one-insn-per-tb=on} in QEMU 8.1. */
    private static List<String> oneInstructionPerBlockOptions(Path log) {
        List<String> options = new ArrayList<>();
        if (versionAtLeast(8, 1)) {
            options.addAll(List.of("-accel", "tcg,one-insn-per-tb=on"));
        } else {
            options.addAll(List.of("-accel", "tcg", "-singlestep"));
        }
        options.addAll(List.of("-d", "nochain,exec", "-D", log.toString()));
        return options;
    }

    private static boolean versionAtLeast(int major, int minor) {
        Matcher m = VERSION.matcher(version().orElse(""));
        if (!m.find()) {
            return false;
        }
        int maj = Integer.parseInt(m.group(1));
        int min = Integer.parseInt(m.group(2));
        return maj > major || maj == major && min >= minor;
    }

    private Result run(byte[] biosImage, List<String> accelOptions, String imageOption) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("vwb-qemu");
        Path bios = dir.resolve("bios.bin");
        Path debugcon = dir.resolve("debugcon.out");
        Path serial = dir.resolve("serial.out");
        Path messages = dir.resolve("messages.txt");
        try {
            Files.write(bios, biosImage);
            List<String> command = new ArrayList<>(List.of(EXECUTABLE));
            command.addAll(accelOptions);
            command.addAll(List.of(
                    "-M", machineType,
                    imageOption, bios.toString(),
                    "-m", Integer.toString(memoryMiB),
                    "-nodefaults", "-no-reboot",
                    "-display", "none", "-serial", "file:" + serial, "-parallel", "none", "-monitor", "none",
                    "-debugcon", "file:" + debugcon,
                    "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"));
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(messages.toFile());

            long start = System.nanoTime();
            Process process = pb.start();
            process.getOutputStream().close();  // QEMU reads nothing from us: give it end-of-file
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            long elapsed = System.nanoTime() - start;
            if (!finished) {
                process.destroyForcibly().waitFor();
                throw new IOException(EXECUTABLE + " did not finish within " + timeout.toSeconds()
                        + " s (the guest never wrote to the exit device?); it printed: " + read(debugcon));
            }
            return new Result(read(debugcon), process.exitValue(), Duration.ofNanos(elapsed),
                    Files.readString(messages, StandardCharsets.ISO_8859_1), read(serial));
        } finally {
            for (Path p : List.of(bios, debugcon, serial, messages, dir)) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
    }
}
