package dev.vwb.workbench.gdb;

import dev.vwb.tracing.BreakReport;
import dev.vwb.workbench.Outcome;
import dev.vwb.workbench.RunReport;
import dev.vwb.workbench.Vm;
import dev.vwb.workbench.Where;
import dev.vwb.workbench.WorkbenchException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Socket;

/**
 * One gdb connection: reads packets from a {@link PacketChannel}, answers them from the
 * {@link Vm}, and runs the guest for {@code c} and {@code s}. Every call on the VM happens in
 * the thread that called {@link #serve()}; the channel's reader thread only calls
 * {@link Vm#stop()}, on a Ctrl-C or a disconnection while the guest runs.
 *
 * <p>Errors never end the session: a packet that cannot be parsed is answered {@code E01}, a
 * memory access the page tables refuse {@code E14} (EFAULT), a value the VM refuses (a selector,
 * a watchpoint length) {@code E22} (EINVAL), a run the VM refuses (it runs in another thread, or
 * ended) {@code E05} (EIO), and an emulator bug {@code E05} with a line in the log. Unknown
 * packets get the empty reply, which the protocol defines as "not supported".
 */
final class GdbSession {
    /** What {@code qSupported} answers; PacketSize is hex. */
    static final String SUPPORTED = "PacketSize=" + Integer.toHexString(PacketChannel.MAX_PACKET)
            + ";qXfer:features:read+;swbreak+;hwbreak+;QStartNoAckMode+;vContSupported+";
    /** A continue runs the guest in steps this long, looking at Ctrl-C and the connection between them. */
    private static final long CHUNK = 1_000_000;
    /** Console output is sent to gdb in pieces of at most this many characters. */
    private static final int OUTPUT_PIECE = 1024;

    private final Vm vm;
    private final PacketChannel channel;
    private final GdbPoints points;
    private final PrintStream log;
    /** Whether the guest is running for gdb now (read by the reader thread). */
    private volatile boolean running;
    /** The Ctrl-Cs that belong to earlier runs. */
    private long interruptsSeen;
    private StopReply last = StopReply.attached();
    private final GuestOutput output;

    private GdbSession(Vm vm, Socket socket, PrintStream log) throws IOException {
        this.vm = vm;
        this.log = log;
        this.points = new GdbPoints(vm.breakpoints(), vm.machine().cpu());
        this.output = new GuestOutput(vm);
        this.channel = new PacketChannel(socket, this::onBreak);
    }

    /** A session on an accepted connection; {@code log} (or null) gets a line for each notable event. */
    static GdbSession open(Vm vm, Socket socket, PrintStream log) throws IOException {
        return new GdbSession(vm, socket, log);
    }

    /** Serves packets until gdb detaches, kills, or disconnects; removes gdb's breakpoints at the end. */
    SessionEnd serve() {
        try {
            while (true) {
                PacketChannel.Incoming in = channel.next();
                if (in.closed()) {
                    return last.guestEnded() ? SessionEnd.GUEST_ENDED : SessionEnd.DISCONNECTED;
                }
                if (in.malformed() != null) {
                    log("refused a malformed packet: " + in.malformed());
                    channel.send("E01");
                    continue;
                }
                String d = in.data();
                if (d.equals("D") || d.startsWith("D;")) {
                    channel.send("OK");
                    return SessionEnd.DETACHED;
                }
                if (d.equals("k")) {
                    return SessionEnd.KILLED;  // gdb expects no reply
                }
                if (d.startsWith("vKill")) {
                    channel.send("OK");
                    return SessionEnd.KILLED;
                }
                String reply = answer(d, in.interruptsBefore());
                if (reply != null) {
                    channel.send(reply);
                }
            }
        } finally {
            points.close();
            channel.close();
        }
    }

    /** Ends the session from another thread: the connection closes, a run in progress stops. */
    void close() {
        channel.close();
        onBreak();
    }

    /** The reader thread saw a Ctrl-C or the end of the connection. */
    private void onBreak() {
        if (running) {
            vm.stop();
        }
    }

    private String answer(String d, long interruptsBefore) {
        try {
            return dispatch(d, interruptsBefore);
        } catch (MalformedPacketException e) {
            log("refused '" + abbreviate(d) + "': " + e.getMessage());
            return "E01";
        } catch (WorkbenchException e) {
            log("refused '" + abbreviate(d) + "': " + e.getMessage());
            return "E05";
        } catch (RuntimeException e) {  // an emulator bug: say so, keep the session
            log("internal error answering '" + abbreviate(d) + "': " + e);
            return "E05";
        }
    }

    private String dispatch(String d, long interruptsBefore) {
        String rest = d.substring(1);
        switch (d.charAt(0)) {
            case '?':
                return last.packet();
            case 'g':
                return I386Registers.readAll(vm);
            case 'G':
                return refusedAs("E22", () -> I386Registers.writeAll(vm, rest));
            case 'p':
                return I386Registers.read(vm, (int) Hex.parse(rest));
            case 'P': {
                int eq = rest.indexOf('=');
                if (eq < 0) {
                    throw new MalformedPacketException("P needs n=value");
                }
                int n = (int) Hex.parse(rest.substring(0, eq));
                return refusedAs("E22", () -> I386Registers.write(vm, n, rest.substring(eq + 1)));
            }
            case 'm':
                return MemoryPackets.read(vm, rest);
            case 'M':
                return refusedAs("E14", () -> MemoryPackets.write(vm, rest));
            case 'c':
            case 's':
                return resume(d.charAt(0) == 's', rest, interruptsBefore);
            case 'C':
            case 'S': {
                int semi = rest.indexOf(';');  // Csig[;addr]: the signal is not delivered to a bare CPU
                Hex.parse(semi < 0 ? rest : rest.substring(0, semi));
                return resume(d.charAt(0) == 'S', semi < 0 ? "" : rest.substring(semi + 1), interruptsBefore);
            }
            case 'Z':
            case 'z':
                return breakpoint(d.charAt(0) == 'Z', rest);
            case 'H':
                return rest.isEmpty() ? "E01" : thread(rest.substring(1));
            case 'T':
                return thread(rest);
            case 'q':
                return Queries.answer(d, vm);
            case 'Q':
                if (d.equals("QStartNoAckMode")) {
                    channel.send("OK");  // still acknowledged by gdb; from then on nothing is
                    channel.stopAcks();
                    return null;
                }
                return "";
            case 'v':
                return verbose(d, interruptsBefore);
            default:
                return "";
        }
    }

    // ---- threads: one, the CPU ----------------------------------------------------------------

    /** {@code Hg1}, {@code Hc-1}, {@code T1}: thread 1, 0 (any) or -1 (all) are fine; others do not exist. */
    private static String thread(String id) {
        long t = Hex.parseThread(id);
        return t == 0 || t == 1 || t == -1 ? "OK" : "E22";
    }

    // ---- breakpoints --------------------------------------------------------------------------

    /** {@code Z type,addr,kind[;cond]} and {@code z}: types 0-4; others get the empty reply. */
    private String breakpoint(boolean insert, String args) {
        int semi = args.indexOf(';');
        String[] f = (semi < 0 ? args : args.substring(0, semi)).split(",", -1);
        if (f.length != 3) {
            throw new MalformedPacketException("expected type,addr,kind");
        }
        int type = (int) Hex.parse(f[0]);
        long address = Hex.parse(f[1]);
        long kind = Hex.parse(f[2]);
        if (!GdbPoints.supported(type)) {
            return "";
        }
        if (!insert) {
            points.remove(type, address, kind);
            return "OK";
        }
        try {
            points.insert(type, address, kind);
            return "OK";
        } catch (IllegalArgumentException e) {
            log("refused Z" + type + " at " + f[1] + ": " + e.getMessage());
            return "E22";
        }
    }

    // ---- running --------------------------------------------------------------------------------

    /** {@code v} packets: {@code vCont?}, {@code vCont;ACTION[:thread]...}; the rest is unsupported. */
    private String verbose(String d, long interruptsBefore) {
        if (d.equals("vCont?")) {
            return "vCont;c;C;s;S";
        }
        if (!d.startsWith("vCont;")) {
            return "";
        }
        for (String action : d.substring(6).split(";")) {
            int colon = action.indexOf(':');
            if (colon >= 0 && thread(action.substring(colon + 1)).startsWith("E")) {
                continue;  // for a thread that does not exist
            }
            String a = colon < 0 ? action : action.substring(0, colon);
            if (a.equals("c") || a.equals("s")) {
                return resume(a.equals("s"), "", interruptsBefore);
            }
            if (!a.isEmpty() && (a.charAt(0) == 'C' || a.charAt(0) == 'S')) {
                Hex.parse(a.substring(1));
                return resume(a.charAt(0) == 'S', "", interruptsBefore);
            }
            throw new MalformedPacketException("vCont action '" + a + "' is not c, C, s or S");
        }
        throw new MalformedPacketException("vCont names no action for thread 1");
    }

    /**
     * {@code c [addr]} and {@code s [addr]}: runs (until something stops the guest) or steps one
     * instruction, then tells gdb the guest's new console output and why it stopped.
     */
    private String resume(boolean step, String address, long interruptsBefore) {
        if (!address.isEmpty()) {
            long eip = Hex.parse(address);
            String set = refusedAs("E22", () -> vm.setReg("eip", eip));
            if (!set.equals("OK")) {
                return set;
            }
        }
        interruptsSeen = interruptsBefore;
        StopReply stop;
        try {
            stop = step ? step() : run();
        } catch (WorkbenchException e) {
            log("cannot run the guest: " + e.getMessage());
            sendOutput("vwb: " + e.getMessage() + "\n");
            return "E05";
        }
        sendGuestOutput();
        if (!stop.message().isEmpty()) {
            sendOutput(stop.message() + "\n");
        }
        last = stop;
        return stop.packet();
    }

    private StopReply step() {
        Where start = vm.where();
        BreakReport before = lastReport();
        RunReport r = vm.step(1);
        if (standingOnBreakpoint(r, start)) {
            r = vm.step(1);  // the tracing module lets the instruction at a breakpoint run on the next try
        }
        return StopReply.of(r, fresh(before), points, vm);
    }

    private StopReply run() {
        Where start = vm.where();
        BreakReport before = lastReport();
        running = true;
        try {
            for (boolean first = true; ; first = false) {
                if (channel.interrupts() > interruptsSeen || channel.isClosed()) {
                    return StopReply.signal(StopReply.SIGINT, "", "");
                }
                RunReport r = vm.step(CHUNK);
                if (r.outcome() == Outcome.COMPLETED) {
                    sendGuestOutput();  // while the guest runs, as it prints
                    continue;
                }
                if (first && standingOnBreakpoint(r, start)) {
                    continue;
                }
                return StopReply.of(r, fresh(before), points, vm);
            }
        } finally {
            running = false;
        }
    }

    /**
     * Whether a run stopped at once at a breakpoint on the instruction it started from (gdb
     * usually steps over its own, but a REPL breakpoint or a client that does not is there too):
     * resuming means running that instruction, as on hardware with RF set.
     */
    private static boolean standingOnBreakpoint(RunReport r, Where start) {
        return r.outcome() == Outcome.BREAKPOINT && r.instructions() == 0
                && r.where().cs() == start.cs() && r.where().eip() == start.eip();
    }

    private BreakReport lastReport() {
        return vm.breakpoints().lastReport().orElse(null);
    }

    /** The breakpoint report made since {@code before}, or null. */
    private BreakReport fresh(BreakReport before) {
        BreakReport now = lastReport();
        return now != before ? now : null;
    }

    // ---- output -------------------------------------------------------------------------------

    /** What the guest printed since the last look, as gdb console output. */
    private void sendGuestOutput() {
        sendOutput(output.fresh());
    }

    /** {@code O} packets: text gdb prints; allowed only while the target runs, i.e. before a stop reply. */
    private void sendOutput(String text) {
        for (int i = 0; i < text.length(); i += OUTPUT_PIECE) {
            channel.send("O" + Hex.text(text.substring(i, Math.min(text.length(), i + OUTPUT_PIECE))));
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** Runs {@code change}; "OK", or {@code error} if the VM refuses it (a {@link WorkbenchException}). */
    private String refusedAs(String error, Runnable change) {
        try {
            change.run();
            return "OK";
        } catch (WorkbenchException e) {
            log("refused: " + e.getMessage());
            return error;
        }
    }

    private void log(String line) {
        if (log != null) {
            log.println("vwb gdb: " + line);
        }
    }

    private static String abbreviate(String s) {
        String printable = s.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() <= 40 ? printable : printable.substring(0, 40) + "...";
    }
}
