package dev.vwb.workbench;

import dev.vwb.machine.cpu.Cpu;
import dev.vwb.machine.cpu.SegReg;
import java.util.Optional;

/**
 * Where the CPU is: CS:EIP, the linear address, and the nearest symbol.
 *
 * @param cs     the CS selector
 * @param eip    the offset in CS
 * @param linear CS base + EIP
 * @param symbol {@code name} or {@code name+0x4}, or null
 */
public record Where(int cs, int eip, long linear, String symbol) implements HtmlRenderable {
    /** Where {@code cpu} is; the symbol by linear address, or in real mode by offset in CS (see {@link Symbols}). */
    static Where of(Cpu cpu, Symbols symbols) {
        long linear = (cpu.segmentBase(SegReg.CS) + cpu.eip()) & 0xFFFF_FFFFL;
        String symbol = symbols.describe(linear, 0x1000)
                .or(() -> cpu.isProtectedMode() ? Optional.empty() : symbols.describe(cpu.eip() & 0xFFFFL, 0x1000))
                .orElse(null);
        return new Where(cpu.selector(SegReg.CS), cpu.eip(), linear, symbol);
    }

    @Override
    public String toString() {
        return String.format("%04X:%08X (linear %08X)%s", cs, eip, linear, symbol == null ? "" : " <" + symbol + ">");
    }

    @Override
    public String toHtml() {
        return "<code class=\"vwb-where\">" + Html.escape(toString()) + "</code>";
    }
}
