package dev.vwb.workbench.hv;

/** The shadow pager's counters, for lessons and {@code --stats}. */
public final class ShadowStats {
    long hiddenFaults;
    long trueFaults;
    long tableWrites;
    long builds;
    long evictions;
    long cacheHits;

    /** Page faults the guest never saw: the shadow lacked an entry the guest's tables have. */
    public long hiddenFaults() {
        return hiddenFaults;
    }

    /** Page faults the guest's own tables explain, reflected to it. */
    public long trueFaults() {
        return trueFaults;
    }

    /** Guest writes to its page tables, trapped and run unprotected. */
    public long tableWrites() {
        return tableWrites;
    }

    /** Shadows built for a guest CR3 not in the cache. */
    public long builds() {
        return builds;
    }

    /** Shadows dropped from the cache to make room. */
    public long evictions() {
        return evictions;
    }

    /** CR3 loads that found their shadow in the cache. */
    public long cacheHits() {
        return cacheHits;
    }

    @Override
    public String toString() {
        return String.format("hidden faults %,d, true faults %,d, page-table writes %,d, shadows built %,d, cache hits %,d, evictions %,d",
                hiddenFaults, trueFaults, tableWrites, builds, cacheHits, evictions);
    }
}
