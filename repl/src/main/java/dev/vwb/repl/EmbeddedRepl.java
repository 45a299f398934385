package dev.vwb.repl;

import dev.vwb.workbench.Vm;
import dev.vwb.workbench.WorkbenchException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Optional;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.VarSnippet;

/**
 * The REPL's engine for a front end that is not a terminal (the Jupyter kernel of module
 * notebooks): the same {@link Session}, {@link JavaEngine} and {@link Commands}, so a notebook cell
 * and a REPL line mean the same thing. Commands print to the stream given at {@link #open};
 * Java gives back the value of its last snippet, so the front end can show it richly, and fails
 * with a {@link Failure} holding what the REPL would have said (a compile error with its place
 * marked, an exception in one line).
 *
 * <p>One caller thread at a time, except {@link #interrupt()}.
 */
public final class EmbeddedRepl implements AutoCloseable {
    /** How complete a cell is as Java (JShell's completeness analysis, in four words). */
    public enum Ready { COMPLETE, INCOMPLETE, INVALID, UNKNOWN }

    /** The value of a cell's last snippet: its name ({@code $1}, {@code x}), JShell's text of it, and the object. */
    public record Value(String name, String text, Object object) {
    }

    /** Completions: the texts, and the part of the input [start, end) they replace. */
    public record Completions(List<String> texts, int start, int end) {
    }

    /** A snippet that did not compile or threw: the message is what the REPL prints for it. */
    public static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Failure(String message) {
            super(message);
        }
    }

    private final Repl repl;
    /** The workbench's own Javadoc, for inspect (JShell finds only the JDK's). */
    private final Javadocs javadocs = new Javadocs(EmbeddedRepl.class.getClassLoader());

    private EmbeddedRepl(Repl repl) {
        this.repl = repl;
    }

    /**
     * Loads {@code guest} (a bundled name or a kernel file; under the hypervisor unless {@code bare}
     * or the guest cannot be) and starts Java in the background; commands and snippets print to
     * {@code out}, snippets' {@code System.err} to {@code err}.
     */
    public static EmbeddedRepl open(String guest, boolean bare, PrintStream out, PrintStream err) {
        return open(guest, bare, out, err, null);
    }

    /**
     * As {@link #open(String, boolean, PrintStream, PrintStream)}, with the values commands show
     * (registers, disassembly, page walks, the exit log, a trace timeline) handed to {@code views}
     * instead of printed - a notebook shows their HTML. Null: printed as text.
     */
    public static EmbeddedRepl open(String guest, boolean bare, PrintStream out, PrintStream err,
                                    java.util.function.Consumer<Object> views) {
        GuestSpec spec = GuestSpec.parse(bare ? List.of(guest, "--bare") : List.of(guest), GuestSpec.DEFAULT.guest());
        Session session = Session.open(spec);
        JavaEngine engine = JavaEngine.create(out, err);
        engine.start();
        return new EmbeddedRepl(new Repl(session, engine, new Printer(new PrintWriter(out, true), Highlighter.PLAIN, views)));
    }

    /** The default guest: the teaching kernel under the hypervisor (as {@code ./vwb} alone). */
    public static String defaultGuest() {
        return GuestSpec.DEFAULT.guest();
    }

    /** The VM the commands and {@code vm} work on now. */
    public Vm vm() {
        return repl.session().current();
    }

    /** Waits until Java has started (at most the JShell warm-up). */
    public void awaitJava() {
        repl.engine().shell();
    }

    /** Whether {@code line} is one of the REPL's short commands ({@code si 5}, {@code regs}). */
    public boolean isCommand(String line) {
        return repl.command(line.strip()).isPresent();
    }

    /** The commands' names and their one-line help, for a front end's own help. */
    public List<String> commandUsages() {
        return repl.commands().listed().stream().map(c -> c.usage() + " — " + c.summary()).toList();
    }

    /** Runs a short command; its answers go to the stream of {@link #open}. Bad input prints one error line. */
    public void command(String line) {
        repl.accept(line.strip());
    }

    /**
     * Evaluates {@code input} as Java (one or more snippets, in turn) and gives the value of the
     * last one if it has one (an expression, or a variable declared with a value).
     *
     * @throws Failure a snippet did not compile or threw; the snippets before it have run
     */
    public Optional<Value> java(String input) {
        List<JavaEngine.Result> results = repl.engine().eval(input);
        Optional<Value> last = Optional.empty();
        for (JavaEngine.Result r : results) {
            String failure = failure(r);
            if (failure != null) {
                repl.followVm();
                throw new Failure(failure);
            }
            last = value(r);
        }
        repl.followVm();
        return last;
    }

    /** What the REPL says about {@code r} when it failed, or null when it did not. */
    private String failure(JavaEngine.Result r) {
        boolean failed = r.events().stream().anyMatch(ev -> ev.causeSnippet() == null
                && (ev.status() == Snippet.Status.REJECTED || ev.exception() != null));
        if (!failed) {
            return null;
        }
        StringWriter text = new StringWriter();
        new SnippetFeedback(repl.engine().shell(), new Printer(new PrintWriter(text, true), Highlighter.PLAIN)).print(r);
        return text.toString().strip();
    }

    private static Optional<Value> value(JavaEngine.Result r) {
        for (SnippetEvent ev : r.events()) {
            if (ev.causeSnippet() != null || ev.value() == null) {
                continue;
            }
            Snippet s = ev.snippet();
            if (s instanceof ExpressionSnippet e && !e.typeName().equals("void")) {
                return Optional.of(new Value(e.name(), ev.value(), r.value()));
            }
            if (s instanceof VarSnippet v && s.subKind() != Snippet.SubKind.VAR_DECLARATION_SUBKIND) {
                return Optional.of(new Value(v.name(), ev.value(), r.value()));
            }
        }
        return Optional.empty();
    }

    /** How complete {@code input} is: a command is complete; Java as JShell's analysis says. */
    public Ready completeness(String input) {
        if (input.isBlank() || isCommand(input)) {
            return Ready.COMPLETE;
        }
        try {
            Completeness c = repl.engine().completeness(input);
            return switch (c) {
                case COMPLETE, COMPLETE_WITH_SEMI, EMPTY -> Ready.COMPLETE;
                case DEFINITELY_INCOMPLETE, CONSIDERED_INCOMPLETE -> Ready.INCOMPLETE;
                case UNKNOWN -> Ready.INVALID;
            };
        } catch (IllegalStateException e) {
            return Ready.UNKNOWN;
        }
    }

    /** JShell's completions of {@code code} at {@code cursor} (each text once, in JShell's order). */
    public Completions complete(String code, int cursor) {
        int[] anchor = new int[1];
        List<String> texts = repl.engine().suggestions(code, cursor, anchor).stream()
                .map(SourceCodeAnalysis.Suggestion::continuation).distinct().toList();
        return new Completions(texts, anchor[0], cursor);
    }

    /**
     * JShell's documentation of what is at {@code cursor} (the signatures, each with its Javadoc
     * where the sources are at hand), or empty.
     */
    public List<String> documentation(String code, int cursor) {
        return repl.engine().shell().sourceCodeAnalysis().documentation(code, cursor, true).stream()
                .map(d -> d.signature() + javadoc(d).map(doc -> "\n" + doc).orElse(""))
                .toList();
    }

    /** JShell's Javadoc (the JDK's, where its sources are installed), or the workbench's own. */
    private Optional<String> javadoc(SourceCodeAnalysis.Documentation d) {
        if (d.javadoc() != null && !d.javadoc().isBlank()) {
            return Optional.of(d.javadoc());
        }
        return javadocs.of(d.signature());
    }

    /** Stops a running guest at an instruction boundary, or else a running snippet; from any thread. */
    public void interrupt() {
        repl.interrupt();
    }

    /** Whether {@code e} is the one-line kind of error a user's input causes. */
    public static boolean isUserError(RuntimeException e) {
        return e instanceof WorkbenchException || e instanceof IllegalArgumentException || e instanceof Failure;
    }

    @Override
    public void close() {
        repl.engine().close();
    }
}
