package dev.vwb.workbench.hv;

/**
 * How a guest descriptor becomes the one the real CPU uses while the guest kernel runs at ring 1
 * (ring compression): its privilege 0 becomes 1, its reach stops below the hypervisor's window
 * at the top of the linear space, and what the hypervisor cannot let the CPU do by itself (a
 * hardware task switch) is marked not present so that it faults into the hypervisor.
 *
 * <p>Descriptors are {@code long}s, low dword first, as they lie in memory (SDM Vol. 3A §3.4.5,
 * Figure 3-8; gates §6.11, Figure 6-2).
 */
final class RingCompression {
    private RingCompression() {
    }

    static final long PRESENT = 1L << 47;
    private static final long S = 1L << 44;
    private static final int DPL_SHIFT = 45;
    private static final long DPL_MASK = 3L << DPL_SHIFT;
    private static final long GRANULARITY = 1L << 55;
    private static final long BIG = 1L << 54;  // D/B: for an expand-down data segment, offsets up to FFFFFFFFh

    static int type(long d) {
        return (int) (d >>> 40) & 0xF;
    }

    static boolean system(long d) {
        return (d & S) == 0;
    }

    static int dpl(long d) {
        return (int) ((d & DPL_MASK) >>> DPL_SHIFT);
    }

    static long withDpl(long d, int dpl) {
        return (d & ~DPL_MASK) | (long) dpl << DPL_SHIFT;
    }

    static int base(long d) {
        return (int) ((d >>> 16) & 0xFF_FFFF) | (int) ((d >>> 56) & 0xFF) << 24;
    }

    /** The limit in bytes (granularity applied). */
    static long limitBytes(long d) {
        long raw = (d & 0xFFFF) | ((d >>> 48) & 0xF) << 16;
        return (d & GRANULARITY) != 0 ? raw << 12 | 0xFFF : raw;
    }

    static long withBaseAndLimit(long d, int base, long limitBytes) {
        long raw = limitBytes;
        boolean g = limitBytes > 0xF_FFFF;
        if (g) {
            raw = limitBytes >>> 12;
        }
        long out = d & ~(0xFFFFL | 0xFF_FFFFL << 16 | 0xFL << 48 | 0xFFL << 56 | GRANULARITY);
        out |= raw & 0xFFFF | (base & 0xFF_FFFFL) << 16 | ((raw >>> 16) & 0xF) << 48 | (base >>> 24 & 0xFFL) << 56;
        return g ? out | GRANULARITY : out;
    }

    /** A GDT or LDT entry as the real CPU gets it, cut short by the reference {@link IsolationPolicy}. */
    static long segment(long d) {
        return segment(d, ReferenceIsolation.INSTANCE);
    }

    /** A GDT or LDT entry as the real CPU gets it, cut short below the window by {@code policy}. */
    static long segment(long d, IsolationPolicy policy) {
        if (d == 0) {
            return 0;
        }
        if (!system(d)) {
            long out = dpl(d) == 0 ? withDpl(d, 1) : d;
            boolean expandDown = (type(d) & 0xC) == 0x4;  // data, expand-down
            return expandDown ? truncatedDown(out, policy) : truncated(out, policy);
        }
        return switch (type(d)) {
            // Call gates: reachable from ring 1 as they were from ring 0; their targets are compressed themselves.
            case 0x4, 0xC -> dpl(d) == 0 ? withDpl(d, 1) : d;
            // Hardware task switches (TSS descriptors, task gates) are not run by the CPU under
            // the hypervisor: not present, they fault into it.
            case 0x1, 0x3, 0x5, 0x9, 0xB -> d & ~PRESENT;
            default -> d;  // LDT descriptors are redirected by ShadowTables; others fault as they would
        };
    }

    /** An IDT entry as the real CPU gets it. */
    static long gate(long d) {
        int type = type(d);
        if (!system(d)) {
            return d;
        }
        return switch (type) {
            case 0x6, 0x7, 0xE, 0xF -> dpl(d) == 0 ? withDpl(d, 1) : d;  // INT n from the guest kernel stays possible
            case 0x5 -> d & ~PRESENT;  // task gates: not supported, fault into the hypervisor
            default -> d;
        };
    }

    /** Whether an interrupt or trap gate is a trap gate (IF stays as it was). */
    static boolean trapGate(long gate) {
        return (type(gate) & 1) != 0;
    }

    /** Whether a gate is 32-bit (its frame slots are dwords). */
    static boolean gate32(long gate) {
        return (type(gate) & 0x8) != 0;
    }

    /** Keeps an expand-up segment out of the hypervisor's window at the top of the linear space. */
    private static long truncated(long d, IsolationPolicy policy) {
        long limit = limitBytes(d);
        long cut = policy.expandUpLimit(base(d), limit);
        if (cut == limit) {
            return d;
        }
        return cut < 0 ? d & ~PRESENT : withBaseAndLimit(d, base(d), cut);
    }

    /**
     * Keeps an expand-down data segment out of the window. Its valid offsets run from limit + 1
     * up to FFFFh or FFFFFFFFh (by B; SDM Vol. 3A §3.4.5.1), so its linear range climbs from
     * base + limit + 1 and may wrap past 4 GiB back to base - 1: only a larger limit shortens
     * it, from below. When the range reaches the window, what stays is the part that lies past
     * the wrap and below the window (offsets from 2^32 - base on); when there is none (base 0,
     * the common case), no offset stays valid: every access faults, as Xen's check_descriptor
     * rules for the same reason.
     */
    private static long truncatedDown(long d, IsolationPolicy policy) {
        long limit = limitBytes(d);
        long cut = policy.expandDownLimit(base(d), limit, (d & BIG) != 0);
        return cut == limit ? d : withBaseAndLimit(d, base(d), cut);  // page granular rounds the limit up: shorter still
    }
}
