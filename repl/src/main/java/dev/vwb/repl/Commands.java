package dev.vwb.repl;

import dev.vwb.tracing.Breakpoint;
import dev.vwb.workbench.Outcome;
import dev.vwb.workbench.RunReport;
import dev.vwb.workbench.Snapshot;
import dev.vwb.workbench.Vm;
import dev.vwb.workbench.Workbench;
import dev.vwb.workbench.WorkbenchException;
import dev.vwb.workbench.gdb.GdbServer;
import dev.vwb.workbench.gdb.SessionEnd;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The short commands, in gdb's spirit: sugar over the same object model Java snippets use
 * ({@code si 5} is {@code vm.step(5)} shown as a debugger shows a step). Each is one entry of the
 * table below (name, usage, one line of help, what its arguments are, for completion); bad input
 * is a one-line error.
 */
final class Commands {
    /** What a command's arguments are, for completion. */
    enum Args { NONE, COUNT, ADDRESS, GUEST, BREAKPOINT, SNAPSHOT, COMMAND, TRACE, INFO }

    @FunctionalInterface
    interface Handler {
        /** Runs the command; false ends the session. */
        boolean run(CommandLine line);
    }

    /** One command: its name, other names, usage, help line, argument kind, and what it does. */
    record Command(String name, List<String> aliases, String usage, String summary, Args args, Handler handler) {
        /**
         * Whether it takes an argument it cannot do without ({@code b ADDR}, not {@code si [N]}): then
         * the bare name is Java, so a variable named {@code x} or {@code b} still reads as itself.
         */
        boolean needsArguments() {
            int space = usage.indexOf(' ');
            return space > 0 && usage.charAt(space + 1) != '[';
        }
    }

    private final Session session;
    private final Printer p;
    private final TraceRecorder trace = new TraceRecorder();
    /** Whether Ctrl-C was pressed since the command began. */
    private final BooleanSupplier interrupted;
    /** Called after {@code load} replaced the VM (Java's {@code vm} follows). */
    private final Runnable vmReplaced;
    private final Map<String, Command> byName = new LinkedHashMap<>();
    private final List<Command> listed = new ArrayList<>();

    Commands(Session session, Printer p, BooleanSupplier interrupted, Runnable vmReplaced) {
        this.session = session;
        this.p = p;
        this.interrupted = interrupted;
        this.vmReplaced = vmReplaced;
        add("si", List.of("stepi"), "si [N]", "step N instructions (1): the report, the registers that changed, the next instruction", Args.COUNT, this::stepInstruction);
        add("c", List.of("continue"), "c", "continue until a breakpoint, the guest stops, or Ctrl-C", Args.NONE, this::cont);
        add("b", List.of("break"), "b ADDR|SYMBOL", "a breakpoint before the instruction at ADDR or SYMBOL", Args.ADDRESS, this::breakpoint);
        add("d", List.of("delete"), "d N|all", "delete breakpoint N, or every breakpoint", Args.BREAKPOINT, this::delete);
        add("info", List.of(), "info b|r", "the breakpoints and their hits (b), the registers (r)", Args.INFO, this::info);
        add("regs", List.of(), "regs", "the registers, those the last step changed highlighted", Args.NONE, this::regs);
        add("x", List.of(), "x/NFMT ADDR", "examine memory: N units, F = x d u c (hex, signed, unsigned, char), s (string), i (instructions), size b h w; x/16xb esp", Args.ADDRESS, this::examine);
        add("disas", List.of(), "disas [ADDR [N]]", "disassemble around CS:EIP, or N (16) instructions from ADDR", Args.ADDRESS, this::disas);
        add("pt", List.of(), "pt [ADDR]", "the page walk of a linear address (pc by default); under the hypervisor: guest walk, p2m and shadow walk", Args.ADDRESS, this::pageWalk);
        add("exits", List.of(), "exits", "the hypervisor's VM exits: count and mean cost by reason, the last few", Args.NONE, this::exits);
        add("trace", List.of(), "trace on|off|show [N]|timeline", "record instructions, exceptions, port I/O and exits; show the last N (20), or all along time", Args.TRACE, this::trace);
        add("snap", List.of(), "snap", "take a snapshot (numbered from 1)", Args.NONE, this::snap);
        add("restore", List.of(), "restore [N]", "restore snapshot N (the latest without N)", Args.SNAPSHOT, this::restore);
        add("back", List.of(), "back [N]", "step back N instructions (1) in time", Args.COUNT, this::back);
        add("load", List.of(), "load GUEST [--bare]", "load a bundled guest (" + String.join(", ", Workbench.bundledGuests()) + ") or a file", Args.GUEST, this::load);
        add("reset", List.of(), "reset", "the guest back to where it started", Args.NONE, this::reset);
        add("gdbserve", List.of(), "gdbserve [PORT]", "let gdb attach to this VM on the loopback address (default port 1234) until it detaches", Args.NONE, this::gdbserve);
        add("help", List.of(), "help [COMMAND]", "the commands, or one command", Args.COMMAND, this::help);
        add("quit", List.of("q", "exit"), "quit", "leave (Ctrl-D too)", Args.NONE, line -> false);
    }

    private void add(String name, List<String> aliases, String usage, String summary, Args args, Handler h) {
        Command c = new Command(name, aliases, usage, summary, args, h);
        listed.add(c);
        byName.put(name, c);
        aliases.forEach(a -> byName.put(a, c));
    }

    /** Every name a command answers to, aliases included. */
    Set<String> names() {
        return byName.keySet();
    }

    List<Command> listed() {
        return listed;
    }

    Command get(String name) {
        return byName.get(name);
    }

    /** The command {@code line} is, if it is one (see {@link CommandLine} and {@link Command#needsArguments()}). */
    Optional<CommandLine> parse(String line) {
        return CommandLine.parse(line, byName.keySet())
                .filter(c -> !c.args().isEmpty() || !c.format().isEmpty() || !byName.get(c.name()).needsArguments());
    }

    /** Runs {@code line}; false when the session should end. */
    boolean run(CommandLine line) {
        return byName.get(line.name()).handler().run(line);
    }

    private Vm vm() {
        return session.current();
    }

    /** Runs {@code run}, printing what the guest printed meanwhile, then where it stopped. */
    private void runAndShow(Supplier<RunReport> run) {
        Vm vm = vm();
        int serial = vm.serial().length();
        int console = vm.console().length();
        RunReport r = run.get();
        if (vm.serial().length() > serial) {
            p.guestOutput(vm.serial().substring(serial));
        }
        if (vm.console().length() > console) {
            p.guestOutput(vm.console().substring(console));
        }
        p.stopped(vm, r);
    }

    private boolean stepInstruction(CommandLine line) {
        line.atMost(1, "si [N]");
        long n = line.count(0, 1);
        runAndShow(() -> vm().step(n));
        return true;
    }

    /** Runs budget after budget until something other than the budget ends a run, or Ctrl-C. */
    private boolean cont(CommandLine line) {
        line.atMost(0, "c");
        runAndShow(() -> {
            long instructions = 0;
            RunReport r;
            do {
                r = vm().run();
                instructions += r.instructions();
            } while (r.outcome() == Outcome.BUDGET_USED && !interrupted.getAsBoolean());
            Outcome o = interrupted.getAsBoolean() && r.outcome() == Outcome.BUDGET_USED ? Outcome.STOPPED : r.outcome();
            return new RunReport(o, instructions, r.time(), r.where(), o == Outcome.STOPPED ? "stopped by Ctrl-C" : r.detail());
        });
        return true;
    }

    private boolean breakpoint(CommandLine line) {
        String target = String.join("", line.args());
        if (target.isEmpty()) {
            throw new IllegalArgumentException("b takes an address or a symbol: b kmain, b 100524, b pc+5");
        }
        Vm vm = vm();
        Breakpoint b = vm.symbols().find(target).isPresent() ? vm.breakAt(target) : vm.breakAt(Addresses.parse(vm, target));
        p.line("breakpoint " + b);
        return true;
    }

    private boolean delete(CommandLine line) {
        line.atMost(1, "d N|all");
        if (line.arg(0, "").equals("all")) {
            vm().breakpoints().deleteAll();
            p.line("deleted every breakpoint");
            return true;
        }
        int id = (int) line.count(0, 1);
        Breakpoint b = vm().breakpoints().get(id)
                .orElseThrow(() -> new WorkbenchException("no breakpoint " + id + " (info b lists them)"));
        b.delete();
        p.line("deleted breakpoint " + id);
        return true;
    }

    private boolean info(CommandLine line) {
        String what = line.arg(0, "");
        switch (what) {
            case "b", "break", "breakpoints" -> p.line(vm().breakpoints().toString());
            case "r", "reg", "registers" -> regs(line);
            default -> throw new IllegalArgumentException("info b (the breakpoints) or info r (the registers)");
        }
        return true;
    }

    private boolean regs(CommandLine line) {
        var r = vm().registers();
        p.registers(r);
        if (!r.changed().isEmpty()) {
            p.note("changed by the last step or run: " + String.join(" ", r.changed()));
        }
        return true;
    }

    private boolean examine(CommandLine line) {
        Examine e = Examine.parse(line.format());
        if (line.args().isEmpty()) {
            throw new IllegalArgumentException("x/" + line.format() + " needs an address: x/" + line.format() + " esp");
        }
        Vm vm = vm();
        String text = e.show(vm, Addresses.parse(vm, String.join("", line.args())));
        if (e.format() == 'i') {
            p.block(p.highlighter().disassembly(text));
        } else {
            p.block(text);
        }
        return true;
    }

    private boolean disas(CommandLine line) {
        line.atMost(2, "disas [ADDR [N]]");
        Vm vm = vm();
        if (line.args().isEmpty()) {
            p.disassembly(vm.disassemble());
            return true;
        }
        int n = (int) Math.min(line.count(1, 16), 10_000);
        String at = line.args().get(0);
        p.disassembly(vm.symbols().find(at).isPresent() ? vm.disassemble(at, n) : vm.disassemble(Addresses.parse(vm, at), n));
        return true;
    }

    private boolean pageWalk(CommandLine line) {
        Vm vm = vm();
        long linear = Addresses.parse(vm, line.args().isEmpty() ? "pc" : String.join("", line.args()));
        if (vm.virtualized()) {
            // The guest's walk, the p2m and the hypervisor's shadow walk, side by side.
            var t = vm.translate(linear);
            p.view(t, t.toString());
            return true;
        }
        var walk = vm.walk(linear);
        p.view(walk, walk.toString());
        return true;
    }

    private boolean exits(CommandLine line) {
        Vm vm = vm();
        if (vm.virtualized() && p.showsViews()) {
            p.view(vm.exits(), "");     // the table and its bar chart
            p.block(ExitsView.recent(vm));
        } else {
            p.block(ExitsView.show(vm));
        }
        return true;
    }

    private boolean trace(CommandLine line) {
        switch (line.arg(0, "")) {
            case "on" -> p.line(trace.start(vm()));
            case "off" -> p.line(trace.stop());
            case "show" -> p.block(trace.show((int) Math.min(line.count(1, 20), TraceRecorder.CAPACITY)));
            case "timeline" -> trace.timelineView().ifPresentOrElse(t -> p.view(t, t.toString()), () -> p.block(trace.timeline()));
            case "" -> p.line(trace.on() ? "tracing is on" : "tracing is off");
            default -> throw new IllegalArgumentException("trace on, trace off, trace show [N] or trace timeline");
        }
        return true;
    }

    private boolean snap(CommandLine line) {
        int n = session.snap();
        p.line("snapshot " + n + ": " + session.snapshot(n));
        return true;
    }

    private boolean restore(CommandLine line) {
        line.atMost(1, "restore [N]");
        int n = (int) line.count(0, Math.max(session.snapshotCount(), 1));
        Snapshot s = session.snapshot(n);
        vm().restore(s);
        p.line("restored snapshot " + n + ": " + s);
        p.currentInstruction(vm());
        return true;
    }

    private boolean back(CommandLine line) {
        line.atMost(1, "back [N]");
        long n = line.count(0, 1);
        p.stopped(vm(), vm().stepBack(n));
        return true;
    }

    private boolean load(CommandLine line) {
        if (line.args().isEmpty()) {
            throw new IllegalArgumentException("load GUEST [--bare]: a bundled guest (" + String.join(", ", Workbench.bundledGuests())
                    + ") or a file");
        }
        GuestSpec spec = GuestSpec.parse(line.args(), null);
        Vm vm = session.load(spec);
        trace.follow(vm);
        vmReplaced.run();
        p.line(vm.toString());
        if (!spec.note().isEmpty()) {
            p.note(spec.note());
        }
        return true;
    }

    private boolean reset(CommandLine line) {
        vm().reset();
        p.line(vm().toString());
        p.currentInstruction(vm());
        return true;
    }

    /** Serves this VM to gdb on the loopback address until gdb detaches, kills or disconnects. */
    private boolean gdbserve(CommandLine line) {
        int port = line.args().isEmpty() ? 1234 : parsePort(line.args().get(0));
        try (GdbServer server = GdbServer.start(vm(), port)) {
            p.line("gdbserve: waiting for gdb on " + server.address()
                    + " (in gdb: " + server.attachCommand() + "); detach or kill in gdb to come back here");
            SessionEnd end = server.serveOneSession();
            p.line("gdbserve: " + end.toString().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
        }
        p.currentInstruction(vm());
        return true;
    }

    private static int parsePort(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException("gdbserve: a port is a number from 0 to 65535, not '" + text + "'");
    }

    private boolean help(CommandLine line) {
        if (!line.args().isEmpty()) {
            Command c = byName.get(line.args().get(0));
            if (c == null) {
                throw new IllegalArgumentException("no command '" + line.args().get(0) + "'; help lists them");
            }
            p.line(c.usage() + (c.aliases().isEmpty() ? "" : "   (also " + String.join(", ", c.aliases()) + ")"));
            p.line("  " + c.summary());
            return true;
        }
        p.line("Short commands (ADDR: hex as the workbench prints it, a symbol, a register, pc, sums: esp+8):");
        for (Command c : listed) {
            p.line(String.format("  %-22s %s", c.usage(), c.summary()));
        }
        p.line("Any other line is Java (JShell, in this JVM): vm is the VM, the workbench's packages are imported.");
        p.line("  vm.step(5)   vm.registers().eax()   vm.virtual().dump(0x100000, 64)   vm.runUntil(v -> v.reg(\"eax\") == 3)");
        p.line("  vm.breakpoints().onMnemonic(\"hlt\")   vm.exits().table()   vm = Workbench.bundled(\"demo\")   Session.vm()");
        p.line("Tab completes commands and Java; Ctrl-C stops a running guest or snippet; Ctrl-D or quit leaves.");
        return true;
    }
}
