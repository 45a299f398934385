package dev.vwb.workbench;

import dev.vwb.machine.Machine;
import dev.vwb.machine.RunResult;
import dev.vwb.machine.StopReason;
import dev.vwb.machine.cpu.ExecutionHook;

/**
 * Going back in time: {@link Vm#stepBack} restores the nearest checkpoint before the target and
 * runs forward to it. That works because the machine is deterministic (time is the
 * retired-instruction count, devices advance with it), so the same steps from the same state
 * always give the same state.
 *
 * <p>It exists apart from {@link Vm} because it is a mechanism of its own with rules of its own:
 * checkpoints are taken between run chunks when the {@link Timeline}'s policy says so; a step
 * back leaves one halfway through a long replay, so repeated step-backs bisect towards the
 * target; a change made by hand starts a new history; and a replay runs through breakpoints
 * (the execution hook is set aside; a watchpoint's stop is run through, though its hit count
 * still counts it).
 */
final class TimeTravel {
    private final Machine machine;
    private final VmState state;
    private final Timeline timeline = new Timeline();

    /** Time travel over {@code state}, whose history starts at {@code start}. */
    TimeTravel(Machine machine, VmState state, Snapshot start) {
        this.machine = machine;
        this.state = state;
        timeline.add(start, 0);
    }

    /** The fewest instructions between checkpoints: runs stop at least this often to take one. */
    long minGap() {
        return timeline.minGap();
    }

    /** See {@link Vm#setCheckpointPolicy}. */
    void setPolicy(long minInstructions, int costFactor) {
        if (minInstructions < 1 || costFactor < 0) {
            throw new WorkbenchException("the checkpoint gap must be positive and the cost factor at least 0, not "
                    + minInstructions + " and " + costFactor);
        }
        timeline.setPolicy(minInstructions, costFactor);
    }

    int checkpoints() {
        return timeline.size();
    }

    /** Between run chunks: takes a checkpoint if the policy says one is due. */
    void checkpointIfDue() {
        if (timeline.due(state.time())) {
            checkpointNow();
        }
    }

    /** A register or memory changed by hand: the history from now on is new. */
    void changedByHand() {
        timeline.changedAt(state.time());
        checkpointNow();
    }

    /**
     * {@code snapshot} was restored: if it is one of the checkpoints, the history before it still
     * holds; otherwise the history starts again from it.
     */
    void restored(Snapshot snapshot) {
        if (timeline.atOrBefore(snapshot.time()) != snapshot) {
            timeline.clear();
            timeline.add(snapshot, 0);
        }
    }

    /**
     * Goes back {@code n} instructions: restores the nearest checkpoint at or before the target and
     * replays up to it. A step back past the start of the history is a {@link WorkbenchException}
     * and changes nothing.
     */
    void stepBack(long n) {
        if (n < 1) {
            throw new WorkbenchException("stepBack takes a positive number of instructions, not " + n);
        }
        long target = state.time() - n;
        Snapshot from = target < 0 ? null : timeline.atOrBefore(target);
        if (from == null) {
            throw new WorkbenchException(String.format("cannot step back %,d instructions: the history starts at"
                    + " instruction %,d (where the VM was made, reset or restored)", n, timeline.earliest()));
        }
        state.restore(from);
        long distance = target - state.time();
        if (distance > 2 * timeline.minGap()) {
            replayTo(state.time() + distance / 2);
            checkpointNow();  // halfway: the next step back starts nearer
        }
        replayTo(target);
    }

    private void checkpointNow() {
        long t0 = System.nanoTime();
        Snapshot s = state.take();
        timeline.add(s, System.nanoTime() - t0);
    }

    /** Runs up to {@code target}, through breakpoints; anything else that stops it is a bug (the machine diverged). */
    private void replayTo(long target) {
        ExecutionHook hook = machine.cpu().executionHook();
        machine.cpu().setExecutionHook(null);
        try {
            while (state.time() < target) {
                long t0 = state.time();
                RunResult r = machine.run(target - t0);
                boolean ranOn = r.reason() == StopReason.INSTRUCTION_LIMIT || r.reason() == StopReason.BREAKPOINT;
                if (!ranOn || state.time() == t0) {
                    throw new IllegalStateException("replay diverged at " + state.time() + ": " + r
                            + " (the machine should be deterministic)");
                }
            }
        } finally {
            machine.cpu().setExecutionHook(hook);
        }
    }
}
