package dev.vwb.machine.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The disassembler against ndisasm on random byte streams. At every offset where ndisasm starts
 * an instruction, vwb disassembles from the same offset: where both decode an instruction the
 * lengths must agree, and the texts are compared after {@link NasmTools#normalise}. Bytes one
 * side decodes and the other does not (x87, SSE, forms the 486 lacks) are counted apart.
 */
class DisassemblerMatchesNdisasmTest {

    /** Agreement counts over one comparison. */
    static final class Agreement {
        int both;
        int sameLength;
        int sameText;
        int onlyNdisasm;
        int onlyVwb;
        final List<String> lengthMismatches = new ArrayList<>();
        final List<String> textMismatches = new ArrayList<>();
        final List<String> onlyVwbExamples = new ArrayList<>();

        void compare(byte[] code, int bits) throws Exception {
            for (NasmTools.NdisasmLine n : NasmTools.ndisasm(code, bits)) {
                Instruction v = Disassembler.disassemble(code, n.offset(), n.offset(), bits);
                boolean ndValid = !n.text().startsWith("db ") && !isLonePrefix(n.text());
                if (ndValid && v.valid() && n.length() != v.length() && (n.text().equals("wait") || v.text().equals("wait"))) {
                    // WAIT then something only one side decodes: count it as that side's alone.
                    ndValid = !n.text().equals("wait");
                    if (!ndValid) {
                        onlyVwbExamples.add(hex(code, n.offset(), v.length()) + " " + v.text());
                    }
                    v = new Instruction(v.address(), v.bytes(), v.text(), !v.text().equals("wait"));
                }
                if (!ndValid || !v.valid()) {
                    if (ndValid) {
                        onlyNdisasm++;
                    } else if (v.valid()) {
                        onlyVwb++;
                        onlyVwbExamples.add(hex(code, n.offset(), v.length()) + " " + v.text() + " / ndisasm " + n.text());
                    }
                    continue;
                }
                both++;
                String where = String.format("bits %d %s: ndisasm '%s' (%d bytes), vwb '%s' (%d bytes)",
                        bits, hex(code, n.offset(), Math.max(n.length(), v.length())), n.text(), n.length(), v.text(), v.length());
                if (n.length() == v.length()) {
                    sameLength++;
                } else {
                    lengthMismatches.add(where);
                }
                if (NasmTools.normalise(n.text()).equals(NasmTools.normalise(v.text()))) {
                    sameText++;
                } else {
                    textMismatches.add(where);
                }
            }
        }

        String report(String what) {
            return String.format("%s: %d instructions both decode; lengths agree %.3f%%, text agrees %.3f%%;"
                    + " %d decoded by ndisasm only (not executed by the CPU), %d by vwb only",
                    what, both, 100.0 * sameLength / both, 100.0 * sameText / both, onlyNdisasm, onlyVwb);
        }
    }

    static boolean isLonePrefix(String text) {
        return text.matches("(o16|o32|a16|a32|rep|repne|lock|es|cs|ss|ds|fs|gs)");
    }

    static String hex(byte[] code, int off, int len) {
        StringBuilder sb = new StringBuilder();
        for (int i = off; i < Math.min(code.length, off + len); i++) {
            sb.append(String.format("%02X", code[i] & 0xFF));
        }
        return sb.toString();
    }

    @Test
    void theHypercallInstructionVmcallReadsAsNdisasmReadsIt() throws Exception {
        NasmTools.assumeInstalled();
        // VMCALL (0F 01 C1) is #UD on this CPU, but it is the hypervisor's hypercall: the exit log and
        // traces show it. Next to it, SGDT and INVLPG, whose 0F 01 group it shares.
        byte[] code = {0x0F, 0x01, (byte) 0xC1, 0x0F, 0x01, 0x00, 0x0F, 0x01, 0x38};
        for (int bits : new int[] {16, 32}) {
            Agreement a = new Agreement();
            a.compare(code, bits);
            assertEquals(3, a.both, a.report("vmcall, bits " + bits));
            assertEquals(List.of(), a.textMismatches);
        }
    }

    @Test
    void randomBytes_lengthsAlwaysAgreeWithNdisasm() throws Exception {
        NasmTools.assumeInstalled();
        for (int bits : new int[] {16, 32}) {
            byte[] code = new byte[200_000];
            new Random(bits).nextBytes(code);
            Agreement a = new Agreement();
            a.compare(code, bits);
            System.out.println(a.report("random bytes, bits " + bits));
            a.onlyVwbExamples.stream().limit(Integer.getInteger("vwb.asm.showOnly", 0)).forEach(m -> System.out.println("  vwb only: " + m));
            a.lengthMismatches.stream().limit(40).forEach(m -> System.out.println("  length: " + m));
            a.textMismatches.stream().limit(Integer.getInteger("vwb.asm.show", 40)).forEach(m -> System.out.println("  text: " + m));
            assertEquals(List.of(), a.lengthMismatches.subList(0, Math.min(20, a.lengthMismatches.size())));
            assertTrue(a.sameText == a.both, a.report("random bytes, bits " + bits));
        }
    }
}
