package dev.vwb.workbench.gdb;

import dev.vwb.workbench.Vm;

/**
 * The {@code q} packets: what the stub supports, the target description, and the one thread.
 *
 * <pre>
 *   qSupported[:...]                     PacketSize=4000;qXfer:features:read+;swbreak+;hwbreak+;...
 *   qXfer:features:read:target.xml:o,l   m|l + the description from offset o, at most l bytes
 *   qAttached                            1: gdb attached to a running machine, so quit detaches
 *   qC                                   QC01 (thread 1, the CPU)
 *   qfThreadInfo / qsThreadInfo          m01 / l
 *   qThreadExtraInfo,1                   hex of "CPU 0 (protected mode)"
 *   qSymbol::                            OK (no symbols wanted)
 *   anything else                        the empty reply: not supported
 * </pre>
 */
final class Queries {
    private static final String FEATURES = "qXfer:features:read:";

    private Queries() {
    }

    static String answer(String q, Vm vm) {
        if (q.startsWith("qSupported")) {
            return GdbSession.SUPPORTED;
        }
        if (q.startsWith(FEATURES)) {
            return features(q.substring(FEATURES.length()));
        }
        if (q.equals("qAttached") || q.startsWith("qAttached:")) {
            return "1";
        }
        if (q.startsWith("qThreadExtraInfo,")) {
            return Hex.text("CPU 0 (" + (vm.machine().cpu().isProtectedMode() ? "protected" : "real") + " mode"
                    + (vm.virtualized() ? ", under the hypervisor" : "") + ")");
        }
        return switch (q) {
            case "qC" -> "QC01";
            case "qfThreadInfo" -> "m01";
            case "qsThreadInfo" -> "l";
            case "qSymbol::" -> "OK";
            default -> "";
        };
    }

    /**
     * {@code ANNEX:offset,length} of the features object: only {@code target.xml} exists (E00 for
     * another annex, as QEMU answers). The reply is {@code m} and a piece when more follows,
     * {@code l} and the last piece (possibly empty) otherwise.
     */
    private static String features(String args) {
        int colon = args.lastIndexOf(':');
        if (colon < 0) {
            throw new MalformedPacketException("qXfer:features:read needs annex:offset,length");
        }
        if (!args.substring(0, colon).equals("target.xml")) {
            return "E00";
        }
        String range = args.substring(colon + 1);
        int comma = range.indexOf(',');
        if (comma < 0) {
            throw new MalformedPacketException("qXfer:features:read needs offset,length");
        }
        long offset = Hex.parse(range.substring(0, comma));
        long length = Math.min(Hex.parse(range.substring(comma + 1)), PacketChannel.MAX_PACKET / 2);
        String xml = I386Registers.targetXml();
        if (offset >= xml.length()) {
            return "l";
        }
        int end = (int) Math.min(xml.length(), offset + length);
        return (end == xml.length() ? "l" : "m") + Hex.escapeBinary(xml.substring((int) offset, end));
    }
}
