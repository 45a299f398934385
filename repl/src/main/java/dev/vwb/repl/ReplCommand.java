package dev.vwb.repl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code ./vwb repl [GUEST] [--bare] [--plain]} (and {@code ./vwb} alone): loads the guest, starts
 * Java in the background and opens the terminal front end, or the plain one when stdin or stdout
 * is not a terminal (or with {@code --plain}).
 */
public final class ReplCommand {
    private ReplCommand() {
    }

    public static int run(String[] args, PrintStream out) throws IOException {
        List<String> guestArgs = new ArrayList<>();
        boolean plain = false;
        for (String a : args) {
            switch (a) {
                case "--help", "-h" -> {
                    usage(out);
                    return 0;
                }
                case "--plain" -> plain = true;
                default -> guestArgs.add(a);
            }
        }
        GuestSpec spec = GuestSpec.parse(guestArgs, GuestSpec.DEFAULT.guest());
        if (plain || System.console() == null) {
            return runPlain(spec, System.in, out);
        }
        return runTerminal(spec);
    }

    /** A whole session on plain streams: the scripted and in-JVM form (tests, pipes). */
    static int runPlain(GuestSpec spec, InputStream in, PrintStream out) throws IOException {
        Session session = open(spec);
        try (JavaEngine engine = JavaEngine.create(out)) {
            engine.start();
            Repl repl = new Repl(session, engine, new Printer(new PrintWriter(out, true), Highlighter.PLAIN));
            org.jline.utils.Signals.register("INT", repl::interrupt);
            PlainFrontEnd.run(repl, new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), out);
        }
        return 0;
    }

    /**
     * A session on the terminal. The terminal and its line reader are made while the guest loads
     * (each takes a few hundred milliseconds on a cold JVM, and the prompt waits for both); Java
     * starts as the prompt is drawn, so that its warm-up takes a core from neither.
     */
    private static int runTerminal(GuestSpec spec) throws IOException {
        CompletableFuture<TerminalFrontEnd> opened = new CompletableFuture<>();
        Thread maker = new Thread(() -> {
            try {
                opened.complete(TerminalFrontEnd.open());
            } catch (IOException | RuntimeException e) {
                opened.completeExceptionally(e);
            }
        }, "vwb-terminal");
        maker.start();
        Timing.mark("main");
        Session session = open(spec);
        Timing.mark("guest loaded");
        try (JavaEngine engine = JavaEngine.create(System.out); TerminalFrontEnd front = join(opened)) {
            Timing.mark("terminal ready");
            front.run(new Repl(session, engine, front.printer()), () -> {
                Timing.mark("prompt");
                engine.start();
            });
        }
        return 0;
    }

    /** The session on {@code spec}'s guest; a guest that cannot be loaded is bad input (one line, status 2). */
    private static Session open(GuestSpec spec) {
        try {
            return Session.open(spec);
        } catch (dev.vwb.workbench.WorkbenchException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    private static TerminalFrontEnd join(CompletableFuture<TerminalFrontEnd> made) throws IOException {
        try {
            return made.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException("no terminal: " + e.getCause());
        }
    }

    private static void usage(PrintStream out) {
        out.println("usage: ./vwb repl [GUEST] [--bare] [--plain]     (./vwb alone: the teaching kernel, under the hypervisor)");
        out.println();
        out.println("The workbench's REPL: short commands in gdb's spirit (help lists them) and Java (JShell) with the");
        out.println("VM bound to vm.");
        out.println("  GUEST    a bundled guest (" + String.join(", ", dev.vwb.workbench.Workbench.bundledGuests()) + ")");
        out.println("           or a file (a Multiboot kernel). Guest kernels run under the hypervisor in patch mode");
        out.println("           (teachkernel-pv in paravirt mode); the BIOS-image guests (demo ...) run bare.");
        out.println("  --bare   no hypervisor");
        out.println("  --plain  no line editing or colours, as when stdin or stdout is not a terminal");
    }
}
