package dev.vwb.machine.difftest;

import static dev.vwb.machine.difftest.CaseBuilder.EAX;
import static dev.vwb.machine.difftest.CaseBuilder.ECX;
import static dev.vwb.machine.difftest.CaseBuilder.EDI;
import static dev.vwb.machine.difftest.CaseBuilder.ESI;
import static dev.vwb.machine.difftest.OpTable.FILLER;
import static dev.vwb.machine.difftest.OpTable.hex;
import static dev.vwb.machine.difftest.OpTable.opSize;

import dev.vwb.machine.difftest.CaseBuilder.Insn;

/**
 * MOVS CMPS STOS LODS SCAS, with and without REP/REPE/REPNE, 16/32-bit addressing, DF = 0 or 1 and a
 * segment override on the source. (E)SI, (E)DI and (E)CX are loaded so that every element stays in the
 * data block; counts are small (0..6).
 */
final class StringOps {

    private StringOps() {
    }

    static void register(OpTable t) {
        for (int opcode : new int[] {0xA4, 0xA5, 0xA6, 0xA7, 0xAA, 0xAB, 0xAC, 0xAD, 0xAE, 0xAF}) {
            t.add(hex(opcode), FILLER, 0, b -> string(b, opcode));
        }
    }

    private static void string(CaseBuilder b, int opcode) {
        int bits = (opcode & 1) == 0 ? 8 : opSize(b);
        int size = bits / 8;
        int kind = opcode & 0xFE;
        boolean readsSource = kind == 0xA4 || kind == 0xA6 || kind == 0xAC;   // DS:(E)SI
        boolean usesDest = kind != 0xAC;                                       // ES:(E)DI
        boolean compares = kind == 0xA6 || kind == 0xAE;
        boolean addr16 = b.real() ? !b.chance(25) : b.chance(20);

        int rep = b.chance(55) ? (b.chance(50) ? 0xF3 : 0xF2) : 0;
        int count = rep != 0 ? b.pickInt(0, 1, 2, 3, 4, 5, 6, 1, 2, 3) : 1;

        if (b.st.df < 0 || b.chance(30)) {
            int opc = b.chance(50) ? 0xFC : 0xFD;
            b.insn(hex(opc)).op(opc).emit();
            b.st.df = opc == 0xFD ? 1 : 0;
        }
        int step = b.st.df == 1 ? -size : size;
        int span = Math.max(count, 1) * size;

        int srcSeg = DiffCase.DS;
        int override = -1;
        if (readsSource && b.chance(25)) {
            srcSeg = b.pick(6);
            override = srcSeg;
            if (!reachable(b, srcSeg, span)) {        // e.g. an SS far above the data block
                srcSeg = DiffCase.DS;
                override = -1;
            }
        }
        if (rep != 0) {
            int upper = addr16 ? b.rnd.nextInt() & 0xFFFF0000 : 0;   // 16-bit addressing counts with CX only
            b.setReg(ECX, upper | count, 32);
        }
        if (readsSource) {
            b.setReg(ESI, startOffset(b, srcSeg, span, step, addr16), 32);
        }
        if (usesDest) {
            b.setReg(EDI, startOffset(b, DiffCase.ES, span, step, addr16), 32);
        }
        if (kind == 0xAA || kind == 0xAE) {
            if (b.chance(60)) {
                b.setReg(EAX, b.edge(32), 32);
            }
        }

        Insn i = b.insn(hex(opcode)).size(bits).op(opcode).addrSize(addr16);
        if (override >= 0) {
            i.prefix(CaseBuilder.SEG_PREFIX[override]);
        }
        if (rep != 0) {
            i.prefix(rep);
        }
        i.emit();

        b.clobber(ESI, 32);
        b.clobber(EDI, 32);
        if (rep != 0) {
            b.clobber(ECX, 32);
        }
        if (kind == 0xAC) {
            b.clobber(EAX, 32);
        }
        if (compares && count > 0) {
            b.flags(Flags.STATUS, 0);    // REP with (E)CX = 0 runs no iteration and changes no flag
        }
    }

    private static boolean reachable(CaseBuilder b, int seg, int span) {
        int base = b.segBase(seg);
        return Math.max(Layout.DATA, base) <= Math.min(Layout.GENERAL_END - span, base + 0x10000 - span);
    }

    /**
     * The first element's offset such that all {@code span} bytes walked with {@code step} stay in the
     * general data area, reachable from the segment. Upper bits are random with 16-bit addressing.
     */
    private static int startOffset(CaseBuilder b, int seg, int span, int step, boolean addr16) {
        int base = b.segBase(seg);
        int lo = Math.max(Layout.DATA, base);
        int hi = Math.min(Layout.GENERAL_END - span, base + 0x10000 - span);
        int first = lo + b.pick(hi - lo + 1);                 // lowest byte touched
        int start = step < 0 ? first + span - Math.abs(step) : first;
        int offset = start - base;
        return addr16 ? (b.rnd.nextInt() & 0xFFFF0000) | offset : offset;
    }
}
