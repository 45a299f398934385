package dev.vwb.workbench;

import java.util.List;
import java.util.Optional;

/**
 * Instructions disassembled from guest memory (virtual addresses), with the guest's symbols as
 * labels and the instruction at CS:EIP marked.
 *
 * @param lines the instructions in address order
 * @param bits  16 or 32: the code size they were decoded with
 */
public record Disassembly(List<Line> lines, int bits) implements HtmlRenderable {
    /**
     * One instruction.
     *
     * @param address its linear address
     * @param hex     its bytes in hex
     * @param text    NASM syntax, as ndisasm prints it
     * @param label   the symbol defined at this address, or null
     * @param current whether it is the instruction at CS:EIP
     */
    public record Line(long address, String hex, String text, String label, boolean current) {
        @Override
        public String toString() {
            return String.format("%s %08X  %-16s  %s", current ? "=>" : "  ", address, hex, text);
        }
    }

    public Disassembly {
        lines = List.copyOf(lines);
    }

    /** The marked line, if the range contains CS:EIP. */
    public Optional<Line> current() {
        return lines.stream().filter(Line::current).findFirst();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Line l : lines) {
            if (l.label() != null) {
                sb.append(String.format("           <%s>:%n", l.label()));
            }
            sb.append(l).append('\n');
        }
        return sb.toString();
    }

    /** A table of address, bytes and instruction; the current instruction's row has class {@code current}. */
    @Override
    public String toHtml() {
        StringBuilder sb = Html.table("vwb-disassembly", "address", "bytes", "instruction");
        for (Line l : lines) {
            if (l.label() != null) {
                sb.append("<tr class=\"label\"><td colspan=\"3\">").append(Html.escape("<" + l.label() + ">:"))
                        .append("</td></tr>\n");
            }
            // Inline style: a notebook shows the fragment without any style sheet of ours.
            sb.append(l.current() ? "<tr class=\"current\" style=\"background:#d6eaf8;font-weight:bold\">" : "<tr>")
                    .append(Html.td(String.format("%08X", l.address()))).append(Html.td(l.hex()))
                    .append(Html.td(l.text())).append("</tr>\n");
        }
        return sb.append("</table>").toString();
    }
}
