package dev.vwb.machine.cpu;

import dev.vwb.machine.memory.PhysicalMemory;

/**
 * Two-level paging of the 486 with the Pentium's 4 MiB pages (CR4.PSE) and global pages
 * (CR4.PGE), and a TLB with hardware's semantics (SDM Vol. 3A §4.3 and §4.10): a translation,
 * once cached, is used until a CR3 load (which keeps global entries), a CR4 or CR0.PG change, or
 * INVLPG, however the page tables change meanwhile — the behaviour shadow paging has to honour.
 *
 * <p>The walker checks U/S and R/W (with CR0.WP for supervisor writes), sets the accessed bits
 * of the entries it uses and the dirty bit of the page on a write, and raises #PF with CR2 and
 * the error code (P, W/R, U/S) when the access is not allowed.
 *
 * <pre>
 *  linear address:  31        22 21        12 11          0
 *                  | directory  |   table    |    offset   |     4 KiB page
 *                  | directory  |        offset (22 bits)  |     4 MiB page (PDE.PS, CR4.PSE)
 * </pre>
 */
final class Paging {
    // Page-table entry bits (SDM Vol. 3A Table 4-5, 4-6).
    static final int P = 1;          // present
    static final int RW = 1 << 1;    // writable
    static final int US = 1 << 2;    // user accessible
    static final int A = 1 << 5;     // accessed
    static final int D = 1 << 6;     // dirty
    static final int PS = 1 << 7;    // 4 MiB page (in a PDE)
    static final int G = 1 << 8;     // global
    // #PF error code bits (SDM Vol. 3A §4.7).
    static final int ERR_P = 1;      // a protection violation (0: not present)
    static final int ERR_W = 2;      // a write
    static final int ERR_U = 4;      // in user mode

    // What a TLB entry allows, precomputed when it is filled.
    private static final byte USER_READ = 1, USER_WRITE = 2, SUPER_WRITE = 4, DIRTY = 8, GLOBAL = 16;
    private static final int ENTRIES = 1024;

    private final int[] tag = new int[ENTRIES];     // page number + 1; 0 is empty
    private final int[] frame = new int[ENTRIES];   // physical address of the page
    private final byte[] allows = new byte[ENTRIES];
    private final PhysicalMemory mem;
    private final Cpu cpu;
    /** TLB misses (walks), for statistics. */
    long walks;

    Paging(Cpu cpu, PhysicalMemory mem) {
        this.cpu = cpu;
        this.mem = mem;
    }

    /** Translates a linear address for an access; throws #PF when it is not allowed. */
    int translate(int linear, boolean write, boolean user) {
        int page = linear >>> 12;
        int i = page & (ENTRIES - 1);
        if (tag[i] == page + 1) {
            int needed = user ? (write ? USER_WRITE | DIRTY : USER_READ) : (write ? SUPER_WRITE | DIRTY : 0);
            if ((allows[i] & needed) == needed) {
                return frame[i] | (linear & 0xFFF);
            }
        }
        return walk(linear, write, user);
    }

    private int walk(int linear, boolean write, boolean user) {
        walks++;
        int pdeAddr = (cpu.cr3 & 0xFFFF_F000) | (linear >>> 22) << 2;
        int pde = mem.read32(pdeAddr);
        if ((pde & P) == 0) {
            throw fault(linear, 0, write, user);
        }
        boolean big = (pde & PS) != 0 && (cpu.cr4 & SystemOps.CR4_PSE) != 0;
        int pteAddr = 0;
        int pte;
        int base;
        if (big) {
            pte = pde;
            base = (pde & 0xFFC0_0000) | (linear & 0x003F_F000);
        } else {
            pteAddr = (pde & 0xFFFF_F000) | ((linear >>> 12) & 0x3FF) << 2;
            pte = mem.read32(pteAddr);
            if ((pte & P) == 0) {
                throw fault(linear, 0, write, user);
            }
            base = pte & 0xFFFF_F000;
        }
        boolean userOk = (pde & US) != 0 && (pte & US) != 0;
        boolean writable = (pde & RW) != 0 && (pte & RW) != 0;
        boolean superWrite = writable || (cpu.cr0 & Cpu.CR0_WP) == 0;
        if (user ? !userOk || (write && !writable) : write && !superWrite) {
            throw fault(linear, ERR_P, write, user);
        }
        // The accessed bits of both levels, and the dirty bit of the page on a write.
        if ((pde & A) == 0) {
            pde |= A;
            mem.write32(pdeAddr, pde);
        }
        if (big) {
            if (write && (pde & D) == 0) {
                pde |= D;
                mem.write32(pdeAddr, pde);
            }
        } else if ((pte & A) == 0 || (write && (pte & D) == 0)) {
            pte |= A | (write ? D : 0);
            mem.write32(pteAddr, pte);
        }
        int page = linear >>> 12;
        int i = page & (ENTRIES - 1);
        tag[i] = page + 1;
        frame[i] = base;
        allows[i] = (byte) ((userOk ? USER_READ : 0) | (userOk && writable ? USER_WRITE : 0) | (superWrite ? SUPER_WRITE : 0)
                | ((pte & D) != 0 ? DIRTY : 0)
                | ((pte & G) != 0 && (cpu.cr4 & SystemOps.CR4_PGE) != 0 ? GLOBAL : 0));
        return base | (linear & 0xFFF);
    }

    private GuestFault fault(int linear, int protection, boolean write, boolean user) {
        cpu.cr2 = linear;
        return new GuestFault(Vectors.PF, protection | (write ? ERR_W : 0) | (user ? ERR_U : 0));
    }

    /** A CR3 load: every entry goes but the global ones. */
    void flushNonGlobal() {
        for (int i = 0; i < ENTRIES; i++) {
            if ((allows[i] & GLOBAL) == 0) {
                tag[i] = 0;
            }
        }
    }

    /** CR0.PG, CR4.PGE or CR4.PSE changed: everything goes. */
    void flushAll() {
        java.util.Arrays.fill(tag, 0);
    }

    /** INVLPG: the entry for the page goes, global or not. */
    void invalidate(int linear) {
        int page = linear >>> 12;
        int i = page & (ENTRIES - 1);
        if (tag[i] == page + 1) {
            tag[i] = 0;
        }
    }
}
