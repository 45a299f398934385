package dev.vwb.student;

import dev.vwb.workbench.hv.GuestPaging;
import dev.vwb.workbench.hv.ShadowFill;

/**
 * Exercise "shadow-pager" (lesson 7, shadow paging): the reference solution. A page fault under
 * the shadow tables is answered by walking the guest's own tables as the 486 would (Intel SDM
 * Vol. 3A §4.3), checking the guest's protection (§4.6), setting its accessed and dirty bits
 * (§4.8), and building the shadow entry from the guest's entry and the p2m.
 */
public final class StudentShadowFill implements ShadowFill {
    /** Page-table entry bits (SDM Vol. 3A Table 4-5, 4-6). */
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

    @Override
    public Verdict onPageFault(GuestPaging guest, int linear, int errorCode) {
        boolean write = (errorCode & W) != 0;
        boolean user = (errorCode & U) != 0;
        if (!guest.pagingEnabled()) {
            // Paging off: linear is guest-physical; the shadow maps the slice one to one.
            long host = guest.hostAddress(linear & 0xFFFF_F000L);
            return host < 0 ? new Refused("physical " + hex(linear) + " is not the guest's")
                    : new Fill((int) host | P | W | U, -1);
        }
        int pdeAt = (guest.cr3() & FRAME) + (linear >>> 22) * 4;
        int pde = guest.readPhysical(pdeAt);
        if ((pde & P) == 0) {
            return new GuestFault(errorCode & (W | U));  // not present: P = 0 in the guest's error code
        }
        boolean big = (pde & PS) != 0 && (guest.cr4() & CR4_PSE) != 0;
        int pteAt = (pde & FRAME) + ((linear >>> 12) & 0x3FF) * 4;
        int pte = big ? 0 : guest.readPhysical(pteAt);
        if (!big && (pte & P) == 0) {
            return new GuestFault(errorCode & (W | U));
        }
        int rights = big ? pde : pde & pte;  // both levels must allow W and U
        if (user && (rights & U) == 0 || write && (rights & W) == 0 && (user || (guest.cr0() & CR0_WP) != 0)) {
            return new GuestFault(P | (errorCode & (W | U)));  // a protection violation: P = 1
        }
        if ((pde & A) == 0 || big && write && (pde & D) == 0) {
            pde |= A | (big && write ? D : 0);
            guest.writePhysical(pdeAt, pde);
        }
        if (!big && ((pte & A) == 0 || write && (pte & D) == 0)) {
            pte |= A | (write ? D : 0);
            guest.writePhysical(pteAt, pte);
        }
        int frame = big ? (pde & 0xFFC0_0000) | (linear & 0x003F_F000) : pte & FRAME;
        long host = guest.hostAddress(frame & 0xFFFF_FFFFL);
        if (host < 0) {
            return new Refused("the guest maps " + hex(linear) + " to physical " + hex(frame) + ", which is not its own");
        }
        boolean dirty = ((big ? pde : pte) & D) != 0;
        boolean table = guest.isPageTable(frame >>> 12);
        boolean writable = (rights & W) != 0 && dirty && !table;
        int global = !big && (guest.cr4() & CR4_PGE) != 0 ? pte & G : 0;
        int entry = (int) host | P | (writable ? W : 0) | (rights & U) | global;
        int guestTable = big ? -1 : pde >>> 12;
        if (write && (errorCode & P) != 0 && (table || (rights & W) == 0)) {
            return new ProtectedWrite(entry, guestTable, table);
        }
        return new Fill(entry, guestTable);
    }

    static String hex(int value) {
        return String.format("%08X", value);
    }
}
