package dev.vwb.repl;

import dev.vwb.workbench.Disassembly;
import dev.vwb.workbench.Registers;
import dev.vwb.workbench.RunReport;
import dev.vwb.workbench.Vm;
import dev.vwb.workbench.WorkbenchException;
import java.io.PrintWriter;

/**
 * Where the REPL's answers go, and how they look: every value through its {@code toString}, with
 * the {@link Highlighter}'s colours on a terminal and none in plain mode. Errors are one line,
 * {@code error: ...}.
 */
final class Printer {
    private final PrintWriter out;
    private final Highlighter hl;
    /** A front end that shows values itself (a notebook: their HTML), or null: everything as text. */
    private final java.util.function.Consumer<Object> rich;

    Printer(PrintWriter out, Highlighter hl) {
        this(out, hl, null);
    }

    Printer(PrintWriter out, Highlighter hl, java.util.function.Consumer<Object> rich) {
        this.out = out;
        this.hl = hl;
        this.rich = rich;
    }

    /** Whether values go to a front end that shows them itself ({@link #view}). */
    boolean showsViews() {
        return rich != null;
    }

    /**
     * A value a command shows (registers, a disassembly, a page walk, the exit log, a timeline):
     * handed to a front end that shows values itself, else printed as {@code text}.
     */
    void view(Object value, String text) {
        if (rich != null) {
            out.flush();   // what was printed before comes first
            rich.accept(value);
        } else {
            block(text);
        }
    }

    Highlighter highlighter() {
        return hl;
    }

    void line(String text) {
        out.println(text);
        out.flush();
    }

    /** Text that may end with a line break or not; printed as whole lines. */
    void block(String text) {
        if (text.isEmpty()) {
            return;
        }
        out.print(text.endsWith("\n") ? text : text + "\n");
        out.flush();
    }

    void error(String message) {
        line(hl.error("error: " + message));
    }

    void note(String text) {
        line(hl.note(text));
    }

    void registers(Registers r) {
        view(r, hl.registers(r));
    }

    void disassembly(Disassembly d) {
        view(d, hl.disassembly(d.toString()));
    }

    void report(RunReport r) {
        line(hl.report(r.outcome(), r.toString()));
    }

    /** What the guest printed (COM1 and the debug console), as it printed it. */
    void guestOutput(String text) {
        block(hl.guestOutput(text));
    }

    /**
     * After a step, run or step back: the report, the registers that changed and the instruction
     * at CS:EIP now (as a debugger's {@code stepi} shows it).
     */
    void stopped(Vm vm, RunReport r) {
        report(r);
        Registers regs = vm.registers();
        String changed = ChangedRegisters.line(regs);
        if (!changed.isEmpty()) {
            line(hl.changedRegisters(changed, regs.changed()));
        }
        currentInstruction(vm);
    }

    /** The instruction at CS:EIP, marked; nothing if it cannot be read (an unmapped page). */
    void currentInstruction(Vm vm) {
        try {
            Disassembly d = vm.disassemble(vm.where().linear(), 1);
            if (!d.lines().isEmpty()) {
                line(hl.disassembly(d.lines().get(0).toString()));
            }
        } catch (WorkbenchException e) {
            note("(the instruction at CS:EIP cannot be read: " + e.getMessage() + ")");
        }
    }

    /**
     * A Java result: {@code name ==> value}, the value on the lines below when it has several;
     * registers, disassembly and run reports highlighted as the commands show them.
     */
    void value(String name, String text, Object value) {
        String shown;
        if (value instanceof Registers r) {
            shown = hl.registers(r);
        } else if (value instanceof Disassembly d) {
            shown = hl.disassembly(d.toString());
        } else if (value instanceof RunReport r) {
            shown = hl.report(r.outcome(), r.toString());
        } else {
            shown = text;
        }
        String body = shown.endsWith("\n") ? shown.substring(0, shown.length() - 1) : shown;
        line(body.contains("\n") ? name + " ==>\n" + body : name + " ==> " + body);
    }

    void flush() {
        out.flush();
    }
}
