package dev.vwb.repl;

import dev.vwb.machine.cpu.Eflags;
import dev.vwb.machine.cpu.Reg32;
import dev.vwb.machine.cpu.SegReg;
import dev.vwb.workbench.Registers;
import java.util.List;
import java.util.StringJoiner;

/**
 * The registers a step changed, in one line as a debugger's step shows them:
 * {@code changed: EAX=0000002A EIP=00100027 EFLAGS=00000246 [ ZF PF IF ]}.
 */
final class ChangedRegisters {
    private ChangedRegisters() {
    }

    /** The line for {@code r} against the registers before the last step or run; "" when nothing changed. */
    static String line(Registers r) {
        List<String> names = r.changed();
        if (names.isEmpty()) {
            return "";
        }
        StringJoiner j = new StringJoiner(" ", "changed: ", "");
        for (String name : names) {
            j.add(name + "=" + value(r, name));
        }
        return j.toString();
    }

    /** The value of the row {@code name} of {@link Registers#changed()}, as {@code Registers.toString} prints it. */
    static String value(Registers r, String name) {
        switch (name) {
            case "EIP":
                return hex8(r.eip());
            case "EFLAGS":
                return hex8(r.eflags()) + " " + Eflags.describe(r.eflags());
            case "CR0":
                return hex8(r.cr0());
            case "CR2":
                return hex8(r.cr2());
            case "CR3":
                return hex8(r.cr3());
            case "CR4":
                return hex8(r.cr4());
            case "GDTR":
                return String.format("%08X/%04X", r.gdtrBase(), r.gdtrLimit());
            case "IDTR":
                return String.format("%08X/%04X", r.idtrBase(), r.idtrLimit());
            case "CPL":
                return Integer.toString(r.cpl());
            default:
                break;
        }
        for (SegReg s : SegReg.values()) {
            if (s.name().equals(name)) {
                return String.format("%04X", r.segment(s).selector());
            }
        }
        return hex8(r.get(Reg32.valueOf(name)));
    }

    private static String hex8(int v) {
        return String.format("%08X", v);
    }
}
