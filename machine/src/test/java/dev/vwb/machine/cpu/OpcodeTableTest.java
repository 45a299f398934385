package dev.vwb.machine.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OpcodeTableTest {
    @Test
    void everyOneByteSlotIsAnOpcodeAPrefixOrAGroup() {
        for (int b = 0; b < 256; b++) {
            // Even ADD r/m8,r8 (op 0) has flags set, so an empty slot is exactly 0.
            assertNotEquals(0, OpcodeTable.ONE_BYTE[b], String.format("opcode %02X has no entry", b));
        }
    }

    @Test
    void prefixesAreExactlyTheElevenPrefixBytesAndTheEscape() {
        int prefixes = 0;
        for (int b = 0; b < 256; b++) {
            if ((OpcodeTable.ONE_BYTE[b] & OpcodeTable.PREFIX) != 0) {
                prefixes++;
            }
        }
        assertEquals(12, prefixes);  // 26 2E 36 3E 64 65 66 67 F0 F2 F3 + 0F
    }

    @Test
    void unknownTwoByteOpcodesAreInvalid() {
        // 0F 05 (SYSCALL), 0F 10 (SSE), 0F 77 (EMMS), 0F AA (RSM) do not exist on a 486.
        for (int b : new int[] {0x05, 0x07, 0x10, 0x77, 0xAA, 0xFF}) {
            assertEquals(Op.UD, TwoByteOpcodeTable.TWO_BYTE[b] & OpcodeTable.OP_MASK, String.format("0F %02X", b));
        }
    }

    @Test
    void everyOperationIsReachableFromTheTables() {
        boolean[] seen = new boolean[Op.COUNT];
        for (int[] table : new int[][] {OpcodeTable.ONE_BYTE, TwoByteOpcodeTable.TWO_BYTE}) {
            for (int e : table) {
                if ((e & OpcodeTable.GROUP) != 0) {
                    for (int op : OpcodeTable.GROUPS[e & OpcodeTable.OP_MASK]) {
                        seen[op] = true;
                    }
                } else if ((e & OpcodeTable.PREFIX) == 0) {
                    seen[e & OpcodeTable.OP_MASK] = true;
                }
            }
        }
        int[] defined = {Op.ROT, Op.UD, Op.NOP, Op.CPUID, Op.BSWAP, Op.CMPXCHG8B, Op.XADD, Op.CMOV, Op.SETCC, Op.SHLD, Op.SHRD,
            Op.BT_I, Op.INVLPG, Op.RDTSC, Op.RDMSR, Op.WRMSR, Op.SALC, Op.INT1, Op.ESC, Op.DAA, Op.AAS};
        for (int op : defined) {
            assertTrue(seen[op], "op " + op + " is not reachable");
        }
    }
}
