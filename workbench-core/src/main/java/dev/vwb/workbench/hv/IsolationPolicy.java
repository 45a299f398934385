package dev.vwb.workbench.hv;

/**
 * What a guest may reach (extension point; exercise {@code isolation-policy}, lesson 8). The
 * hypervisor asks it every time the guest would reach host resources through it:
 * <ul>
 *   <li><b>frames</b> - every guest-physical address the hypervisor turns into a host-physical
 *       one (each shadow page-table entry it builds, each guest table it reads): {@link #hostAddress};
 *   <li><b>ports</b> - every emulated IN, OUT, INS, OUTS and port hypercall, before it may reach
 *       the host's device on that port: {@link #portReachable};
 *   <li><b>linear ranges</b> - the tables a hardware task switch makes the CPU write at linear
 *       addresses the guest chose (its GDT, IDT, TSSs, the new task's stack), and the operand of a
 *       faulting instruction: {@link #reachesWindow};
 *   <li><b>segments</b> - every guest descriptor the real CPU is given, cut short so that no
 *       offset reaches the window: {@link #expandUpLimit}, {@link #expandDownLimit}.
 * </ul>
 * The hypervisor's window ({@link #WINDOW}: its GDT, IDT, TSS and the page table mapping them)
 * is mapped at the top 128 KiB of every linear address space, writable at the supervisor rings,
 * and the guest kernel runs at ring 1, a supervisor ring: nothing but these checks keeps the
 * guest out of it. The attack guests ({@code attack-*}) try each way in.
 *
 * <p>The reference hypervisor's own rules are behind this interface; a {@link Hypervisor} can be
 * booted with others ({@link Extensions.Builder#isolation}).
 */
public interface IsolationPolicy {
    /** The first linear address of the hypervisor's window; it runs to FFFFFFFFh. */
    long WINDOW = 0xFFFE_0000L;

    /**
     * Frames: the host-physical address of guest-physical {@code guestPhysical} in the guest's
     * {@code slice}, or -1 when the guest owns no memory there (the hypervisor then refuses to
     * build the mapping, and stops the guest).
     *
     * @param guestPhysical 0 to FFFFFFFFh (never negative)
     */
    long hostAddress(GuestSlice slice, long guestPhysical);

    /**
     * Ports: whether the guest's I/O to {@code port} (0-FFFFh) may reach the host machine's device
     * there. A port refused here is answered as an empty ISA bus (reads all ones, writes dropped),
     * logged as a contained exit; the guest goes on.
     */
    boolean portReachable(int port);

    /**
     * Linear ranges: whether any of the {@code length} bytes from {@code linear} (a 32-bit linear
     * address, unsigned) lies in the window. A range running past FFFFFFFFh wraps to 0 on the CPU,
     * but it has crossed the window on the way: it reaches it.
     *
     * @param length bytes, 0 or more (0: an empty range reaches nothing)
     */
    boolean reachesWindow(int linear, long length);

    /**
     * Segments, expand-up (code, and data with E = 0): the limit, in bytes, that segment
     * {@code base}, {@code limit} gets on the real CPU so that its last byte lies below the window;
     * {@code limit} itself when the segment ends below it; -1 when no byte of it lies below the window
     * (the descriptor is then marked not present). Valid offsets of an expand-up segment are 0 to
     * limit (SDM Vol. 3A §3.4.5). A limit above FFFFFh can only be stored in 4 KiB units (G = 1: the
     * CPU reads it as {@code limit * 4096 + FFFh}), so such a limit must end just below a page boundary.
     *
     * @param base  the segment's base, unsigned
     * @param limit the segment's limit in bytes, 0 to FFFFFFFFh
     */
    long expandUpLimit(int base, long limit);

    /**
     * Segments, expand-down (data with E = 1, e.g. a stack): the limit, in bytes, the segment gets
     * on the real CPU so that no valid offset reaches the window. Valid offsets of an expand-down
     * segment are limit + 1 to {@code upper} (FFFFFFFFh with B = 1, FFFFh with B = 0; SDM Vol. 3A
     * §3.4.5.1): a larger limit makes it shorter, from below, and a limit of {@code upper} leaves no
     * valid offset at all. Its linear addresses run from base + limit + 1 up to base + upper, and
     * may wrap past FFFFFFFFh to 0.
     *
     * @param base  the segment's base, unsigned
     * @param limit the segment's limit in bytes, 0 to {@code upper}
     * @param big   the descriptor's B flag: {@code upper} is FFFFFFFFh, else FFFFh
     */
    long expandDownLimit(int base, long limit, boolean big);
}
