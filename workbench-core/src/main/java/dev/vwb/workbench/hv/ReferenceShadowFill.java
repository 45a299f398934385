package dev.vwb.workbench.hv;

/** The reference hypervisor's {@link ShadowFill}: the guest's walk as the 486 makes it (SDM Vol. 3A §4.3, §4.6, §4.8). */
final class ReferenceShadowFill implements ShadowFill {
    static final ReferenceShadowFill INSTANCE = new ReferenceShadowFill();
    private static final int P = 1, W = 2, U = 4, A = 0x20, D = 0x40, PS = 0x80, G = 0x100;
    private static final int CR0_WP = 1 << 16;
    private static final int CR4_PSE = 1 << 4;
    private static final int CR4_PGE = 1 << 7;

    private ReferenceShadowFill() {
    }

    @Override
    public Verdict onPageFault(GuestPaging guest, int linear, int errorCode) {
        boolean write = (errorCode & W) != 0;
        boolean user = (errorCode & U) != 0;
        if (!guest.pagingEnabled()) {
            long host = guest.hostAddress(linear & 0xFFFF_F000L);
            if (host < 0) {
                return new Refused(String.format("the guest reached physical %08X, outside its %d MiB", linear, guest.memorySize() >> 20));
            }
            return new Fill((int) host | P | W | U, -1);  // the identity shadow of the slice
        }
        int pdGpa = guest.cr3() & ~0xFFF;
        int dir = linear >>> 22;
        int pde = guest.readPhysical(pdGpa + dir * 4);
        if ((pde & P) == 0) {
            return new GuestFault(errorCode & (W | U));
        }
        boolean big = (pde & PS) != 0 && (guest.cr4() & CR4_PSE) != 0;
        int ptGpa = pde & ~0xFFF;
        int pteAt = ptGpa + ((linear >>> 12) & 0x3FF) * 4;
        int pte = big ? 0 : guest.readPhysical(pteAt);
        if (!big && (pte & P) == 0) {
            return new GuestFault(errorCode & (W | U));
        }
        int effective = big ? pde : pde & pte;
        // The guest's protection, as hardware checks it (§4.6): user pages for CPL 3, writable
        // pages for user writes and, with CR0.WP, supervisor writes.
        if (user && (effective & U) == 0 || write && (effective & W) == 0 && (user || (guest.cr0() & CR0_WP) != 0)) {
            return new GuestFault(P | (errorCode & (W | U)));
        }
        // Accessed and dirty bits, as hardware sets them on the walk (§4.8).
        if ((pde & A) == 0 || big && write && (pde & D) == 0) {
            pde |= A | (big && write ? D : 0);
            guest.writePhysical(pdGpa + dir * 4, pde);
        }
        if (!big && ((pte & A) == 0 || write && (pte & D) == 0)) {
            pte |= A | (write ? D : 0);
            guest.writePhysical(pteAt, pte);
        }
        int frame = big ? (pde & 0xFFC0_0000) | (linear & 0x003F_F000) : pte & ~0xFFF;
        long host = guest.hostAddress(frame & 0xFFFF_FFFFL);
        if (host < 0) {
            return new Refused(String.format("the guest's page tables map %08X to physical %08X, outside its %d MiB", linear, frame,
                    guest.memorySize() >> 20));
        }
        // Writable in the shadow only once the guest's D bit is set (so the first write sets it)
        // and never for a guest page table (so its writes are seen).
        boolean dirty = ((big ? pde : pte) & D) != 0;
        boolean table = guest.isPageTable(frame >>> 12);
        boolean writable = (effective & W) != 0 && dirty && !table;
        int global = !big && (guest.cr4() & CR4_PGE) != 0 ? pte & G : 0;
        int entry = (int) host | P | (writable ? W : 0) | (effective & U) | global;
        int guestTable = big ? -1 : ptGpa >>> 12;
        if (write && (errorCode & P) != 0 && (table || (effective & W) == 0)) {
            return new ProtectedWrite(entry, guestTable, table);
        }
        return new Fill(entry, guestTable);
    }
}
