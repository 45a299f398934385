package dev.vwb.repl;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.MethodSnippet;
import jdk.jshell.PersistentSnippet;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.TypeDeclSnippet;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;

/**
 * What the REPL says about an evaluated snippet, from JShell's snippet events: the value
 * ({@code name ==> value}), a declaration made or redefined ("created method twice(int)",
 * "replaced variable x : String (was int)"), snippets that depend on it and changed state,
 * compile errors with the place marked, and exceptions in one line.
 */
final class SnippetFeedback {
    private final JShell js;
    private final Printer p;

    SnippetFeedback(JShell js, Printer p) {
        this.js = js;
        this.p = p;
    }

    void print(JavaEngine.Result r) {
        for (SnippetEvent ev : r.events()) {
            if (ev.causeSnippet() == null) {
                primary(ev, r);
            } else if (ev.status() != Snippet.Status.OVERWRITTEN && ev.status() != ev.previousStatus()
                    && ev.snippet() instanceof PersistentSnippet) {
                p.note("  updated " + describe(ev.snippet()) + ": " + statusWords(ev.snippet(), ev.status()));
            }
        }
    }

    private void primary(SnippetEvent ev, JavaEngine.Result r) {
        Snippet s = ev.snippet();
        if (ev.status() == Snippet.Status.REJECTED) {
            js.diagnostics(s).forEach(d -> diagnostic(d, s.source()));
            if (js.diagnostics(s).findAny().isEmpty()) {
                p.error("this is not a statement, expression or declaration JShell can take");
            }
            return;
        }
        if (ev.exception() != null) {
            exception(ev.exception());
            return;
        }
        if (s instanceof VarSnippet v && ev.value() != null) {
            p.value(v.name(), ev.value(), r.value());
        } else if (s.kind() == Snippet.Kind.EXPRESSION && ev.value() != null) {
            p.value(((jdk.jshell.ExpressionSnippet) s).name(), ev.value(), r.value());
        }
        if (s instanceof PersistentSnippet && s.kind() != Snippet.Kind.IMPORT) {
            declared(ev, r.events());
        }
    }

    /** "created", "modified" (same signature) or "replaced" (another type or signature), and what it still needs. */
    private void declared(SnippetEvent ev, List<SnippetEvent> all) {
        Snippet s = ev.snippet();
        Snippet old = all.stream().filter(e -> e.causeSnippet() == s && e.status() == Snippet.Status.OVERWRITTEN)
                .map(SnippetEvent::snippet).findFirst().orElse(null);
        String verb;
        String was = "";
        if (old == null) {
            verb = "created";
        } else if (signature(old).equals(signature(s)) && !(s instanceof TypeDeclSnippet)) {
            verb = "modified";
        } else {
            verb = "replaced";
            was = s instanceof TypeDeclSnippet ? " (objects made before keep the old class)"
                    : " (was " + signature(old) + ")";
        }
        boolean quietVar = s instanceof VarSnippet && old == null;
        String pending = ev.status() == Snippet.Status.VALID ? "" : "; " + statusWords(s, ev.status());
        if (!quietVar || !pending.isEmpty()) {
            p.note(verb + " " + describe(s) + was + pending);
        }
    }

    private static String signature(Snippet s) {
        if (s instanceof VarSnippet v) {
            return v.typeName();
        }
        if (s instanceof MethodSnippet m) {
            return m.signature();
        }
        return s.kind().name();
    }

    private static String describe(Snippet s) {
        if (s instanceof VarSnippet v) {
            return "variable " + v.name() + " : " + v.typeName();
        }
        if (s instanceof MethodSnippet m) {
            return "method " + m.name() + "(" + m.parameterTypes() + ")";
        }
        if (s instanceof TypeDeclSnippet t) {
            return s.subKind().name().replace("_SUBKIND", "").toLowerCase(Locale.ROOT).replace('_', ' ') + " " + t.name();
        }
        return s.kind().name().toLowerCase(Locale.ROOT);
    }

    private String statusWords(Snippet s, Snippet.Status status) {
        switch (status) {
            case VALID:
                return "valid again";
            case RECOVERABLE_DEFINED:
            case RECOVERABLE_NOT_DEFINED:
                String needs = js.unresolvedDependencies((jdk.jshell.DeclarationSnippet) s).collect(Collectors.joining(", "));
                return "it cannot be used until " + (needs.isEmpty() ? "its errors are fixed" : needs + " is declared");
            case DROPPED:
                return "dropped";
            default:
                return status.name().toLowerCase(Locale.ROOT);
        }
    }

    private void diagnostic(Diag d, String source) {
        String message = d.getMessage(Locale.ROOT).lines().map(String::strip)
                .filter(l -> !l.startsWith("location:"))   // JShell's wrapper class, which the user never wrote
                .map(l -> l.startsWith("symbol:") ? l.substring("symbol:".length()).strip() : l)
                .collect(Collectors.joining(": "));
        p.error(message);
        long start = d.getStartPosition();
        long end = Math.max(d.getEndPosition(), start + 1);
        if (start < 0 || start > source.length()) {
            return;
        }
        int lineStart = source.lastIndexOf('\n', (int) start - 1) + 1;
        int lineEnd = source.indexOf('\n', (int) start);
        String line = source.substring(lineStart, lineEnd < 0 ? source.length() : lineEnd);
        int from = (int) start - lineStart;
        int to = (int) Math.min(end, lineStart + line.length()) - lineStart;
        p.line("    " + line);
        p.line("    " + " ".repeat(from) + (to - from <= 1 ? "^" : "^" + "-".repeat(to - from - 2) + "^"));
    }

    private void exception(JShellException e) {
        if (e instanceof UnresolvedReferenceException u) {
            p.error(describe(u.getSnippet()) + " cannot be used until "
                    + js.unresolvedDependencies(u.getSnippet()).collect(Collectors.joining(", ")) + " is declared");
            return;
        }
        String name = e instanceof EvalException x ? x.getExceptionClassName() : e.getClass().getName();
        String simple = name.substring(name.lastIndexOf('.') + 1);
        String message = e.getMessage();
        p.error(simple + (message == null || message.isEmpty() ? "" : ": " + message.lines().findFirst().orElse("")));
    }
}
