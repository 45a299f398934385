package dev.vwb.machine.difftest;

import dev.vwb.machine.difftest.CaseBuilder.Mem;
import dev.vwb.machine.difftest.CaseBuilder.Operand;
import dev.vwb.machine.difftest.CaseBuilder.Reg;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Every instruction the generator can emit, one entry per coverage key, plus small helpers the
 * instruction families share. The generator picks keys uniformly, so every opcode gets tested about
 * equally often.
 */
final class OpTable {

    /** May be emitted inside a conditionally skipped region: changes no ESP, segment or control flow. */
    static final int FILLER = 1;
    /** Always ends execution (INT n, INT3, UD2): only as a case's last instruction. */
    static final int TERMINAL = 2;
    /** Only in REAL16 (segment loads, far transfers, IRET). */
    static final int REAL_ONLY = 4;

    /**
     * @param key   coverage key ("01", "0F A4", "F7/6")
     * @param role  FILLER / TERMINAL / REAL_ONLY bits
     * @param reads status flags the instruction reads (it is not picked while any is undefined)
     */
    record Op(String key, int role, int reads, Consumer<CaseBuilder> emitter) {

        boolean has(int bit) {
            return (role & bit) != 0;
        }
    }

    /** Thrown by an emitter, before it emitted anything, when it cannot be used right now. */
    static final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unavailable() {
            super(null, null, false, false);
        }
    }

    final List<Op> ops = new ArrayList<>();

    OpTable() {
        DataOps.register(this);
        StackOps.register(this);
        StringOps.register(this);
        ControlOps.register(this);
    }

    void add(String key, int role, int reads, Consumer<CaseBuilder> emitter) {
        ops.add(new Op(key, role, reads, emitter));
    }

    /** Candidate lists per (real mode, last instruction, filler only), built on first use. */
    private final Map<Integer, List<Op>> candidates = new HashMap<>();

    /**
     * A usable op for the builder's current state, uniformly among the eligible ones (rejection
     * sampling: ops reading an undefined flag are redrawn).
     */
    Op pick(CaseBuilder b, boolean last, boolean fillerOnly) {
        int shape = (b.real() ? 1 : 0) | (last ? 2 : 0) | (fillerOnly ? 4 : 0);
        List<Op> list = candidates.computeIfAbsent(shape, k -> ops.stream()
                .filter(op -> !(op.has(REAL_ONLY) && !b.real()) && !(op.has(TERMINAL) && !last)
                        && !(fillerOnly && !op.has(FILLER)))
                .toList());
        while (true) {
            Op op = list.get(b.pick(list.size()));
            if ((op.reads() & b.st.undefinedFlags) == 0) {
                return op;
            }
        }
    }

    // ---------------------------------------------------------------- helpers for the families

    private static final String[] HEX = new String[256];

    static {
        for (int i = 0; i < 256; i++) {
            HEX[i] = String.format("%02X", i);
        }
    }

    static String hex(int opcode) {
        return HEX[opcode & 0xFF];
    }

    static String hex0f(int opcode) {
        return "0F " + HEX[opcode & 0xFF];
    }

    /** An operand size for a 16/32-bit form: usually the mode's default, often the other one (66). */
    static int opSize(CaseBuilder b) {
        return b.chance(60) ? b.defaultSize() : 48 - b.defaultSize();
    }

    /** An r/m operand: a register (maybe loaded with an edge value first) or a memory operand. */
    static Operand rm(CaseBuilder b, int bits, boolean write) {
        if (b.chance(45)) {
            return new Reg(b.valueReg(bits, write));
        }
        return b.addr.mem(bits / 8, write);
    }

    /** Model update after an instruction wrote an r/m operand. */
    static void written(CaseBuilder b, Operand o, int bits) {
        if (o instanceof Reg r) {
            b.clobber(r.r(), bits);
        }
    }

    static boolean isMem(Operand o) {
        return o instanceof Mem;
    }

    /** Sometimes LOCK a lockable read-modify-write memory form (never a register form: that is #UD). */
    static CaseBuilder.Insn maybeLock(CaseBuilder b, CaseBuilder.Insn insn, Operand dest) {
        // LOCK NEG is left out: Unicorn computes its flags wrongly (UNICORN-DIFFERENCES.md #18).
        boolean neg = insn.key().equals("F6/3") || insn.key().equals("F7/3");
        return isMem(dest) && !neg && b.chance(15) ? insn.lock() : insn;
    }
}
