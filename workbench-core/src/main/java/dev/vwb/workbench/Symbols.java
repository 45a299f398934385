package dev.vwb.workbench;

import dev.vwb.machine.asm.Suggest;
import dev.vwb.machine.cpu.Cpu;
import dev.vwb.machine.cpu.SegReg;
import dev.vwb.tracing.ElfSymbols;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The guest's names for addresses: the labels of an assembled source or the symbol table of an
 * ELF kernel. Breakpoints and {@code runUntil} take names through this table; disassembly
 * prints {@code <name+offset>} with it.
 *
 * <p>A value is a linear address, except in a flat real-mode binary, whose source says
 * {@code org 0} (FlatBinaryLoader starts it at CS:IP = addr>>4 : addr&15): its labels are
 * offsets in CS. So, in real mode, a symbol is also reached when IP equals its value
 * ({@link #reached}).
 */
public final class Symbols implements HtmlRenderable {
    static final Symbols NONE = new Symbols(Map.of());

    private final Map<String, Long> byName;
    /** The first name defined for each address, for printing. */
    private final TreeMap<Long, String> byAddress = new TreeMap<>();

    Symbols(Map<String, Long> names) {
        this(names, java.util.Set.of());
    }

    /**
     * {@code constants}: the names {@code equ} defined - they can be looked up by name, but a
     * value is not a place, so addresses are described by the labels alone (a constant that
     * happens to equal an address must not name the code there).
     */
    Symbols(Map<String, Long> names, java.util.Set<String> constants) {
        this.byName = Collections.unmodifiableMap(new LinkedHashMap<>(names));
        names.forEach((name, value) -> {
            if (!constants.contains(name)) {
                byAddress.putIfAbsent(value & 0xFFFF_FFFFL, name);
            }
        });
    }

    /** The symbols of an assembled source: its labels name places, its {@code equ} constants only themselves. */
    static Symbols of(dev.vwb.machine.asm.Assembly a) {
        return new Symbols(a.symbols(), a.constants());
    }

    /**
     * The symbols of a 32-bit ELF kernel (read by the tracing module's
     * {@link ElfSymbols}). A file that is not ELF, or whose tables are cut off,
     * simply has no symbols: the loader reports real format problems.
     */
    static Symbols fromElf(byte[] file) {
        if (!ElfSymbols.isElf(file)) {
            return NONE;
        }
        try {
            return new Symbols(ElfSymbols.read(file));
        } catch (IllegalArgumentException e) {
            return NONE;  // not ELF32, or a malformed table: no names, the kernel still loads
        }
    }

    /**
     * Whether the next instruction, at CS:EIP, is at a symbol's value: as a linear address, or in
     * real mode as an offset in CS. Allocation-free, for breakpoints asked before every instruction.
     */
    static boolean reached(Cpu cpu, long value) {
        long v = value & 0xFFFF_FFFFL;
        int eip = cpu.eip();
        return ((cpu.segmentBase(SegReg.CS) + eip) & 0xFFFF_FFFFL) == v
                || !cpu.isProtectedMode() && (eip & 0xFFFF_FFFFL) == v;
    }

    /** Every name with its value, in definition order. */
    public Map<String, Long> all() {
        return byName;
    }

    public boolean isEmpty() {
        return byName.isEmpty();
    }

    /** The value of {@code name}, or empty. */
    public Optional<Long> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The value of {@code name}; a {@link WorkbenchException} naming close candidates if there is none. */
    public long address(String name) {
        Long v = byName.get(name);
        if (v == null) {
            throw new WorkbenchException("no symbol named '" + name + "'" + suggestion(name));
        }
        return v;
    }

    /** The name defined exactly at {@code address}, or empty. */
    public Optional<String> at(long address) {
        return Optional.ofNullable(byAddress.get(address & 0xFFFF_FFFFL));
    }

    /**
     * {@code name} or {@code name+0x12} for the nearest symbol at or below {@code address}
     * within {@code maxOffset} bytes, or empty.
     */
    public Optional<String> describe(long address, long maxOffset) {
        Map.Entry<Long, String> e = byAddress.floorEntry(address & 0xFFFF_FFFFL);
        if (e == null || (address & 0xFFFF_FFFFL) - e.getKey() > maxOffset) {
            return Optional.empty();
        }
        long off = (address & 0xFFFF_FFFFL) - e.getKey();
        return Optional.of(off == 0 ? e.getValue() : e.getValue() + "+0x" + Long.toHexString(off));
    }

    private String suggestion(String name) {
        if (byName.isEmpty()) {
            return " (this guest has no symbols)";
        }
        String near = Suggest.closest(name, byName.keySet());
        if (near != null) {
            return "; did you mean '" + near + "'?";
        }
        return "; " + byName.size() + " symbols are defined (vm.symbols() lists them)";
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        byName.forEach((n, v) -> sb.append(String.format("%08X  %s%n", v, n)));
        return sb.length() == 0 ? "(no symbols)" : sb.toString();
    }

    /** A table of address and name, in definition order. */
    @Override
    public String toHtml() {
        if (byName.isEmpty()) {
            return "<p class=\"vwb-symbols\">(no symbols)</p>";
        }
        StringBuilder sb = Html.table("vwb-symbols", "address", "name");
        byName.forEach((n, v) -> sb.append(Html.row(String.format("%08X", v), n)));
        return sb.append("</table>").toString();
    }
}
