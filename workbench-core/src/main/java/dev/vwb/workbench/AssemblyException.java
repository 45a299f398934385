package dev.vwb.workbench;

import dev.vwb.machine.asm.Diagnostic;
import java.util.List;

/** Assembly text with errors: the message lists every diagnostic, one per line. */
public final class AssemblyException extends WorkbenchException {
    private final transient List<Diagnostic> diagnostics;

    AssemblyException(List<Diagnostic> diagnostics) {
        super(message(diagnostics));
        this.diagnostics = List.copyOf(diagnostics);
    }

    /** Every error the assembler found, in source order. */
    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    private static String message(List<Diagnostic> diagnostics) {
        StringBuilder sb = new StringBuilder("the assembly has ").append(diagnostics.size())
                .append(diagnostics.size() == 1 ? " error:" : " errors:");
        for (Diagnostic d : diagnostics) {
            sb.append("\n  ").append(d);
        }
        return sb.toString();
    }
}
