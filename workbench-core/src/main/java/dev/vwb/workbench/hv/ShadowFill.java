package dev.vwb.workbench.hv;

/**
 * The shadow pager's core (extension point; exercise {@code shadow-pager}, lesson 7): what a
 * page fault under the shadow page tables means, and the shadow entry that answers it.
 *
 * <p>The real CR3 points at shadow tables, which translate guest-linear addresses straight to
 * host-physical ones and start empty. So a page fault the real CPU takes says only that the
 * shadow lacked what was asked; the {@link ShadowPager} asks {@link #onPageFault} what it
 * really is, with the guest's view ({@link GuestPaging}): the guest's own tables may explain it
 * (a true fault: the guest gets it, with the error code its tables give), or they map the page
 * and the shadow entry is built from the guest's entry and the p2m (a hidden fault: the guest
 * never sees it). The pager does the rest: it writes the entry into the current shadow's page
 * table, records which guest page table it came from (to drop it when the guest changes that
 * table), runs writes to guest page tables once with the page unprotected, caches shadows by
 * CR3 and drops entries on INVLPG.
 *
 * <p>The reference hypervisor's own implementation is behind this interface; a {@link Hypervisor}
 * can be booted with another ({@link Extensions.Builder#shadowFill}).
 */
@FunctionalInterface
public interface ShadowFill {
    /**
     * A page fault the real CPU took at {@code linear} under the shadow tables (never in the top
     * 4 MiB: those are the hypervisor's).
     *
     * @param errorCode the CPU's page-fault error code (SDM Vol. 3A §4.7): bit 0 P (the shadow
     *                  entry was present: a protection fault), bit 1 W/R (a write), bit 2 U/S (at CPL 3)
     */
    Verdict onPageFault(GuestPaging guest, int linear, int errorCode);

    /** What a fault turned out to be. */
    sealed interface Verdict permits Fill, GuestFault, ProtectedWrite, Refused {
    }

    /**
     * A hidden fault: the pager writes {@code shadowEntry} (a page-table entry: host frame in bits
     * 31-12, then G, U/S, R/W, P) as the shadow's entry for the page, and the instruction runs again.
     *
     * @param guestTable the guest frame of the page table the entry was built from (its PDE's frame),
     *                   or -1 when none was (a 4 MiB page, or guest paging off)
     */
    record Fill(int shadowEntry, int guestTable) implements Verdict {
    }

    /** A true fault: the guest gets #PF at {@code linear} with this error code, from its own tables. */
    record GuestFault(int errorCode) implements Verdict {
    }

    /**
     * A write the guest may make but the shadow must not let through as it is - to a guest page
     * table ({@code pageTable}), or to a read-only page that the guest kernel may write because its
     * CR0.WP is clear: the pager writes {@code shadowEntry} (read-only), then runs the faulting
     * instruction once with the page writable and, for a page table, drops the shadow entries
     * built from the guest entries it changed.
     */
    record ProtectedWrite(int shadowEntry, int guestTable, boolean pageTable) implements Verdict {
    }

    /** The guest's tables name memory it does not own: it is stopped, {@code why} reported. */
    record Refused(String why) implements Verdict {
    }
}
