package dev.vwb.machine.devices;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** Captured console text in snapshots: a length, then one byte per character (ISO-8859-1). */
final class Texts {
    private Texts() {
    }

    static void write(DataOutput out, CharSequence text) throws IOException {
        out.writeInt(text.length());
        for (int i = 0; i < text.length(); i++) {
            out.writeByte(text.charAt(i));
        }
    }

    static String read(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("a corrupted snapshot (negative text length)");
        }
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append((char) in.readUnsignedByte());
        }
        return sb.toString();
    }
}
