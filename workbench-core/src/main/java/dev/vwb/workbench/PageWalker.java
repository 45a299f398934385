package dev.vwb.workbench;

import dev.vwb.machine.cpu.Cpu;

/**
 * Walks the guest's two-level page tables in memory as the 486 MMU does (with the Pentium's
 * 4 MiB pages under CR4.PSE), for the workbench's views. It reads CR0, CR3 and CR4 as the guest
 * sees them ({@link GuestSpace}: under the hypervisor the virtual CPU's) but never the TLB, and it writes nothing: a debugger must not set accessed or dirty bits.
 *
 * <p>The tracing module has a second, allocation-free walker that only finds the physical
 * address, for its per-instruction paths; its Javadoc ({@code dev.vwb.tracing.PageWalk}) says
 * why the two are not one. The CPU's own walker ({@code Paging}) sets A/D bits and raises #PF,
 * so neither can use it.
 */
final class PageWalker {
    /** CR4.PSE: page-size extensions, 4 MiB pages (SDM Vol. 3A §2.5). */
    static final int CR4_PSE = 1 << 4;

    private PageWalker() {
    }

    static PageWalk walk(GuestSpace cpu, long linear, Access access) {
        linear &= 0xFFFF_FFFFL;
        int cr3 = cpu.cr3();
        if ((cpu.cr0() & Cpu.CR0_PG) == 0) {
            return new PageWalk(linear, access, false, cr3, -1, null, -1, null, linear, null, -1);
        }
        int userBit = access.user ? 4 : 0;
        int writeBit = access.write ? 2 : 0;
        long pdeAddress = (cr3 & 0xFFFF_F000L) | (linear >>> 22) << 2;
        PageEntry pde = new PageEntry(cpu.read32(pdeAddress), true);
        if (!pde.present()) {
            return new PageWalk(linear, access, true, cr3, pdeAddress, pde, -1, null, -1,
                    "the page-directory entry is not present", userBit | writeBit);
        }
        if (pde.large() && (cpu.cr4() & CR4_PSE) != 0) {
            String denied = denied(cpu, access, pde, pde);
            long physical = pde.frame() | (linear & 0x3F_FFFF);
            return denied == null
                    ? new PageWalk(linear, access, true, cr3, pdeAddress, pde, -1, null, physical, null, -1)
                    : new PageWalk(linear, access, true, cr3, pdeAddress, pde, -1, null, -1, denied, 1 | userBit | writeBit);
        }
        long pteAddress = (pde.value() & 0xFFFF_F000L) | ((linear >>> 12) & 0x3FF) << 2;
        PageEntry pte = new PageEntry(cpu.read32(pteAddress), false);
        if (!pte.present()) {
            return new PageWalk(linear, access, true, cr3, pdeAddress, pde, pteAddress, pte, -1,
                    "the page-table entry is not present", userBit | writeBit);
        }
        String denied = denied(cpu, access, pde, pte);
        if (denied != null) {
            return new PageWalk(linear, access, true, cr3, pdeAddress, pde, pteAddress, pte, -1, denied,
                    1 | userBit | writeBit);
        }
        long physical = pte.frame() | (linear & 0xFFF);
        return new PageWalk(linear, access, true, cr3, pdeAddress, pde, pteAddress, pte, physical, null, -1);
    }

    /**
     * Why the access is not allowed, or null (SDM Vol. 3A §4.6): user accesses need U/S in both
     * levels; writes need R/W in both, for the supervisor only when CR0.WP is set.
     */
    private static String denied(GuestSpace cpu, Access access, PageEntry pde, PageEntry leaf) {
        if (access.user && !(pde.user() && leaf.user())) {
            return "a user access to a supervisor page (U/S=0)";
        }
        boolean checkWrite = access.user || (cpu.cr0() & Cpu.CR0_WP) != 0;
        if (access.write && checkWrite && !(pde.writable() && leaf.writable())) {
            return "a write to a read-only page (R/W=0" + (access.user ? "" : ", CR0.WP=1") + ")";
        }
        return null;
    }
}
