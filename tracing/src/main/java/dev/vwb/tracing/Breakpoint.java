package dev.vwb.tracing;

/**
 * One breakpoint or watchpoint of a {@link Breakpoints} set: a number, a condition, whether it
 * is enabled, whether it deletes itself after its first hit, and how often it was hit.
 */
public final class Breakpoint {
    private final Breakpoints owner;
    private final int id;
    private final BreakCondition condition;
    private boolean enabled = true;
    private boolean oneShot;
    private boolean deleted;
    private long hits;
    /** The instruction of the last hit, so a watchpoint counts once per instruction. */
    long lastHitAt = -1;

    Breakpoint(Breakpoints owner, int id, BreakCondition condition) {
        this.owner = owner;
        this.id = id;
        this.condition = condition;
    }

    public int id() {
        return id;
    }

    public BreakCondition condition() {
        return condition;
    }

    public boolean enabled() {
        return enabled && !deleted;
    }

    public boolean oneShot() {
        return oneShot;
    }

    public boolean deleted() {
        return deleted;
    }

    /** How many times it fired (a watchpoint once per instruction however many accesses). */
    public long hits() {
        return hits;
    }

    /** Enables it again; a deleted breakpoint cannot be (a one-line IllegalArgumentException). */
    public Breakpoint enable() {
        checkNotDeleted();
        enabled = true;
        owner.changed();
        return this;
    }

    public Breakpoint disable() {
        enabled = false;
        owner.changed();
        return this;
    }

    /** Makes it delete itself after its next hit (gdb's tbreak); not for a deleted one. */
    public Breakpoint once() {
        checkNotDeleted();
        oneShot = true;
        return this;
    }

    public void delete() {
        owner.delete(this);
    }

    void markDeleted() {
        deleted = true;
    }

    void hit() {
        hits++;
    }

    void disableQuietly() {
        enabled = false;
    }

    /** Bad input, not a bug: a one-line IllegalArgumentException, as everywhere in this module. */
    private void checkNotDeleted() {
        if (deleted) {
            throw new IllegalArgumentException("breakpoint " + id + " was deleted; make a new one");
        }
    }

    @Override
    public String toString() {
        return id + ": " + condition + (deleted ? " (deleted)" : enabled ? "" : " (disabled)") + (oneShot ? " (once)" : "")
                + ", " + hits + (hits == 1 ? " hit" : " hits");
    }
}
