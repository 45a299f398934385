package dev.vwb.workbench;

import java.util.Arrays;

/**
 * Bytes of guest memory, printed as the classic hex dump: 16 bytes per line, the address, the
 * bytes in hex, and the printable ones as ASCII. Bytes that could not be read (a virtual address
 * on an unmapped page) print as {@code ??}.
 *
 * @param address  the address of the first byte (virtual or physical, as {@code space} says)
 * @param bytes    the bytes
 * @param readable per byte, whether it could be read
 * @param space    "physical" or "virtual"
 */
public record HexDump(long address, byte[] bytes, boolean[] readable, String space) implements HtmlRenderable {
    private static final int PER_LINE = 16;

    /** A value: the arrays are copied in and out. */
    public HexDump {
        if (bytes.length != readable.length) {
            throw new IllegalArgumentException("one readable flag per byte: " + bytes.length + " and " + readable.length);
        }
        bytes = bytes.clone();
        readable = readable.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean[] readable() {
        return readable.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HexDump d && address == d.address && space.equals(d.space) && Arrays.equals(bytes, d.bytes)
                && Arrays.equals(readable, d.readable);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(address) * 31 + Arrays.hashCode(bytes);
    }

    /** One line per 16 bytes, aligned to 16-byte addresses. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        forEachLine((lineAddress, first) -> {
            sb.append(String.format("%08X  ", lineAddress));
            StringBuilder ascii = new StringBuilder();
            for (int i = 0; i < PER_LINE; i++) {
                int at = first + i;
                if (i == 8) {
                    sb.append(' ');
                }
                if (at < 0 || at >= bytes.length) {
                    sb.append("   ");
                    ascii.append(' ');
                } else if (!readable[at]) {
                    sb.append("?? ");
                    ascii.append('?');
                } else {
                    int b = bytes[at] & 0xFF;
                    sb.append(String.format("%02X ", b));
                    ascii.append(printable(b));
                }
            }
            sb.append(" |").append(ascii).append("|\n");
        });
        return sb.toString();
    }

    @Override
    public String toHtml() {
        String[] headers = new String[PER_LINE + 2];
        headers[0] = space;
        for (int i = 0; i < PER_LINE; i++) {
            headers[i + 1] = String.format("%X", i);
        }
        headers[PER_LINE + 1] = "ASCII";
        StringBuilder sb = Html.table("vwb-hexdump", headers);
        forEachLine((lineAddress, first) -> {
            sb.append("<tr>").append(Html.td(String.format("%08X", lineAddress)));
            StringBuilder ascii = new StringBuilder();
            for (int i = 0; i < PER_LINE; i++) {
                int at = first + i;
                if (at < 0 || at >= bytes.length) {
                    sb.append("<td></td>");
                    ascii.append(' ');
                } else if (!readable[at]) {
                    sb.append("<td class=\"unmapped\" style=\"color:#b03a2e\">??</td>");
                    ascii.append('?');
                } else {
                    sb.append(Html.td(String.format("%02X", bytes[at] & 0xFF)));
                    ascii.append(printable(bytes[at] & 0xFF));
                }
            }
            sb.append(Html.td(ascii.toString(), "ascii")).append("</tr>\n");
        });
        return sb.append("</table>").toString();
    }

    private interface LineVisitor {
        void line(long lineAddress, int firstIndex);
    }

    private void forEachLine(LineVisitor v) {
        long start = address & ~(PER_LINE - 1L);
        for (long line = start; line < address + bytes.length; line += PER_LINE) {
            v.line(line & 0xFFFF_FFFFL, (int) (line - address));
        }
    }

    private static char printable(int b) {
        return b >= 0x20 && b < 0x7F ? (char) b : '.';
    }
}
