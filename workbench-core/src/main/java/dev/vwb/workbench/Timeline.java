package dev.vwb.workbench;

import java.util.Map;
import java.util.TreeMap;

/**
 * The checkpoints that make {@link Vm#stepBack} cheap: snapshots taken now and then while the
 * VM steps and runs. The machine is deterministic (time is the retired-instruction count), so
 * any earlier moment is reached by restoring the nearest checkpoint at or before it and running
 * forward to it.
 *
 * <p>When to take one: at least {@link #minGap} instructions after the last, and only if the
 * wall time since the last is at least {@link #costFactor} times what taking the last one cost,
 * so checkpoints cost at most about 1/costFactor of the running time whatever the RAM size.
 * While replaying for a step back, a checkpoint is also left halfway, so repeated step-backs
 * get faster (they bisect towards the target).
 *
 * <p>A change made by hand (a register or memory write, a restored snapshot) starts a new
 * history at that moment: checkpoints from then on are dropped, and a fresh one is taken.
 */
final class Timeline {
    /** The most checkpoints kept; past it, every other one (but the first) is dropped. */
    static final int MAX_CHECKPOINTS = 256;

    private final TreeMap<Long, Snapshot> checkpoints = new TreeMap<>();
    long minGap = 10_000;
    int costFactor = 10;
    private long lastCostNanos;
    private long lastWallNanos;

    /** Whether a checkpoint is due at {@code time}. */
    boolean due(long time) {
        Map.Entry<Long, Snapshot> last = checkpoints.floorEntry(time);
        if (last == null) {
            return true;
        }
        return time - last.getKey() >= minGap && System.nanoTime() - lastWallNanos >= costFactor * lastCostNanos;
    }

    /** Keeps a checkpoint, measuring what it cost. */
    void add(Snapshot s, long costNanos) {
        checkpoints.put(s.time(), s);
        lastCostNanos = costNanos;
        lastWallNanos = System.nanoTime();
        if (checkpoints.size() > MAX_CHECKPOINTS) {
            thin();
        }
    }

    /** The latest checkpoint at or before {@code time}, or null. */
    Snapshot atOrBefore(long time) {
        Map.Entry<Long, Snapshot> e = checkpoints.floorEntry(time);
        return e == null ? null : e.getValue();
    }

    /** The earliest moment a step back can reach, or -1 without checkpoints. */
    long earliest() {
        return checkpoints.isEmpty() ? -1 : checkpoints.firstKey();
    }

    /** The history changed at {@code time}: checkpoints from then on no longer lead to the present. */
    void changedAt(long time) {
        checkpoints.tailMap(time, true).clear();
    }

    void clear() {
        checkpoints.clear();
    }

    int size() {
        return checkpoints.size();
    }

    private void thin() {
        boolean keep = true;
        Long first = checkpoints.firstKey();
        for (var it = checkpoints.keySet().iterator(); it.hasNext(); ) {
            Long t = it.next();
            if (!keep && !t.equals(first)) {
                it.remove();
            }
            keep = !keep;
        }
    }
}
