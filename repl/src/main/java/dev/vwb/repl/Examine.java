package dev.vwb.repl;

import dev.vwb.workbench.MemoryView;
import dev.vwb.workbench.Vm;

/**
 * gdb's {@code x/NFMT ADDR} over guest virtual (linear) memory: N units (1 by default) in
 * format F ({@code x} hex, {@code d} signed, {@code u} unsigned, {@code c} characters,
 * {@code s} a NUL-terminated string, {@code i} instructions) of size M ({@code b} byte,
 * {@code h} 2 bytes, {@code w} 4 bytes, the default). {@code x/Nxb} is the classic hex dump with
 * ASCII. Bytes on pages that are not mapped show as {@code ??}.
 *
 * @param count  how many units
 * @param format x, d, u, c, s or i
 * @param size   1, 2 or 4 bytes
 */
record Examine(int count, char format, int size) {
    /** The most units one command shows. */
    static final int MAX = 4096;
    /** The longest string {@code x/s} reads. */
    private static final int MAX_STRING = 1024;

    /** Reads the part after {@code x/}: {@code 16xb}, {@code 4i}, {@code s}, "" (one hex word). */
    static Examine parse(String spec) {
        int i = 0;
        while (i < spec.length() && Character.isDigit(spec.charAt(i))) {
            i++;
        }
        int count = i == 0 ? 1 : Integer.parseInt(spec.substring(0, Math.min(i, 6)));
        if (count < 1 || count > MAX) {
            throw new IllegalArgumentException("x shows 1 to " + MAX + " units, not " + spec.substring(0, i));
        }
        char format = 'x';
        int size = 0;
        for (char c : spec.substring(i).toCharArray()) {
            if ("xducsi".indexOf(c) >= 0) {
                format = c;
            } else if ("bhw".indexOf(c) >= 0) {
                size = c == 'b' ? 1 : c == 'h' ? 2 : 4;
            } else {
                throw new IllegalArgumentException("x/" + spec + ": '" + c + "' is not a format (x d u c s i) or a size (b h w)");
            }
        }
        if (size == 0) {
            size = format == 'c' || format == 's' ? 1 : 4;
        }
        return new Examine(count, format, size);
    }

    /** The text for {@code vm}'s memory at {@code address}. */
    String show(Vm vm, long address) {
        MemoryView mem = vm.virtual();
        switch (format) {
            case 'i':
                return vm.disassemble(address, count).toString();
            case 's':
                return string(mem, address);
            default:
                if (format == 'x' && size == 1) {
                    return mem.dump(address, count).toString();
                }
                return units(mem, address);
        }
    }

    private String units(MemoryView mem, long address) {
        int perLine = format == 'c' ? 16 : 16 / size;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            long at = (address + (long) i * size) & 0xFFFF_FFFFL;
            if (i % perLine == 0) {
                sb.append(i == 0 ? "" : "\n").append(String.format("%08X:", at));
            }
            sb.append(' ').append(unit(mem, at));
        }
        return sb.append('\n').toString();
    }

    private String unit(MemoryView mem, long at) {
        for (int k = 0; k < size; k++) {
            if (!mem.mapped(at + k)) {
                return "?".repeat(format == 'x' ? 2 * size : 2);
            }
        }
        long raw = size == 1 ? mem.read8(at) : size == 2 ? mem.read16(at) : mem.read32(at) & 0xFFFF_FFFFL;
        switch (format) {
            case 'x':
                return String.format("%0" + 2 * size + "X", raw);
            case 'u':
                return Long.toString(raw);
            case 'd':
                return Long.toString(size == 1 ? (byte) raw : size == 2 ? (short) raw : (int) raw);
            default:
                return character((int) raw & 0xFF);
        }
    }

    private static String character(int b) {
        if (b >= 0x20 && b < 0x7F) {
            return "'" + (char) b + "'";
        }
        return switch (b) {
            case 0 -> "'\\0'";
            case '\n' -> "'\\n'";
            case '\r' -> "'\\r'";
            case '\t' -> "'\\t'";
            default -> String.format("'\\x%02X'", b);
        };
    }

    private String string(MemoryView mem, long address) {
        StringBuilder sb = new StringBuilder();
        long at = address;
        for (int n = 0; n < count; n++) {
            sb.append(String.format("%08X: \"", at & 0xFFFF_FFFFL));
            int len = 0;
            while (len < MAX_STRING) {
                if (!mem.mapped(at)) {
                    sb.append("\" (stops at an unmapped page)\n");
                    return sb.toString();
                }
                int b = mem.read8(at++);
                if (b == 0) {
                    break;
                }
                String c = character(b);
                sb.append(c, 1, c.length() - 1);
                len++;
            }
            sb.append(len == MAX_STRING ? "\"...\n" : "\"\n");
        }
        return sb.toString();
    }
}
