package dev.vwb.machine.cli;

import dev.vwb.machine.Machine;
import dev.vwb.machine.RunResult;
import dev.vwb.machine.cpu.Cpu;
import dev.vwb.machine.cpu.SegReg;
import dev.vwb.machine.guests.BundledGuests;
import java.io.PrintStream;
import java.util.Locale;

/**
 * {@code vwb demo}: boots the bundled demo guest and shows what it did: its console output as it
 * is written, then why and when it stopped and the final registers. With {@code --trace N}, also
 * each of the first N instructions' CS:EIP and bytes, to watch a PC boot instruction by instruction.
 */
public final class DemoCommand {
    private static final String USAGE = """
            usage: vwb demo [--trace N]

            Boots the bundled demo guest: a 64 KiB BIOS image that starts in real mode, switches
            to 32-bit protected mode, computes primes and Fibonacci numbers and powers off.
            Shows its console output (port E9h), then a summary and the final registers.
            Its source is machine/src/main/resources/dev/vwb/machine/guests/demo.asm.

              --trace N   also list the first N instructions executed (CS:EIP and bytes)
              --help      show this text
            """;

    /** Far more than the demo needs (about 7,400 instructions): a stuck guest stops here. */
    private static final long MAX_INSTRUCTIONS = 10_000_000;

    private DemoCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    /** Runs the demo; returns the process exit code (0 when the guest powered off normally). */
    public static int run(String[] args, PrintStream out) {
        long trace = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--help", "-h" -> {
                    out.print(USAGE);
                    return 0;
                }
                case "--trace" -> {
                    try {
                        trace = Long.parseLong(args[++i]);
                    } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
                        return usageError("--trace needs a number of instructions");
                    }
                }
                default -> {
                    return usageError("unknown argument: " + args[i]);
                }
            }
        }

        Machine machine = Machine.builder().ramMiB(16).bios(BundledGuests.load("demo")).build();
        ConsoleEcho echo = new ConsoleEcho(out, trace > 0);
        machine.debugConsole().setSink(echo::write);
        if (trace > 0) {
            machine.cpu().addRetireListener(new Tracer(machine, out, trace)::retired);
        }

        out.println("vwb: booting the demo guest (its console output follows)");
        out.println();
        long start = System.nanoTime();
        RunResult result = machine.run(MAX_INSTRUCTIONS);
        long nanos = System.nanoTime() - start;
        echo.finish();

        out.println();
        out.println("vwb: the guest stopped: " + result.reason()
                + (result.detail().isEmpty() ? "" : ": " + result.detail()));
        out.println(String.format(Locale.ROOT, "vwb: %,d instructions retired in %.1f ms",
                result.instructions(), nanos / 1e6));
        out.println("vwb: final registers:");
        out.println(machine.cpu());
        return machine.exitDevice().exited() && machine.exitDevice().value() == 0 ? 0 : 1;
    }

    private static int usageError(String message) {
        System.err.println("vwb demo: " + message);
        System.err.print(USAGE);
        return 2;
    }

    /**
     * Copies the guest's console to our output. Character by character normally; a line at a
     * time while tracing, so trace lines never cut a line of the guest's output in two.
     */
    private static final class ConsoleEcho {
        private final PrintStream out;
        private final boolean lineBuffered;
        private final StringBuilder line = new StringBuilder();

        ConsoleEcho(PrintStream out, boolean lineBuffered) {
            this.out = out;
            this.lineBuffered = lineBuffered;
        }

        void write(int c) {
            if (!lineBuffered) {
                out.print((char) c);
                if (c == '\n') {
                    out.flush();
                }
                return;
            }
            line.append((char) c);
            if (c == '\n') {
                out.print("guest: " + line);
                line.setLength(0);
            }
        }

        /** Prints a last line the guest left unfinished. */
        void finish() {
            if (line.length() > 0) {
                out.println("guest: " + line);
                line.setLength(0);
            }
            out.flush();
        }
    }

    /** Prints CS:EIP and the bytes of each retired instruction, up to a count. */
    private static final class Tracer {
        private final Machine machine;
        private final PrintStream out;
        private final long limit;
        private long count;
        /** CS as it was when the instruction started: a far jump changes CS before we hear of it. */
        private int csSelector;
        private int csBase;

        Tracer(Machine machine, PrintStream out, long limit) {
            this.machine = machine;
            this.out = out;
            this.limit = limit;
            rememberCs(machine.cpu());
        }

        void retired(Cpu cpu, int eip, int length) {
            if (count >= limit) {
                return;
            }
            count++;
            StringBuilder bytes = new StringBuilder();
            for (int i = 0; i < length; i++) {
                // No paging yet: linear addresses are physical.
                bytes.append(String.format("%02X ", machine.memory().read8(csBase + eip + i)));
            }
            out.println(String.format("trace %6d  %04X:%08X  %s", count, csSelector, eip, bytes.toString().strip()));
            rememberCs(cpu);
        }

        private void rememberCs(Cpu cpu) {
            csSelector = cpu.segment(SegReg.CS).selector();
            csBase = cpu.segment(SegReg.CS).base();
        }
    }
}
