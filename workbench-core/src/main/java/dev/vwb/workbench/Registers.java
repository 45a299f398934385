package dev.vwb.workbench;

import dev.vwb.machine.cpu.Cpu;
import dev.vwb.machine.cpu.Eflags;
import dev.vwb.machine.cpu.Reg32;
import dev.vwb.machine.cpu.SegReg;
import dev.vwb.machine.cpu.SegmentView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CPU's registers at one moment (a value: it does not change as the VM runs). Printed, it
 * shows every general register, EIP, EFLAGS with its flags decoded, the segment registers with
 * their hidden base and limit, and the system registers; in HTML, the registers that changed
 * since the previous capture ({@link #previous()}, the state before the last step or run) are
 * marked.
 */
public final class Registers implements HtmlRenderable {
    /** The system registers, in the order of {@link #system()}: the names snapshot metadata uses. */
    private static final String[] SYSTEM = {"CR0", "CR2", "CR3", "CR4", "GDTR.base", "GDTR.limit", "IDTR.base",
        "IDTR.limit", "CPL"};
    /** Segment registers in the order they are shown (the order of {@link SegReg} is the encoding's). */
    private static final SegReg[] SHOWN_SEGMENTS = {SegReg.CS, SegReg.SS, SegReg.DS, SegReg.ES, SegReg.FS, SegReg.GS};

    private final int[] gprs;
    private final int eip;
    private final int eflags;
    private final SegmentView[] segments;
    private final int cr0, cr2, cr3, cr4;
    private final int gdtrBase, gdtrLimit, idtrBase, idtrLimit;
    private final int cpl;
    private final Registers previous;

    private Registers(int[] gprs, int eip, int eflags, SegmentView[] segments, int[] system, Registers previous) {
        this.gprs = gprs;
        this.eip = eip;
        this.eflags = eflags;
        this.segments = segments;
        cr0 = system[0];
        cr2 = system[1];
        cr3 = system[2];
        cr4 = system[3];
        gdtrBase = system[4];
        gdtrLimit = system[5];
        idtrBase = system[6];
        idtrLimit = system[7];
        cpl = system[8];
        this.previous = previous;
    }

    private int[] system() {
        return new int[] {cr0, cr2, cr3, cr4, gdtrBase, gdtrLimit, idtrBase, idtrLimit, cpl};
    }

    /** The registers as text fields (for snapshot metadata); {@link #fromMap} reads them back. */
    Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        for (Reg32 r : Reg32.values()) {
            m.put(r.name(), String.format("%08X", get(r)));
        }
        m.put("EIP", String.format("%08X", eip));
        m.put("EFLAGS", String.format("%08X", eflags));
        for (SegReg s : SegReg.values()) {
            SegmentView v = segment(s);
            m.put(s.name(), String.format("%04X %08X %08X %04X", v.selector(), v.base(), v.limit(), v.attributes()));
        }
        int[] values = system();
        for (int i = 0; i < SYSTEM.length; i++) {
            m.put(SYSTEM[i], String.format("%08X", values[i]));
        }
        return m;
    }

    /** Reads {@link #toMap}'s fields; an {@link IllegalArgumentException} if one is missing or not hex. */
    static Registers fromMap(Map<String, String> m) {
        int[] gprs = new int[8];
        for (Reg32 r : Reg32.values()) {
            gprs[r.ordinal()] = hex(m, r.name());
        }
        SegmentView[] segs = new SegmentView[6];
        for (SegReg s : SegReg.values()) {
            String[] f = field(m, s.name()).trim().split(" +");
            if (f.length != 4) {
                throw new IllegalArgumentException("segment register " + s + " is not 'selector base limit attributes'");
            }
            segs[s.ordinal()] = new SegmentView(parse(f[0]), parse(f[1]), parse(f[2]), parse(f[3]));
        }
        int[] system = new int[SYSTEM.length];
        for (int i = 0; i < SYSTEM.length; i++) {
            system[i] = hex(m, SYSTEM[i]);
        }
        return new Registers(gprs, hex(m, "EIP"), hex(m, "EFLAGS"), segs, system, null);
    }

    private static String field(Map<String, String> m, String name) {
        String v = m == null ? null : m.get(name);
        if (v == null) {
            throw new IllegalArgumentException("register " + name + " is missing");
        }
        return v;
    }

    private static int hex(Map<String, String> m, String name) {
        return parse(field(m, name));
    }

    private static int parse(String hex) {
        return (int) Long.parseLong(hex, 16);
    }

    static Registers capture(Cpu cpu, Registers previous) {
        int[] gprs = new int[8];
        for (Reg32 r : Reg32.values()) {
            gprs[r.ordinal()] = cpu.reg(r);
        }
        SegmentView[] segs = new SegmentView[6];
        for (SegReg s : SegReg.values()) {
            segs[s.ordinal()] = cpu.segment(s);
        }
        int[] system = {cpu.cr0(), cpu.cr2(), cpu.cr3(), cpu.cr4(), cpu.gdtrBase(), cpu.gdtrLimit(),
            cpu.idtrBase(), cpu.idtrLimit(), cpu.cpl()};
        return new Registers(gprs, cpu.eip(), cpu.eflags(), segs, system,
                previous == null ? null : previous.withoutPrevious());
    }

    /** The same values compared with {@code previous} (whose own previous is dropped). */
    Registers comparedWith(Registers previous) {
        return new Registers(gprs, eip, eflags, segments, system(), previous == null ? null : previous.withoutPrevious());
    }

    private Registers withoutPrevious() {
        return previous == null ? this : new Registers(gprs, eip, eflags, segments, system(), null);
    }

    public int get(Reg32 r) {
        return gprs[r.ordinal()];
    }

    public int eax() { return gprs[0]; }
    public int ecx() { return gprs[1]; }
    public int edx() { return gprs[2]; }
    public int ebx() { return gprs[3]; }
    public int esp() { return gprs[4]; }
    public int ebp() { return gprs[5]; }
    public int esi() { return gprs[6]; }
    public int edi() { return gprs[7]; }
    public int eip() { return eip; }
    public int eflags() { return eflags; }
    public int cr0() { return cr0; }
    public int cr2() { return cr2; }
    public int cr3() { return cr3; }
    public int cr4() { return cr4; }
    public int cpl() { return cpl; }
    public int gdtrBase() { return gdtrBase; }
    public int gdtrLimit() { return gdtrLimit; }
    public int idtrBase() { return idtrBase; }
    public int idtrLimit() { return idtrLimit; }

    public SegmentView segment(SegReg s) {
        return segments[s.ordinal()];
    }

    /** Whether a flag (an {@link Eflags} constant such as {@code Eflags.ZF}) is set. */
    public boolean flag(int mask) {
        return (eflags & mask) == mask;
    }

    /** The capture before the last step or run, or null: what {@link #toHtml()} compares with. */
    public Registers previous() {
        return previous;
    }

    /** The names of the rows whose value differs from {@link #previous()} (empty without one). */
    public List<String> changed() {
        List<String> out = new ArrayList<>();
        if (previous == null) {
            return out;
        }
        List<String[]> now = rows();
        List<String[]> before = previous.rows();
        for (int i = 0; i < now.size(); i++) {
            if (!now.get(i)[1].equals(before.get(i)[1])) {
                out.add(now.get(i)[0]);
            }
        }
        return out;
    }

    /** The state as (name, value, note) rows: the one layout both renderings use. */
    private List<String[]> rows() {
        List<String[]> rows = new ArrayList<>();
        String[] names = {"EAX", "EBX", "ECX", "EDX", "ESI", "EDI", "EBP", "ESP"};
        Reg32[] regs = {Reg32.EAX, Reg32.EBX, Reg32.ECX, Reg32.EDX, Reg32.ESI, Reg32.EDI, Reg32.EBP, Reg32.ESP};
        for (int i = 0; i < names.length; i++) {
            int v = get(regs[i]);
            rows.add(new String[] {names[i], hex8(v), Integer.toString(v)});
        }
        rows.add(new String[] {"EIP", hex8(eip), ""});
        rows.add(new String[] {"EFLAGS", hex8(eflags), Eflags.describe(eflags)});
        for (SegReg s : SHOWN_SEGMENTS) {
            SegmentView v = segment(s);
            rows.add(new String[] {s.name(), String.format("%04X", v.selector()),
                    String.format("base=%08X limit=%08X %s", v.base(), v.limit(), v.big() ? "32-bit" : "16-bit")});
        }
        rows.add(new String[] {"CR0", hex8(cr0), describeCr0(cr0)});
        rows.add(new String[] {"CR2", hex8(cr2), "last page-fault address"});
        rows.add(new String[] {"CR3", hex8(cr3), "page directory at " + hex8(cr3 & 0xFFFF_F000)});
        rows.add(new String[] {"CR4", hex8(cr4), (cr4 & PageWalker.CR4_PSE) != 0 ? "PSE (4 MiB pages)" : ""});
        rows.add(new String[] {"GDTR", hex8(gdtrBase), String.format("limit=%04X", gdtrLimit)});
        rows.add(new String[] {"IDTR", hex8(idtrBase), String.format("limit=%04X", idtrLimit)});
        rows.add(new String[] {"CPL", Integer.toString(cpl), (cr0 & Cpu.CR0_PE) != 0 ? "protected mode" : "real mode"});
        return rows;
    }

    private static String describeCr0(int cr0) {
        StringBuilder sb = new StringBuilder("[");
        if ((cr0 & Cpu.CR0_PE) != 0) sb.append(" PE");
        if ((cr0 & Cpu.CR0_TS) != 0) sb.append(" TS");
        if ((cr0 & Cpu.CR0_ET) != 0) sb.append(" ET");
        if ((cr0 & Cpu.CR0_WP) != 0) sb.append(" WP");
        if ((cr0 & Cpu.CR0_AM) != 0) sb.append(" AM");
        if ((cr0 & Cpu.CR0_PG) != 0) sb.append(" PG");
        return sb.append(" ]").toString();
    }

    private static String hex8(int v) {
        return String.format("%08X", v);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("EAX=%08X EBX=%08X ECX=%08X EDX=%08X%n", eax(), ebx(), ecx(), edx()));
        sb.append(String.format("ESI=%08X EDI=%08X EBP=%08X ESP=%08X%n", esi(), edi(), ebp(), esp()));
        sb.append(String.format("EIP=%08X EFLAGS=%08X %s%n", eip, eflags, Eflags.describe(eflags)));
        for (SegReg s : SHOWN_SEGMENTS) {
            SegmentView v = segment(s);
            sb.append(String.format("%s=%04X base=%08X limit=%08X%s", s, v.selector(), v.base(), v.limit(),
                    s == SegReg.CS || s == SegReg.DS || s == SegReg.GS ? "\n" : "   "));
        }
        sb.append(String.format("CR0=%08X %s CR2=%08X CR3=%08X CR4=%08X%n", cr0, describeCr0(cr0), cr2, cr3, cr4));
        sb.append(String.format("GDTR=%08X/%04X IDTR=%08X/%04X CPL=%d %s", gdtrBase, gdtrLimit, idtrBase, idtrLimit, cpl,
                (cr0 & Cpu.CR0_PE) != 0 ? "protected mode" : "real mode"));
        return sb.toString();
    }

    /** A three-column table (register, value, meaning); changed values have class {@code changed}. */
    @Override
    public String toHtml() {
        List<String> changed = changed();
        StringBuilder sb = Html.table("vwb-registers", "register", "value", "");
        for (String[] row : rows()) {
            boolean c = changed.contains(row[0]);
            // Inline styles: a notebook shows the fragment without any style sheet of ours.
            sb.append(c ? "<tr class=\"changed\" style=\"background:#fff3b0;font-weight:bold\">" : "<tr>").append(Html.td(row[0]))
                    .append(Html.td(row[1], c ? "changed" : null)).append(Html.td(row[2])).append("</tr>\n");
        }
        return sb.append("</table>").toString();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Registers r)) {
            return false;
        }
        return Arrays.equals(gprs, r.gprs) && eip == r.eip && eflags == r.eflags
                && Arrays.equals(segments, r.segments) && cr0 == r.cr0 && cr2 == r.cr2 && cr3 == r.cr3
                && cr4 == r.cr4 && gdtrBase == r.gdtrBase && gdtrLimit == r.gdtrLimit && idtrBase == r.idtrBase
                && idtrLimit == r.idtrLimit && cpl == r.cpl;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(gprs) * 31 + eip;
    }
}
