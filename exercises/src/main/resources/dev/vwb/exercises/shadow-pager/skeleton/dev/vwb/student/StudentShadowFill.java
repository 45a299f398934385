package dev.vwb.student;

import dev.vwb.workbench.hv.GuestPaging;
import dev.vwb.workbench.hv.ShadowFill;

/**
 * Exercise "shadow-pager" (lesson 7, shadow paging): the core of the shadow pager.
 *
 * <p>The real CR3 points at <em>shadow</em> page tables the hypervisor builds: they translate
 * guest-linear addresses straight to host-physical ones, and they start empty. So when the real
 * CPU takes a page fault, it only means the shadow lacked the page. The hypervisor calls
 * {@link #onPageFault} to find out what it really is:
 * <ul>
 *   <li>the guest's own page tables do not allow the access: a <b>true</b> fault, the guest gets
 *       #PF with the error code its tables give ({@link GuestFault});</li>
 *   <li>they do: a <b>hidden</b> fault, answered with the shadow entry to write ({@link Fill}),
 *       built from the guest's entry and the p2m; the guest never notices.</li>
 * </ul>
 * The hypervisor does the bookkeeping (writing your entry, shadow caches, INVLPG, CR3 switches).
 *
 * <pre>
 *   linear address (4 KiB pages):   31        22 21        12 11           0
 *                                   | directory |   table    |    offset    |
 *   PDE at (CR3 & FFFFF000h) + directory*4;  PTE at (PDE & FFFFF000h) + table*4
 *   entry bits:  31..12 frame | 8 G | 7 PS | 6 D | 5 A | 2 U/S | 1 R/W | 0 P
 * </pre>
 *
 * Run the public tests with {@code ./vwb exercise check} (or {@code mvn test}).
 */
public final class StudentShadowFill implements ShadowFill {
    /** Page-table entry bits (Intel SDM Vol. 3A §4.3, Tables 4-5 and 4-6). */
    static final int P = 1 << 0;      // present
    static final int W = 1 << 1;      // read/write
    static final int U = 1 << 2;      // user/supervisor
    static final int A = 1 << 5;      // accessed
    static final int D = 1 << 6;      // dirty
    static final int PS = 1 << 7;     // page size (in a PDE: a 4 MiB page, with CR4.PSE)
    static final int G = 1 << 8;      // global (with CR4.PGE)
    /** CR0.WP: supervisor writes honour read-only pages. */
    static final int CR0_WP = 1 << 16;
    /** CR4.PSE: 4 MiB pages. */
    static final int CR4_PSE = 1 << 4;
    /** CR4.PGE: global pages. */
    static final int CR4_PGE = 1 << 7;
    /** Bits 31-12 of an entry: the frame's address. */
    static final int FRAME = 0xFFFF_F000;

    /**
     * What the fault at {@code linear} is. {@code errorCode} is the real CPU's: bit 0 P (the
     * shadow entry was present: a protection fault), bit 1 W (a write), bit 2 U (at CPL 3).
     */
    @Override
    public Verdict onPageFault(GuestPaging guest, int linear, int errorCode) {
        if (!guest.pagingEnabled()) {
            return identity(guest, linear);
        }
        // TODO 1. Walk the guest's tables (guest.readPhysical): the PDE, then - unless it is a 4 MiB
        //         page (PS set in the PDE *and* CR4.PSE on) - the PTE. A level that is not present is a
        //         true fault: new GuestFault(errorCode & (W | U)) (P = 0: "not present").
        // TODO 2. The guest's protection (SDM Vol. 3A §4.6): the rights are the PDE's AND the PTE's.
        //         A user access (U in errorCode) needs U; a write needs W - for a supervisor write only
        //         when the guest's CR0.WP is set. Otherwise: new GuestFault(P | (errorCode & (W | U))).
        // TODO 3. Accessed and dirty bits (§4.8), written back to the guest's tables
        //         (guest.writePhysical) as hardware does on the walk: A in the PDE and the PTE; D in the
        //         PTE (or in a 4 MiB page's PDE) on a write. Write an entry only when it changes.
        // TODO 4. The guest frame (4 MiB page: PDE bits 31-22 plus linear bits 21-12) to host by the
        //         p2m (guest.hostAddress); -1 means the guest's tables name memory it does not own:
        //         new Refused(why).
        // TODO 5. The shadow entry: host frame | P | U if the rights have it | G if the PTE has it and
        //         CR4.PGE is on (never for a 4 MiB page: it is shadowed with 4 KiB entries) | W only if
        //         the rights allow writes AND the guest's entry is already dirty (so the first write
        //         faults again and sets D) AND the frame is not a page table (guest.isPageTable), so the
        //         guest's writes to its tables are seen.
        // TODO 6. A write that faulted on a present shadow entry (P and W in errorCode) to a page table,
        //         or to a read-only page that only CR0.WP = 0 lets the kernel write, is
        //         new ProtectedWrite(entry, guestTable, isPageTable); anything else is new Fill(entry, guestTable).
        //         guestTable is the guest frame number of the page table (PDE >>> 12), -1 for a 4 MiB page.
        throw new UnsupportedOperationException("TODO: shadow paging with the guest's paging on");
    }

    /**
     * Guest paging is off: a linear address is a guest-physical one. Map its page to the host page
     * the p2m gives (guest.hostAddress of the page's address), present, writable and user; none of
     * the guest's tables was used (guestTable -1). A page the guest does not own is refused.
     */
    private Verdict identity(GuestPaging guest, int linear) {
        // TODO
        throw new UnsupportedOperationException("TODO: the identity shadow (guest paging off)");
    }

    static String hex(int value) {
        return String.format("%08X", value);
    }
}
