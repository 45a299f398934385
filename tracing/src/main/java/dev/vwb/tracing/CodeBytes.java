package dev.vwb.tracing;

import dev.vwb.machine.cpu.Cpu;
import dev.vwb.machine.memory.PhysicalMemory;

/**
 * An instruction's bytes (at most 15) packed into two longs, so that recording one allocates
 * nothing; and reading them from guest memory through the page tables.
 */
final class CodeBytes {
    private CodeBytes() {
    }

    /**
     * Reads {@code length} bytes at {@code linear} into {@code out[0..1]} (packed); returns the
     * physical address of the first, or -1 when a page is unmapped (the missing bytes read as 0).
     */
    static int read(Cpu cpu, PhysicalMemory mem, int linear, int length, long[] out) {
        long phys = PageWalk.physical(cpu, mem, linear);
        if (phys >= 0 && (linear & 0xFFF) + length <= 0x1000) {
            // One page: two whole dwords and a mask, without branching on the length (which
            // varies from one instruction to the next); bytes past the instruction are masked off.
            int p = (int) phys;
            long low = (mem.read32(p) & 0xFFFF_FFFFL) | (long) mem.read32(p + 4) << 32;
            out[0] = low & (-1L >>> (64 - 8 * Math.min(length, 8)));
            long high = 0;
            if (length > 8) {
                high = (mem.read32(p + 8) & 0xFFFF_FFFFL) | (long) mem.read32(p + 12) << 32;
                high &= -1L >>> (64 - 8 * (length - 8));
            }
            out[1] = high;
            return p;
        }
        return readAcrossPages(cpu, mem, linear, length, out, phys);
    }

    /** The rare case, kept apart so that the common one stays small enough to inline: unmapped, or across a page. */
    private static int readAcrossPages(Cpu cpu, PhysicalMemory mem, int linear, int length, long[] out, long phys) {
        long low = 0;
        long high = 0;
        long at = phys;
        for (int i = 0; i < length; i++) {
            if (i > 0 && ((linear + i) & 0xFFF) == 0) {
                at = PageWalk.physical(cpu, mem, linear + i);
            }
            long b = at < 0 ? 0 : mem.read8((int) at) & 0xFFL;
            if (i < 8) {
                low |= b << (8 * i);
            } else {
                high |= b << (8 * (i - 8));
            }
            at = at < 0 ? at : at + 1;
        }
        out[0] = low;
        out[1] = high;
        return (int) phys;
    }

    /** Reads up to 15 bytes at {@code linear} as an array (for disassembling before executing). */
    static byte[] read(Cpu cpu, PhysicalMemory mem, int linear, int length) {
        long[] packed = new long[2];
        read(cpu, mem, linear, length, packed);
        return unpack(packed[0], packed[1], length);
    }

    static byte[] unpack(long low, long high, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i < 8 ? low >>> (8 * i) : high >>> (8 * (i - 8)));
        }
        return b;
    }
}
