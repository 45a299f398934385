package dev.vwb.workbench.hv;

/**
 * The guest's paging as the shadow pager sees it: its virtual CR0, CR3 and CR4, its physical
 * memory (read and written by guest-physical address, as the page walker does), the p2m, and
 * which guest frames the shadows use as page tables.
 */
public interface GuestPaging {
    /** The guest's CR0 (PG is bit 31, WP bit 16; SDM Vol. 3A §2.5). */
    int cr0();

    /** The guest's CR3: its page directory's guest-physical address in bits 31-12. */
    int cr3();

    /** The guest's CR4 (PSE is bit 4, PGE bit 7). */
    int cr4();

    /** Whether the guest has paging on (CR0.PG). */
    boolean pagingEnabled();

    /** The dword at guest-physical {@code address} (4-aligned), or 0 where the guest has no memory. */
    int readPhysical(int address);

    /** Writes the dword at guest-physical {@code address} (nothing where the guest has no memory). */
    void writePhysical(int address, int value);

    /** The guest's physical memory in bytes: guest-physical addresses from 0 to this one (excluded) are its own. */
    long memorySize();

    /** The host-physical address of guest-physical {@code address} (0 to FFFFFFFFh) by the p2m, or -1 where the guest has no memory. */
    long hostAddress(long address);

    /**
     * Whether guest frame {@code frame} (a guest-physical address >> 12) is a page directory or
     * page table some shadow was built from: the guest must not get a writable mapping of it, or
     * its writes would change the tables without the hypervisor seeing.
     */
    boolean isPageTable(int frame);
}
