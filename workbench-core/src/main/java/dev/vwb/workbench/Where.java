package dev.vwb.workbench;

/**
 * Where the CPU is: CS:EIP, the linear address, and the nearest symbol.
 *
 * @param cs     the CS selector
 * @param eip    the offset in CS
 * @param linear CS base + EIP
 * @param symbol {@code name} or {@code name+0x4}, or null
 */
public record Where(int cs, int eip, long linear, String symbol) {
    @Override
    public String toString() {
        return String.format("%04X:%08X (linear %08X)%s", cs, eip, linear, symbol == null ? "" : " <" + symbol + ">");
    }
}
