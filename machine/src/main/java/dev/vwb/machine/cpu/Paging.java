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

    static final int ENTRIES = 1024;

    // The TLB, direct-mapped by linear page, one array per kind of access. An entry is
    // (page + 1) << 32 | frame where the cached translation allows that access (a write also
    // needs the page's dirty bit set already, so that the walker sets it), else 0: a hit is one
    // load and one compare (see Cpu.read32). With paging off the same arrays hold identity
    // entries, so the memory path is the same code in both modes, and turning paging on does
    // not invalidate what the JIT compiled.
    private final long[] superRead = new long[ENTRIES];
    private final long[] superWrite = new long[ENTRIES];
    private final long[] userRead = new long[ENTRIES];
    private final long[] userWrite = new long[ENTRIES];
    private final boolean[] global = new boolean[ENTRIES];
    private final PhysicalMemory mem;
    private final Cpu cpu;
    /** TLB misses (walks), for statistics. */
    long walks;

    Paging(Cpu cpu, PhysicalMemory mem) {
        this.cpu = cpu;
        this.mem = mem;
    }

    /**
     * Translates a linear address for an access; throws #PF when it is not allowed. With paging
     * off the translation is the identity (cached like any other).
     */
    int translate(int linear, boolean write, boolean user) {
        int page = linear >>> 12;
        int i = page & (ENTRIES - 1);
        long entry = (user ? (write ? userWrite : userRead) : (write ? superWrite : superRead))[i];
        if ((int) (entry >>> 32) == page + 1) {
            return (int) entry | (linear & 0xFFF);
        }
        if (!cpu.paging) {
            fill(i, page, linear & 0xFFFF_F000, true, true, true, false);
            return linear;
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
        boolean dirty = ((big ? pde : pte) & D) != 0;
        fill(linear >>> 12 & (ENTRIES - 1), linear >>> 12, base, userOk, writable, superWrite && dirty,
                (pte & G) != 0 && (cpu.cr4 & SystemOps.CR4_PGE) != 0);
        return base | (linear & 0xFFF);
    }

    /**
     * Caches a translation. Reads are allowed to the supervisor always and to the user when
     * {@code user}; writes only once the page is dirty ({@code superWritable} says so for the
     * supervisor, with CR0.WP folded in).
     */
    private void fill(int i, int page, int base, boolean user, boolean userWritable, boolean superWritable, boolean isGlobal) {
        long entry = (long) (page + 1) << 32 | (base & 0xFFFF_FFFFL);
        superRead[i] = entry;
        superWrite[i] = superWritable ? entry : 0;
        userRead[i] = user ? entry : 0;
        userWrite[i] = user && userWritable && superWritable ? entry : 0;
        global[i] = isGlobal;
    }

    /** The entries that allow reads at CPL 3 ({@code user}) or below. */
    long[] readEntries(boolean user) {
        return user ? userRead : superRead;
    }

    /** The entries that allow writes at CPL 3 ({@code user}) or below. */
    long[] writeEntries(boolean user) {
        return user ? userWrite : superWrite;
    }

    private GuestFault fault(int linear, int protection, boolean write, boolean user) {
        cpu.cr2 = linear;
        return new GuestFault(Vectors.PF, protection | (write ? ERR_W : 0) | (user ? ERR_U : 0));
    }

    /** A CR3 load: every entry goes but the global ones. */
    void flushNonGlobal() {
        for (int i = 0; i < ENTRIES; i++) {
            if (!global[i]) {
                drop(i);
            }
        }
    }

    /** CR0.PG, CR0.WP, CR4.PGE or CR4.PSE changed: everything goes. */
    void flushAll() {
        for (int i = 0; i < ENTRIES; i++) {
            drop(i);
        }
    }

    /** INVLPG: the entry for the page goes, global or not. */
    void invalidate(int linear) {
        int page = linear >>> 12;
        int i = page & (ENTRIES - 1);
        if ((int) (superRead[i] >>> 32) == page + 1) {
            drop(i);
        }
    }

    private void drop(int i) {
        superRead[i] = superWrite[i] = userRead[i] = userWrite[i] = 0;
        global[i] = false;
    }
}
