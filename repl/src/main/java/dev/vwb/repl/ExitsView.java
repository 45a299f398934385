package dev.vwb.repl;

import dev.vwb.workbench.Vm;
import dev.vwb.workbench.hv.VmExit;
import java.util.List;
import java.util.Locale;

/** The {@code exits} command's text: the exit log's table by reason, then the last few exits, one line each. */
final class ExitsView {
    /** How many recent exits are listed. */
    static final int RECENT = 8;

    private ExitsView() {
    }

    static String show(Vm vm) {
        if (!vm.virtualized()) {
            return "this VM runs its guest bare: there are no VM exits (load a guest kernel without --bare to see them)\n";
        }
        return vm.exits().table() + recent(vm);
    }

    /** The last few exits, one a line, under a heading; empty when there are none (or the VM runs bare). */
    static String recent(Vm vm) {
        if (!vm.virtualized()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        List<VmExit> last = vm.exits().last(RECENT);
        if (!last.isEmpty()) {
            sb.append("the last ").append(last.size()).append(last.size() == 1 ? " exit" : " exits").append(":\n");
            for (VmExit e : last) {
                sb.append(line(e)).append('\n');
            }
        }
        return sb.toString();
    }

    /** {@code #506079  0008:00100DAB  port I/O  out dx,al  -> out 03F8 <- a  (3.2 us)}. */
    static String line(VmExit e) {
        VmExit.Site s = e.site();
        return String.format(Locale.ROOT, "  #%-9d %04X:%08X  %-22s %-22s -> %s (%.1f us)", s.retired(), s.cs(), s.eip(),
                e.reason().label(), s.instructionText(), s.action(), s.nanos() / 1000.0);
    }
}
