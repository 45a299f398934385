package dev.vwb.workbench.hv;

import dev.vwb.machine.cpu.Cpu;
import dev.vwb.machine.cpu.CpuControl;
import dev.vwb.machine.cpu.CpuFault;
import dev.vwb.machine.cpu.GuestInstruction;
import dev.vwb.machine.memory.PhysicalMemory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shadow paging: the real CR3 points at page tables the hypervisor builds from the guest's, in
 * its own memory, translating guest-virtual addresses straight to host-physical ones (guest
 * tables, then the {@link P2m}). They start empty and are filled on page faults the guest never
 * sees ("hidden" faults); a fault the guest's own tables explain is reflected with the CR2 and
 * error code hardware gives. Guest page-table pages are mapped read-only, so a guest write to
 * one faults; it is run once with the page unprotected and the shadow entries built from what
 * changed are dropped, to be rebuilt on the next access. Shadows are cached by guest CR3 (at
 * most {@link #capacity}, least recently used evicted), INVLPG drops one entry, guest accessed
 * and dirty bits are set as hardware sets them (a page is mapped read-only until the guest's
 * first write sets D), and guest paging off is an identity shadow of the slice.
 *
 * <p>The real TLB is flushed only where bare hardware's would be (CR3 loads, INVLPG), so a guest
 * that relies on a stale TLB entry sees it stale here too: dropping a shadow entry does not
 * remove the real TLB's copy of it.
 */
final class ShadowPager {
    static final int P = 1, W = 2, U = 4, A = 0x20, D = 0x40, PS = 0x80, G = 0x100;
    private static final int CR0_WP = 1 << 16;
    private static final int CR4_PSE = 1 << 4;
    private static final int CR4_PGE = 1 << 7;
    private static final int WINDOW_INDEX = 1023;

    /** What a page fault turned out to be. */
    sealed interface Fault {
        /** The shadow lacked the entry: it is filled; the instruction runs again. */
        record Hidden(String action) implements Fault {
        }

        /** The guest's tables say fault: reflect with this error code (CR2 is the address). */
        record True(int errorCode) implements Fault {
        }

        /** A write to a guest page-table page (or a write only the guest's CR0.WP = 0 allows): run it unprotected. */
        record ProtectedWrite(boolean table) implements Fault {
        }

        /** The guest's tables name memory it does not own, or the hypervisor's window: contained. */
        record Refused(String why) implements Fault {
        }
    }

    /** One shadow: a page directory and the page tables built under it. */
    static final class Shadow {
        final int guestCr3;
        final int pd;
        final int[] pt = new int[1024];
        /** The guest page table each shadow page table was built from (frame number), or -1 (a 4 MiB page, identity). */
        final int[] ptGuest = new int[1024];

        Shadow(int guestCr3, int pd) {
            this.guestCr3 = guestCr3;
            this.pd = pd;
            java.util.Arrays.fill(ptGuest, -1);
        }
    }

    /** A guest frame used as a table by a shadow: its directory ({@code pde} -1) or the table under entry {@code pde}. */
    private record Use(Shadow shadow, int pde) {
    }

    private final Cpu cpu;
    private final CpuControl control;
    private final VirtualCpu v;
    private final PhysicalMemory mem;
    private final P2m p2m;
    private final ShadowFill fill;
    private final View view = new View();
    private final MonitorMemory mon;
    private final int poolBase;
    private final int poolPages;
    private final ArrayDeque<Integer> free = new ArrayDeque<>();
    final int capacity;
    private final LinkedHashMap<Integer, Shadow> cache = new LinkedHashMap<>(16, 0.75f, true);
    private Shadow identity;
    private Shadow current;
    private final Map<Integer, List<Use>> tables = new HashMap<>();
    private final Map<Integer, List<Integer>> rmap = new HashMap<>();
    final ShadowStats stats = new ShadowStats();
    /** Told of each shadow built and evicted (the hypervisor logs them as exits), or null. */
    java.util.function.BiConsumer<Boolean, Integer> events;

    ShadowPager(Cpu cpu, VirtualCpu v, PhysicalMemory mem, P2m p2m, MonitorMemory mon, int poolBase, int poolPages, int capacity,
            ShadowFill fill) {
        this.fill = fill;
        this.cpu = cpu;
        this.control = cpu.control();
        this.v = v;
        this.mem = mem;
        this.p2m = p2m;
        this.mon = mon;
        this.poolBase = poolBase;
        this.poolPages = poolPages;
        this.capacity = capacity;
        reset();
    }

    /** Forgets every shadow (they are a cache: rebuilt on demand), e.g. after the machine's state was restored. */
    void reset() {
        free.clear();
        for (int k = 0; k < poolPages; k++) {
            free.add(poolBase + (k << 12));
        }
        cache.clear();
        tables.clear();
        rmap.clear();
        identity = null;
        current = null;
    }

    P2m p2m() {
        return p2m;
    }

    /** The real paging state for the guest's CR0, CR3 and CR4 (after the guest changed one of them). */
    void activate() {
        Shadow s;
        if (!v.pagingEnabled()) {
            if (identity == null) {
                identity = new Shadow(-1, newDirectory());
            }
            s = identity;
        } else {
            int cr3 = v.cr3 & ~0xFFF;
            s = cache.get(cr3);
            if (s == null) {
                s = build(cr3);
            } else {
                stats.cacheHits++;
            }
        }
        current = s;
        control.setCr(4, v.cr4 & CR4_PGE);
        control.setCr(0, v.cr0 | dev.vwb.machine.cpu.Cpu.CR0_PE | dev.vwb.machine.cpu.Cpu.CR0_PG | CR0_WP);
        control.setCr(3, s.pd);
    }

    /** A task switch loads guest CR3 {@code guestCr3}: the shadow for it becomes current; returns its directory for the real CR3. */
    int shadowFor(int guestCr3) {
        int cr3 = guestCr3 & ~0xFFF;
        Shadow s = cache.get(cr3);
        if (s == null) {
            s = build(cr3);
        } else {
            stats.cacheHits++;
        }
        current = s;
        return s.pd;
    }

    private Shadow build(int cr3) {
        // The shadow in use may go too: the CPU is about to leave it for this one.
        while (cache.size() >= capacity && evictOldest(true)) {
            continue;
        }
        Shadow s = new Shadow(cr3, newDirectory());
        cache.put(cr3, s);
        use(cr3 >>> 12, new Use(s, -1));
        stats.builds++;
        if (events != null) {
            events.accept(true, cr3);
        }
        return s;
    }

    private int newDirectory() {
        int pd = allocate();
        mem.write32(pd + WINDOW_INDEX * 4, mon.phys(MonitorMemory.WINDOW_PT) | P | W);
        return pd;
    }

    /** A zeroed page from the pool; when it is empty the least recently used shadow goes first. */
    private int allocate() {
        while (free.isEmpty()) {
            if (!evictOldest(false)) {
                reset();
                activate();
            }
        }
        int page = free.poll();
        mem.fill(page, 4096, (byte) 0);
        return page;
    }

    /** Evicts the least recently used shadow (not the one in use unless {@code evenCurrent}); false when there is none. */
    private boolean evictOldest(boolean evenCurrent) {
        Iterator<Map.Entry<Integer, Shadow>> it = cache.entrySet().iterator();
        while (it.hasNext()) {
            Shadow s = it.next().getValue();
            if (s != current || evenCurrent) {
                it.remove();
                release(s);
                stats.evictions++;
                if (events != null) {
                    events.accept(false, s.guestCr3);
                }
                return true;
            }
        }
        return false;
    }

    private void release(Shadow s) {
        for (int k = 0; k < 1024; k++) {
            if (s.pt[k] != 0) {
                dropTable(s, k);
            }
        }
        unuse(s.guestCr3 >>> 12, s, -1);
        free.add(s.pd);
    }

    // ---- faults ---------------------------------------------------------------------------------

    /**
     * A page fault at {@code linear} with the CPU's error code (P, W/R, U/S) under the current
     * shadow: the {@link ShadowFill} says what it is, and the entry it built is written here.
     */
    Fault onPageFault(int linear, int errorCode) {
        int dir = linear >>> 22;
        int entry = (linear >>> 12) & 0x3FF;
        if (dir == WINDOW_INDEX) {
            return new Fault.Refused("the guest uses the top 4 MiB of the linear space, where the hypervisor's window is");
        }
        ShadowFill.Verdict verdict = fill.onPageFault(view, linear, errorCode);
        if (verdict instanceof ShadowFill.Fill f) {
            map(current, dir, entry, f.shadowEntry(), f.guestTable());
            stats.hiddenFaults++;
            return new Fault.Hidden(((f.shadowEntry() & W) != 0 && (errorCode & W) != 0 ? "dirty " : "")
                    + (v.pagingEnabled() ? "" : "identity ") + "entry for " + PrivilegedEmulator.hex8(linear & ~0xFFF)
                    + " -> host " + PrivilegedEmulator.hex8(f.shadowEntry() & ~0xFFF));
        }
        if (verdict instanceof ShadowFill.GuestFault g) {
            stats.trueFaults++;
            return new Fault.True(g.errorCode());
        }
        if (verdict instanceof ShadowFill.ProtectedWrite w) {
            map(current, dir, entry, w.shadowEntry() & ~W, w.guestTable());
            return new Fault.ProtectedWrite(w.pageTable());
        }
        if (verdict instanceof ShadowFill.Refused r) {
            return new Fault.Refused(r.why());
        }
        throw new IllegalStateException("the shadow pager's fill returned " + verdict);
    }

    /** The guest's paging as the {@link ShadowFill} sees it. */
    private final class View implements GuestPaging {
        @Override
        public int cr0() {
            return v.cr0;
        }

        @Override
        public int cr3() {
            return v.cr3;
        }

        @Override
        public int cr4() {
            return v.cr4;
        }

        @Override
        public boolean pagingEnabled() {
            return v.pagingEnabled();
        }

        @Override
        public int readPhysical(int address) {
            return readGuestPhysical(address);
        }

        @Override
        public void writePhysical(int address, int value) {
            writeGuestPhysical(address, value);
        }

        @Override
        public long memorySize() {
            return p2m.size();
        }

        @Override
        public long hostAddress(long address) {
            return p2m.toHost(address);
        }

        @Override
        public boolean isPageTable(int frame) {
            return tables.containsKey(frame);
        }
    }

    /**
     * Runs {@code insn}, which writes a page the shadow maps read-only (a guest page table, or a
     * read-only page the guest kernel may write with CR0.WP clear), with that page writable for
     * this one instruction; then drops the shadow entries built from the table entries it changed.
     * Returns how many table entries changed.
     */
    int runUnprotected(GuestInstruction insn, int linear, boolean table) {
        int dir = linear >>> 22;
        int entry = (linear >>> 12) & 0x3FF;
        int slot = current.pt[dir] + entry * 4;
        int spte = mem.read32(slot);
        int host = spte & ~0xFFF;
        int[] before = table ? readPage(host) : null;
        mem.write32(slot, spte | W);
        control.invalidatePage(linear);
        try {
            control.execute(insn);
        } finally {
            mem.write32(slot, mem.read32(slot) & ~W);
            control.invalidatePage(linear);
        }
        if (!table) {
            return 0;
        }
        stats.tableWrites++;
        int changed = 0;
        int gfn = (int) ((hostToGuest(host)) >>> 12);
        List<Use> uses = tables.get(gfn);
        for (int k = 0; k < 1024; k++) {
            if (mem.read32(host + k * 4) != before[k]) {
                changed++;
                if (uses != null) {
                    for (Use u : new ArrayList<>(uses)) {
                        zap(u, k);
                    }
                }
            }
        }
        return changed;
    }

    /** A changed guest table entry: the shadow entry built from it goes (rebuilt on the next access). */
    private void zap(Use u, int k) {
        Shadow s = u.shadow();
        if (u.pde() < 0) {
            if (k != WINDOW_INDEX && s.pt[k] != 0) {
                dropTable(s, k);
            }
        } else if (s.pt[u.pde()] != 0) {
            mem.write32(s.pt[u.pde()] + k * 4, 0);
        }
    }

    /** Fills the shadow for {@code length} bytes from {@code linear} as reads would (pages the guest does not map are left alone). */
    void prefault(int linear, int length) {
        if (length <= 0) {
            return;
        }
        long end = (linear & 0xFFFF_FFFFL) + length;
        for (long page = linear & 0xFFFF_F000L; page < end; page += 4096) {
            int l = (int) page;
            if ((shadowEntry(l) & P) == 0 && (l >>> 22) != WINDOW_INDEX) {
                onPageFault(l, 0);
            }
        }
    }

    /**
     * Makes {@code length} bytes from {@code linear} writable in the shadow where the
     * guest's tables allow a supervisor write (setting D as the write will): for the stack a
     * delivery is about to push on, since a page fault in the middle of a delivery is a double
     * fault to the CPU, not a chance for the hypervisor to fill the shadow.
     */
    void prefaultWrite(int linear, int length) {
        long end = (linear & 0xFFFF_FFFFL) + length;
        for (long page = linear & 0xFFFF_F000L; page < end; page += 4096) {
            int l = (int) page;
            int e = shadowEntry(l);
            if ((l >>> 22) != WINDOW_INDEX && ((e & P) == 0 || (e & W) == 0)) {
                Fault f = onPageFault(l, (e & P) | W);
                if (f instanceof Fault.ProtectedWrite) {
                    return;  // a table page: the CPU's push will fault, as it does on a read-only page
                }
            }
        }
    }

    /** INVLPG: the shadow entry of {@code linear} goes, and the real TLB's. */
    void invalidate(int linear) {
        int dir = linear >>> 22;
        if (current != null && dir != WINDOW_INDEX && current.pt[dir] != 0) {
            mem.write32(current.pt[dir] + ((linear >>> 12) & 0x3FF) * 4, 0);
        }
        control.invalidatePage(linear);
    }

    // ---- building -------------------------------------------------------------------------------

    private void map(Shadow s, int dir, int entry, int value, int guestTable) {
        if (s.pt[dir] == 0) {
            s.pt[dir] = allocate();
            s.ptGuest[dir] = guestTable;
            mem.write32(s.pd + dir * 4, s.pt[dir] | P | W | U);
            if (guestTable >= 0) {
                use(guestTable, new Use(s, dir));
            }
        }
        int slot = s.pt[dir] + entry * 4;
        mem.write32(slot, value);
        rmap.computeIfAbsent(value >>> 12, f -> new ArrayList<>()).add(slot);
    }

    private void dropTable(Shadow s, int dir) {
        if (s.ptGuest[dir] >= 0) {
            unuse(s.ptGuest[dir], s, dir);
        }
        free.add(s.pt[dir]);
        s.pt[dir] = 0;
        s.ptGuest[dir] = -1;
        mem.write32(s.pd + dir * 4, 0);
    }

    /** Records that a shadow built from guest frame {@code gfn} as a table; a frame that becomes a table is write-protected everywhere. */
    private void use(int gfn, Use u) {
        List<Use> uses = tables.get(gfn);
        if (uses == null) {
            uses = new ArrayList<>();
            tables.put(gfn, uses);
            protect(gfn);
        }
        uses.add(u);
    }

    private void unuse(int gfn, Shadow s, int pde) {
        List<Use> uses = tables.get(gfn);
        if (uses != null) {
            uses.removeIf(u -> u.shadow() == s && u.pde() == pde);
            if (uses.isEmpty()) {
                tables.remove(gfn);
            }
        }
    }

    /** Every shadow entry that maps guest frame {@code gfn} becomes read-only. */
    private void protect(int gfn) {
        int hostFrame = p2m.hostFrame(gfn);
        List<Integer> slots = rmap.get(hostFrame);
        if (slots == null) {
            return;
        }
        boolean any = false;
        for (Iterator<Integer> it = slots.iterator(); it.hasNext(); ) {
            int slot = it.next();
            int e = mem.read32(slot);
            if ((e & P) == 0 || e >>> 12 != hostFrame) {
                it.remove();  // a stale reverse entry
            } else if ((e & W) != 0) {
                mem.write32(slot, e & ~W);
                any = true;
            }
        }
        if (any) {
            control.flushTlb();
        }
    }

    // ---- the guest's memory ---------------------------------------------------------------------

    /** A guest-physical dword, or 0 where the guest has no memory. */
    int readGuestPhysical(int gpa) {
        long host = p2m.toHost(gpa & 0xFFFF_FFFFL);
        return host < 0 ? 0 : mem.read32((int) host);
    }

    void writeGuestPhysical(int gpa, int value) {
        long host = p2m.toHost(gpa & 0xFFFF_FFFFL);
        if (host >= 0) {
            mem.write32((int) host, value);
        }
    }

    /**
     * Where a guest-linear address is in host memory, by the guest's tables and the p2m (no
     * accessed bits, no protection: the hypervisor's own look), or -1 when it is not mapped.
     */
    long linearToHost(int linear) {
        long gpa = linearToGuestPhysical(linear);
        return gpa < 0 ? -1 : p2m.toHost(gpa);
    }

    long linearToGuestPhysical(int linear) {
        if (!v.pagingEnabled()) {
            return linear & 0xFFFF_FFFFL;
        }
        int pde = readGuestPhysical((v.cr3 & ~0xFFF) + (linear >>> 22) * 4);
        if ((pde & P) == 0) {
            return -1;
        }
        if ((pde & PS) != 0 && (v.cr4 & CR4_PSE) != 0) {
            return ((pde & 0xFFC0_0000L) | (linear & 0x003F_FFFF)) & 0xFFFF_FFFFL;
        }
        int pte = readGuestPhysical((pde & ~0xFFF) + ((linear >>> 12) & 0x3FF) * 4);
        if ((pte & P) == 0) {
            return -1;
        }
        return ((pte & ~0xFFF) | (linear & 0xFFF)) & 0xFFFF_FFFFL;
    }

    /** {@code linear} through the guest's tables, the p2m and the current shadow, side by side. */
    Translation translate(int linear) {
        int pde = 0;
        int pte = 0;
        boolean big = false;
        if (v.pagingEnabled()) {
            pde = readGuestPhysical((v.cr3 & ~0xFFF) + (linear >>> 22) * 4);
            big = (pde & P) != 0 && (pde & PS) != 0 && (v.cr4 & CR4_PSE) != 0;
            if ((pde & P) != 0 && !big) {
                pte = readGuestPhysical((pde & ~0xFFF) + ((linear >>> 12) & 0x3FF) * 4);
            }
        }
        long gpa = linearToGuestPhysical(linear);
        long host = gpa < 0 ? -1 : p2m.toHost(gpa);
        int spte = shadowEntry(linear);
        long shadowHost = (spte & P) == 0 ? -1 : ((spte & ~0xFFFL) & 0xFFFF_FFFFL) | (linear & 0xFFF);
        return new Translation(linear, v.pagingEnabled(), v.cr3, pde, pte, big, gpa, host, currentDirectory(),
                shadowDirectoryEntry(linear), spte, shadowHost);
    }

    /** The shadow's own entry for {@code linear} in the current shadow (0 when none). */
    int shadowEntry(int linear) {
        if (current == null || current.pt[linear >>> 22] == 0) {
            return 0;
        }
        return mem.read32(current.pt[linear >>> 22] + ((linear >>> 12) & 0x3FF) * 4);
    }

    int shadowDirectoryEntry(int linear) {
        return current == null ? 0 : mem.read32(current.pd + (linear >>> 22) * 4);
    }

    int currentDirectory() {
        return current == null ? 0 : current.pd;
    }

    int cachedShadows() {
        return cache.size();
    }

    private long hostToGuest(int host) {
        return (host & 0xFFFF_FFFFL) - p2m.hostBase();
    }

    private int[] readPage(int host) {
        int[] page = new int[1024];
        for (int k = 0; k < 1024; k++) {
            page[k] = mem.read32(host + k * 4);
        }
        return page;
    }
}
