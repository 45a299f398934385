package dev.vwb.workbench.cli;

import dev.vwb.machine.Machine;
import dev.vwb.machine.RunResult;
import dev.vwb.machine.cli.Args;
import dev.vwb.machine.cli.RunCommand;
import dev.vwb.tracing.BreakReport;
import dev.vwb.tracing.Breakpoints;
import dev.vwb.tracing.ChromeTraceSink;
import dev.vwb.tracing.ElfSymbols;
import dev.vwb.tracing.EventKind;
import dev.vwb.tracing.JsonLinesSink;
import dev.vwb.tracing.Tracer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The options {@code vwb run} gains from the tracing module: trace files and breakpoints. */
final class TracingRunOptions implements RunCommand.Extension {
    /** The exit status of a run stopped by --break (the machine's statuses are 1–8 and odd values). */
    static final int EXIT_BREAKPOINT = 10;

    private Path jsonLines;
    private Path chrome;
    private final List<String> breaks = new ArrayList<>();
    private Tracer tracer;
    private Breakpoints breakpoints;

    @Override
    public String optionsUsage() {
        return """
                  --trace FILE.jsonl    write a trace as JSON Lines: every instruction (address, bytes,
                                        disassembly, changed registers), exception, port I/O and
                                        console byte, one JSON object per line (memory accesses are
                                        not traced: they would slow every access)
                  --trace-chrome FILE.json  the same events in the Chrome trace-event format, to open
                                        in ui.perfetto.dev or chrome://tracing (1 us = 1 instruction)
                  --break ADDR|SYMBOL   stop before executing at linear address ADDR (hex as 0x100010
                                        or 100010h, else decimal), or at SYMBOL from an ELF kernel's
                                        symbol table; print where and why; may be repeated
                """;
    }

    @Override
    public String statusUsage() {
        return "10 when a --break breakpoint\nstops it";
    }

    @Override
    public int option(String[] args, int i) {
        switch (args[i]) {
            case "--trace" -> jsonLines = Path.of(value(args, i));
            case "--trace-chrome" -> chrome = Path.of(value(args, i));
            case "--break" -> breaks.add(value(args, i));
            default -> {
                return 0;
            }
        }
        return 2;
    }

    private static String value(String[] args, int i) {
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
            throw new IllegalArgumentException("run: " + args[i] + " needs a value; try ./vwb run --help");
        }
        return args[i + 1];
    }

    @Override
    public void beforeRun(Machine machine, byte[] file) {
        if (!breaks.isEmpty()) {
            breakpoints = Breakpoints.on(machine);
            Map<String, Long> symbols = null;
            for (String b : breaks) {
                Optional<Long> address = address(b);
                if (address.isPresent()) {
                    breakpoints.atAddress(address.get());
                    continue;
                }
                if (symbols == null) {
                    if (!ElfSymbols.isElf(file)) {
                        throw new IllegalArgumentException("run: --break " + b + ": not an address, and FILE is not an ELF"
                                + " file with symbols; give an address such as 0x100010");
                    }
                    symbols = ElfSymbols.read(file);
                }
                breakpoints.atSymbol(b, symbols);
            }
        }
        if (jsonLines != null || chrome != null) {
            Tracer.Builder t = Tracer.builder().kinds(EnumSet.complementOf(EnumSet.of(EventKind.MEMORY)));
            if (jsonLines != null) {
                t.sink(JsonLinesSink.toFile(jsonLines));
            }
            if (chrome != null) {
                t.sink(ChromeTraceSink.toFile(chrome));
            }
            tracer = t.build().attach(machine);
        }
    }

    @Override
    public int afterRun(Machine machine, RunResult result, PrintStream out) {
        if (tracer != null) {
            tracer.close();  // finishes the files
        }
        if (breakpoints == null) {
            return -1;
        }
        Optional<BreakReport> report = breakpoints.report(result);
        breakpoints.close();
        if (report.isEmpty()) {
            return -1;
        }
        out.flush();
        System.err.println("vwb run: stopped at " + report.get() + " after " + result.instructions() + " instructions");
        return EXIT_BREAKPOINT;
    }

    /** A number as --flat takes it (0x100010, 100010h or decimal), or empty for a symbol. */
    static Optional<Long> address(String text) {
        String t = text.replace("_", "");
        if (!t.startsWith("0x") && !t.startsWith("0X") && !t.matches("[0-9][0-9A-Fa-f]*[hH]") && !t.matches("[0-9]+")) {
            return Optional.empty();  // a symbol
        }
        try {
            long v = Args.number(t);
            if (v < 0 || v > 0xFFFF_FFFFL) {
                throw new NumberFormatException();
            }
            return Optional.of(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("run: --break " + text + ": an address must be below 4 GiB");
        }
    }
}
