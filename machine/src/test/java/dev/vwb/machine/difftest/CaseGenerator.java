package dev.vwb.machine.difftest;

import dev.vwb.machine.difftest.DiffCase.Mode;
import java.util.SplittableRandom;

/**
 * Deterministic generator of valid x86 instruction sequences (1-6 instructions under test, plus the
 * setup instructions they need) with their initial state, for both {@link Mode}s. Case {@code id} of a
 * given seed is always the same case, so any failing case can be rebuilt from (seed, id) alone.
 */
final class CaseGenerator implements CaseSource {


    private final long seed;
    private final OpTable table = new OpTable();

    CaseGenerator(long seed) {
        this.seed = seed;
    }

    @Override
    public long seed() {
        return seed;
    }

    OpTable table() {
        return table;
    }

    /** Case number {@code id}: even ids run in REAL16, odd ids in FLAT32. */
    @Override
    public DiffCase generate(long id) {
        SplittableRandom rnd = new SplittableRandom(mix(mix(seed) + id));
        Mode mode = (id & 1) == 0 ? Mode.REAL16 : Mode.FLAT32;
        CaseBuilder b = new CaseBuilder(id, mode, rnd);
        b.fillerSource = builder -> emitOne(builder, false, true);
        int count = 1 + rnd.nextInt(6);
        for (int i = 0; i < count; i++) {
            emitOne(b, i == count - 1, false);
        }
        return b.build();
    }

    /**
     * A bijective 64-bit mixer (Stafford's variant 13 of MurmurHash3's finalizer): neighbouring ids get
     * unrelated random streams. (Seeds that differ by SplittableRandom's own gamma would otherwise give
     * the same stream shifted by one.)
     */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private void emitOne(CaseBuilder b, boolean last, boolean fillerOnly) {
        for (int attempt = 0; ; attempt++) {
            OpTable.Op op = table.pick(b, last, fillerOnly);
            b.insnReserved = 0;
            try {
                op.emitter().accept(b);
                return;
            } catch (OpTable.Unavailable unavailable) {
                if (attempt > 50) {
                    throw new IllegalStateException("no usable instruction for case " + b.id);
                }
            } catch (RuntimeException e) {
                throw new IllegalStateException("generating " + op.key() + " in case " + b.id + " (seed "
                        + seed + ")", e);
            }
        }
    }
}
