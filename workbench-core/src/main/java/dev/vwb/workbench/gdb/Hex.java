package dev.vwb.workbench.gdb;

import java.nio.charset.StandardCharsets;

/**
 * The hex encodings of the GDB Remote Serial Protocol: numbers in big-endian hex ({@code m1000,4}),
 * register and memory contents as bytes in target (little-endian) order, text as hex bytes
 * ({@code O} packets), and the binary escapes of {@code qXfer} replies. Parsing refuses anything
 * that is not hex with a {@link MalformedPacketException}, never a Java stack trace.
 */
final class Hex {
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex() {
    }

    /** A number in hex (at most 8 digits after leading zeros: addresses and lengths are 32-bit). */
    static long parse(String s) {
        if (s.isEmpty() || s.length() > 16) {
            throw new MalformedPacketException("not a hex number: '" + s + "'");
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            v = v << 4 | digit(s.charAt(i));
        }
        if (v < 0 || v > 0xFFFF_FFFFL) {
            throw new MalformedPacketException("not a 32-bit number: " + s);
        }
        return v;
    }

    /** A thread id as {@code H} and {@code T} packets write it: hex, or -1 for "all". */
    static long parseThread(String s) {
        return s.equals("-1") ? -1 : parse(s);
    }

    /** Two hex digits per byte, in order. */
    static byte[] bytes(String s) {
        if (s.length() % 2 != 0) {
            throw new MalformedPacketException("an odd number of hex digits: " + s.length());
        }
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (digit(s.charAt(2 * i)) << 4 | digit(s.charAt(2 * i + 1)));
        }
        return out;
    }

    static String of(byte[] bytes) {
        StringBuilder b = new StringBuilder(bytes.length * 2);
        for (byte x : bytes) {
            b.append(DIGITS[x >> 4 & 15]).append(DIGITS[x & 15]);
        }
        return b.toString();
    }

    /** {@code size} bytes of {@code value}, least significant first (the target's byte order). */
    static String littleEndian(long value, int size) {
        StringBuilder b = new StringBuilder(size * 2);
        for (int i = 0; i < size; i++) {
            int x = (int) (value >>> 8 * i) & 0xFF;
            b.append(DIGITS[x >> 4]).append(DIGITS[x & 15]);
        }
        return b.toString();
    }

    /** Reads {@link #littleEndian}'s encoding of exactly {@code size} bytes. */
    static long fromLittleEndian(String s, int size) {
        if (s.length() != 2 * size) {
            throw new MalformedPacketException("expected " + size + " bytes of hex, got " + s.length() + " digits");
        }
        byte[] b = bytes(s);
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = v << 8 | b[i] & 0xFF;
        }
        return v;
    }

    /** Text as hex bytes (UTF-8), as {@code O} packets carry it. */
    static String text(String s) {
        return of(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A byte as two hex digits, e.g. a signal number in a stop reply. */
    static String byte2(int v) {
        return littleEndian(v, 1);
    }

    /**
     * Binary data for a reply ({@code qXfer}): {@code $ # } *} become {@code }} and the byte
     * XOR 20h, so that neither the framing nor gdb's run-length decoding sees them.
     */
    static String escapeBinary(String data) {
        StringBuilder b = new StringBuilder(data.length());
        for (int i = 0; i < data.length(); i++) {
            char c = data.charAt(i);
            if (c == '$' || c == '#' || c == '}' || c == '*') {
                b.append('}').append((char) (c ^ 0x20));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static int digit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        throw new MalformedPacketException("not a hex digit: '" + c + "'");
    }
}
