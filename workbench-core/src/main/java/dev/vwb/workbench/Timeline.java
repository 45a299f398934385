package dev.vwb.workbench;

import java.util.Map;
import java.util.TreeMap;

/**
 * The checkpoints that make {@link Vm#stepBack} cheap: snapshots taken now and then while the
 * VM steps and runs, by time, and the policy that says when the next one is due. What they are
 * used for (restore and replay) is {@link TimeTravel}'s.
 *
 * <p>When to take one: at least {@link #minGap()} instructions after the last, and only if the
 * wall time since the last is at least {@code costFactor} times what taking the last one cost,
 * so checkpoints cost at most about 1/costFactor of the running time whatever the RAM size.
 *
 * <p>A change made by hand (a register or memory write) starts a new history at that moment:
 * {@link #changedAt} drops the checkpoints from then on.
 */
final class Timeline {
    /** The most checkpoints kept; past it, every other one (but the first) is dropped. */
    static final int MAX_CHECKPOINTS = 256;

    private final TreeMap<Long, Snapshot> checkpoints = new TreeMap<>();
    private long minGap = 10_000;
    private int costFactor = 10;
    private long lastCostNanos;
    private long lastWallNanos;

    /** At least {@code minGap} instructions apart, and no more than 1/{@code costFactor} of the running time. */
    void setPolicy(long minGap, int costFactor) {
        this.minGap = minGap;
        this.costFactor = costFactor;
    }

    /** The fewest instructions between two checkpoints taken while running. */
    long minGap() {
        return minGap;
    }

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
