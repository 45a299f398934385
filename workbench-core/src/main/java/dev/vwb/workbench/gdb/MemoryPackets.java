package dev.vwb.workbench.gdb;

import dev.vwb.workbench.MemoryView;
import dev.vwb.workbench.Vm;
import dev.vwb.workbench.WorkbenchException;

/**
 * The {@code m} and {@code M} packets: guest memory at linear addresses, translated through the
 * guest's page tables as they are in memory ({@link Vm#virtual()}, a supervisor access, as a
 * debugger reads), so gdb sees what the guest's code sees.
 */
final class MemoryPackets {
    private static final int PAGE = 0x1000;
    /** The most bytes one reply carries: two hex digits each, within the packet size. */
    static final int MAX_READ = (PacketChannel.MAX_PACKET - 16) / 2;

    private MemoryPackets() {
    }

    /**
     * {@code m addr,len}: as many bytes as are mapped from addr, up to len (gdb takes a short
     * reply and asks for the rest), or {@code E14} (EFAULT) when the first page is not mapped.
     */
    static String read(Vm vm, String args) {
        long[] al = addressAndLength(args);
        long address = al[0];
        int remaining = (int) Math.min(al[1], MAX_READ);
        MemoryView virtual = vm.virtual();
        MemoryView physical = vm.physical();
        StringBuilder hex = new StringBuilder(remaining * 2);
        while (remaining > 0) {
            long pa;
            try {
                pa = virtual.toPhysical(address);  // one walk per page, not per byte
            } catch (WorkbenchException unmapped) {
                break;
            }
            int inPage = (int) Math.min(remaining, PAGE - (address & (PAGE - 1)));
            hex.append(Hex.of(physical.read(pa, inPage)));
            address = (address + inPage) & 0xFFFF_FFFFL;
            remaining -= inPage;
        }
        return hex.length() == 0 && al[1] > 0 ? "E14" : hex.toString();
    }

    /**
     * {@code M addr,len:XX...}: all the bytes or none ({@link MemoryView#write}); a page that is
     * not mapped is a {@link WorkbenchException}, which the session answers {@code E14}.
     */
    static void write(Vm vm, String args) {
        int colon = args.indexOf(':');
        if (colon < 0) {
            throw new MalformedPacketException("M needs addr,len:bytes");
        }
        long[] al = addressAndLength(args.substring(0, colon));
        byte[] bytes = Hex.bytes(args.substring(colon + 1));
        if (bytes.length != al[1]) {
            throw new MalformedPacketException("M says " + al[1] + " bytes but carries " + bytes.length);
        }
        vm.virtual().write(al[0], bytes);
    }

    private static long[] addressAndLength(String args) {
        int comma = args.indexOf(',');
        if (comma < 0) {
            throw new MalformedPacketException("expected addr,length");
        }
        return new long[] {Hex.parse(args.substring(0, comma)), Hex.parse(args.substring(comma + 1))};
    }
}
