package dev.vwb.repl;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;
import jdk.jshell.VarSnippet;

/**
 * The Java half of the REPL: a JShell session executing in this JVM ({@link LiveExecution}), with
 * the workbench on its class path, its packages imported and {@code vm} bound to the session's VM.
 *
 * <p>JShell takes a second or two to start (javac warms up), so {@link #start} does it in a
 * background thread and returns at once: the prompt and the short commands do not wait; the
 * first Java snippet, completion or multi-line check does ({@link #shell()}).
 *
 * <p>One caller thread at a time (the front end's); only {@link #stop()} comes from another
 * (the Ctrl-C handler).
 */
final class JavaEngine implements AutoCloseable {
    /** What every session starts with: the workbench's packages, a few of the JDK's, and {@code vm}. */
    static final List<String> STARTUP = List.of(
            "import dev.vwb.workbench.*;",
            "import dev.vwb.workbench.hv.*;",
            "import dev.vwb.machine.cpu.Eflags;",
            "import dev.vwb.machine.cpu.Reg32;",
            "import dev.vwb.machine.cpu.SegReg;",
            "import dev.vwb.tracing.Breakpoint;",
            "import dev.vwb.tracing.Breakpoints;",
            "import dev.vwb.tracing.EventKind;",
            "import dev.vwb.tracing.RingBuffer;",
            "import dev.vwb.tracing.Tracer;",
            "import dev.vwb.repl.Session;",
            "import java.util.*;",
            "import java.util.function.*;",
            "import java.util.stream.*;",
            "import java.nio.file.*;");
    /** Binds {@code vm} to the session's current VM (at start, and after {@code load}). */
    static final String BIND_VM = "dev.vwb.workbench.Vm vm = dev.vwb.repl.Session.vm();";

    /** One snippet evaluated: its source, JShell's events, and the object it evaluated to (or null). */
    record Result(String source, List<SnippetEvent> events, Object value) {
    }

    private final LiveExecution.Provider provider = new LiveExecution.Provider();
    private final CompletableFuture<JShell> shell = new CompletableFuture<>();
    private final PrintStream out;
    private final PrintStream err;
    private volatile boolean evaluating;
    /** Set by {@link #rebindVm()}: {@link #BIND_VM} runs before the next snippet. */
    private volatile boolean rebind;
    private boolean started;

    private JavaEngine(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** An engine whose snippets' {@code System.out} and {@code System.err} go to {@code out}; JShell starts with {@link #start()}. */
    static JavaEngine create(PrintStream out) {
        return new JavaEngine(out, out);
    }

    /** An engine whose snippets' {@code System.out} goes to {@code out} and {@code System.err} to {@code err}. */
    static JavaEngine create(PrintStream out, PrintStream err) {
        return new JavaEngine(out, err);
    }

    /** Starts JShell in a background thread (once); returns at once. */
    void start() {
        synchronized (this) {
            if (started) {
                return;
            }
            started = true;
        }
        Thread t = new Thread(this::warmUp, "vwb-jshell-start");
        t.setDaemon(true);
        t.start();
    }

    private void warmUp() {
        try {
            JShell js = JShell.builder().executionEngine(provider, Map.of())
                    .in(new ByteArrayInputStream(new byte[0])).out(out).err(out).build();
            for (String entry : classPath()) {
                js.addToClasspath(entry);
            }
            for (String s : STARTUP) {
                check(js.eval(s), s);
            }
            check(js.eval(BIND_VM), BIND_VM);
            // The first completion and analysis load a good part of javac: do it now, not on the first Tab.
            js.sourceCodeAnalysis().completionSuggestions("vm.st", 5, new int[1]);
            js.sourceCodeAnalysis().analyzeCompletion("vm.step(");
            for (int i = 0; i < WARM_UP_SNIPPETS; i++) {
                js.eval("long vwbWarmUp = vm.time() + " + i + ";");
            }
            js.variables().filter(v -> v.name().equals("vwbWarmUp")).forEach(js::drop);
            shell.complete(js);
        } catch (RuntimeException | Error e) {
            shell.completeExceptionally(e);
        }
    }

    /**
     * Throw-away declarations compiled while the session starts, before the first snippet of the
     * user's: javac's first few dozen compilations run interpreted, and a trivial cell took 50-100
     * ms until they had (notebooks/DESIGN.md, Speed). Forty of them cost about a second more before
     * Java is ready, mostly while the reader reads; {@code -Dvwb.warmUp=N} changes it.
     */
    static final int WARM_UP_SNIPPETS = Integer.getInteger("vwb.warmUp", 40);

    private static void check(List<SnippetEvent> events, String source) {
        for (SnippetEvent ev : events) {
            if (ev.causeSnippet() == null && !ev.status().isDefined()) {
                throw new IllegalStateException("the start-up snippet '" + source + "' failed: " + ev.status());
            }
        }
    }

    /** The class path snippets compile against: this JVM's, and the jars holding the workbench and this module. */
    private static Set<String> classPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (String e : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!e.isBlank()) {
                entries.add(e);
            }
        }
        for (Class<?> c : List.of(Session.class, dev.vwb.workbench.Vm.class, dev.vwb.machine.Machine.class,
                dev.vwb.tracing.Tracer.class)) {
            var source = c.getProtectionDomain().getCodeSource();
            if (source != null) {
                entries.add(new File(source.getLocation().getPath()).getPath());
            }
        }
        return entries;
    }

    /** Whether JShell has started (a snippet would not wait). */
    boolean ready() {
        return shell.isDone();
    }

    /** JShell, waiting for it to start (starting it if nobody did); a {@link IllegalStateException} with one line if it could not. */
    JShell shell() {
        start();
        try {
            return shell.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while Java was starting");
        } catch (ExecutionException e) {
            throw new IllegalStateException("Java (JShell) could not start: " + e.getCause().getMessage());
        }
    }

    /** Whether a snippet is running now. */
    boolean evaluating() {
        return evaluating;
    }

    /** Asks for {@code vm} to be bound again to {@link Session#vm()} before the next snippet. */
    void rebindVm() {
        rebind = true;
    }

    /**
     * Evaluates {@code input}: one or more complete snippets, each in turn (as JShell's own tool
     * splits them). The caller has checked that the input is complete ({@link #completeness}).
     */
    List<Result> eval(String input) {
        JShell js = shell();
        if (rebind) {
            rebind = false;
            js.eval(BIND_VM);
        }
        List<Result> results = new ArrayList<>();
        String rest = input;
        while (!rest.isBlank()) {
            CompletionInfo info = js.sourceCodeAnalysis().analyzeCompletion(rest);
            boolean whole = !info.completeness().isComplete();
            String source = whole ? rest : info.source();
            results.add(evalOne(js, source));
            rest = whole ? "" : info.remaining();
        }
        return results;
    }

    private Result evalOne(JShell js, String source) {
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        boolean redirect = out != stdout;
        evaluating = true;
        try {
            if (redirect) {
                System.setOut(out);
                System.setErr(err);
            }
            LiveExecution engine = provider.engine();
            engine.forgetValue();
            List<SnippetEvent> events = js.eval(source);
            Result result = new Result(source, events, engine.lastValue());
            dropOldTemporaries(js, events);
            return result;
        } finally {
            evaluating = false;
            if (redirect) {
                out.flush();
                err.flush();
                System.setOut(stdout);
                System.setErr(stderr);
            }
        }
    }

    /** Results ({@code $1}, {@code $2} ...) kept by name; older ones go unless a snippet uses them. */
    static final int KEPT_TEMPORARIES = 10;
    private final ArrayDeque<VarSnippet> temporaries = new ArrayDeque<>();

    /**
     * Every result JShell keeps as a {@code $N} variable makes each later snippet's compilation
     * slower (measured: a trivial expression 25-35 ms with all kept, 10 ms with them dropped,
     * after 200 of them; repl/DESIGN.md), so only the last {@value #KEPT_TEMPORARIES} stay, and
     * any that an active snippet's source mentions.
     */
    private void dropOldTemporaries(JShell js, List<SnippetEvent> events) {
        for (SnippetEvent ev : events) {
            if (ev.causeSnippet() == null && ev.snippet() instanceof VarSnippet v
                    && v.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND && ev.status().isDefined()) {
                temporaries.addLast(v);
            }
        }
        while (temporaries.size() > KEPT_TEMPORARIES) {
            VarSnippet old = temporaries.removeFirst();
            Pattern use = Pattern.compile("\\" + old.name() + "\\b");
            boolean used = js.snippets().anyMatch(s -> s != old && js.status(s).isActive() && use.matcher(s.source()).find());
            if (!used && js.status(old).isActive()) {
                js.drop(old);
            }
        }
    }

    /** How complete {@code input} is as Java (waits for JShell). */
    Completeness completeness(String input) {
        return shell().sourceCodeAnalysis().analyzeCompletion(input).completeness();
    }

    /** JShell's completions at {@code cursor}; {@code anchor[0]} is set to where they start. */
    List<SourceCodeAnalysis.Suggestion> suggestions(String input, int cursor, int[] anchor) {
        return shell().sourceCodeAnalysis().completionSuggestions(input, cursor, anchor);
    }

    /** The object in the active variable {@code name}, if there is one. */
    Optional<Object> variable(String name) {
        if (!ready()) {
            return Optional.empty();
        }
        JShell js = shell();
        Optional<VarSnippet> v = js.variables().filter(s -> s.name().equals(name) && js.status(s).isActive()).findFirst();
        LiveExecution engine = provider.engine();
        if (v.isEmpty() || engine == null) {
            return Optional.empty();
        }
        try {
            js.varValue(v.get());
        } catch (IllegalArgumentException | IllegalStateException e) {
            return Optional.empty();
        }
        return Optional.ofNullable(engine.lastVariable());
    }

    /** Ends the running snippet (Ctrl-C on a Java loop); nothing if none runs. */
    void stop() {
        if (evaluating && shell.isDone()) {
            shell().stop();
        }
    }

    @Override
    public void close() {
        shell.thenAccept(JShell::close);
    }
}
