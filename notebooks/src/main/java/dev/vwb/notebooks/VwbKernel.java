package dev.vwb.notebooks;

import dev.vwb.repl.EmbeddedRepl;
import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.LanguageInfo;
import io.github.spencerpark.jupyter.kernel.ReplacementOptions;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Jupyter kernel: the REPL's engine ({@link EmbeddedRepl}) behind the Jupyter messaging
 * protocol of {@code jupyter-jvm-basekernel}, as IJava is built. A cell is Java (JShell, in this
 * JVM) and line magics ({@code %si 5}: the REPL's short commands); its last value is the
 * execute result, with HTML where the value has it ({@link Display}). Interrupt stops a running
 * guest (or snippet) and the kernel lives on; restart is the client's: a new kernel process.
 */
public final class VwbKernel extends BaseKernel {
    private static final LanguageInfo LANGUAGE = new LanguageInfo.Builder("java")
            .version(Runtime.version().toString())
            .mimetype("text/x-java-source")
            .fileExtension(".jshell")
            .pygments("java")
            .codemirror("text/x-java")
            .build();
    /** What a notebook's Java gets besides the REPL's imports: {@code display(x)} and the lessons' {@code Quiz}. */
    private static final String IMPORTS = "import static dev.vwb.notebooks.Notebook.display;\nimport dev.vwb.notebooks.quiz.Quiz;";

    private final EmbeddedRepl repl;

    private VwbKernel(EmbeddedRepl repl) {
        this.repl = repl;
    }

    /** A kernel on {@code guest} (under the hypervisor unless {@code bare}); Java starts in the background. */
    public static VwbKernel open(String guest, boolean bare) {
        VwbKernel[] made = new VwbKernel[1];
        // The REPL prints to the kernel's streams, which exist only once the kernel does.
        java.io.PrintStream out = forward(() -> made[0].getIO().out);
        java.io.PrintStream err = forward(() -> made[0].getIO().err);
        // The values magics show (%regs, %disas, %pt, %exits, %trace timeline) appear as their HTML.
        made[0] = new VwbKernel(EmbeddedRepl.open(guest, bare, out, err, value -> {
            out.flush();
            made[0].display(Display.of(value));
        }));
        Notebook.attach(made[0]);
        return made[0];
    }

    /** A stream writing to whatever {@code target} gives at the time of writing. */
    private static java.io.PrintStream forward(java.util.function.Supplier<java.io.PrintStream> target) {
        return new java.io.PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                target.get().write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                target.get().write(b, off, len);
            }

            @Override
            public void flush() {
                target.get().flush();
            }
        }, true, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public LanguageInfo getLanguageInfo() {
        return LANGUAGE;
    }

    @Override
    public String getBanner() {
        return "vwb (Java): the workbench's REPL engine; " + repl.vm() + " is vm. Line magics: %si 5, %regs, %help.";
    }

    @Override
    public DisplayData eval(String code) {
        imports();
        DisplayData result = null;
        for (Cell.Part part : Cell.parse(code).parts()) {
            result = null;
            if (part.magic()) {
                magic(part.text());
            } else {
                Optional<EmbeddedRepl.Value> v = repl.java(part.text());
                result = v.map(VwbKernel::display).orElse(null);
            }
        }
        getIO().out.flush();
        return result;
    }

    /** A string is shown as itself (JShell's text quotes it); any other value as {@link Display} does. */
    private static DisplayData display(EmbeddedRepl.Value v) {
        return v.object() instanceof CharSequence s ? new DisplayData(s.toString()) : Display.of(v.object(), v.text());
    }

    private boolean imported;

    private void imports() {
        if (!imported) {
            imported = true;
            repl.java(IMPORTS);
        }
    }

    private void magic(String line) {
        if (!repl.isCommand(line)) {
            String name = line.split("\\s+", 2)[0];
            throw new EmbeddedRepl.Failure("%" + name + " is not a command the kernel knows (or it needs arguments): %help lists them");
        }
        repl.command(line);
    }

    @Override
    public String isComplete(String code) {
        return switch (repl.completeness(Cell.parse(code).lastJava())) {
            case COMPLETE -> IS_COMPLETE_YES;
            case INCOMPLETE -> "    ";
            case INVALID -> IS_COMPLETE_BAD;
            case UNKNOWN -> IS_COMPLETE_MAYBE;
        };
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        int lineStart = code.lastIndexOf('\n', Math.max(0, at - 1)) + 1;
        String line = code.substring(lineStart, at);
        if (line.stripLeading().startsWith("%") && !line.contains(" ")) {
            return magicNames(line.stripLeading().substring(1), at);
        }
        Cell.Part java = javaAround(code, at);
        if (java == null) {
            return null;
        }
        int offset = code.indexOf(java.text());
        EmbeddedRepl.Completions c = repl.complete(java.text(), at - offset);
        return c.texts().isEmpty() ? null : new ReplacementOptions(c.texts(), c.start() + offset, c.end() + offset);
    }

    private ReplacementOptions magicNames(String prefix, int at) {
        List<String> names = new ArrayList<>();
        for (String usage : repl.commandUsages()) {
            String name = usage.split("[ —]", 2)[0];
            if (name.startsWith(prefix)) {
                names.add(name);
            }
        }
        return names.isEmpty() ? null : new ReplacementOptions(names, at - prefix.length(), at);
    }

    /** The Java part of {@code code} the cursor is in (the text as it stands in the cell), or null. */
    private static Cell.Part javaAround(String code, int at) {
        int from = 0;
        for (Cell.Part p : Cell.parse(code).parts()) {
            int start = code.indexOf(p.text(), from);
            if (start < 0) {
                continue;
            }
            from = start + p.text().length();
            if (!p.magic() && at >= start && at <= from) {
                return p;
            }
        }
        return null;
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        Cell.Part java = javaAround(code, at);
        if (java == null) {
            return null;
        }
        int offset = code.indexOf(java.text());
        List<String> docs = repl.documentation(java.text(), at - offset);
        return docs.isEmpty() ? null : new DisplayData(String.join("\n\n", docs));
    }

    @Override
    public void interrupt() {
        repl.interrupt();
    }

    @Override
    public List<String> formatError(Exception e) {
        if (e instanceof RuntimeException r && EmbeddedRepl.isUserError(r)) {
            return errorStyler.primaryLines(r.getMessage() == null ? r.getClass().getSimpleName() : r.getMessage());
        }
        return super.formatError(e);
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        repl.close();
    }
}
