package dev.vwb.student;

import dev.vwb.workbench.hv.GuestSlice;
import dev.vwb.workbench.hv.IsolationPolicy;

/**
 * Exercise "isolation-policy" (lesson 8, isolation): what a guest may reach.
 *
 * <p>The hypervisor keeps its GDT, IDT, TSS and the page table that maps them in a window at the
 * top 128 KiB of every linear address space ({@link #WINDOW} = FFFE0000h to FFFFFFFFh), writable
 * at the supervisor rings - and the guest kernel runs at ring 1, a supervisor ring. The guest's
 * physical memory is a slice of the host's (from host 8 MiB); the host has devices the guest must
 * not touch. Nothing but the answers you give here keeps the guest in. The attack guests
 * ({@code attack-outside}, {@code attack-ports}, {@code attack-flat}, {@code attack-window}) each
 * try one way out; the hypervisor asks you:
 *
 * <pre>
 *   frames    hostAddress      each guest-physical address it turns into a host-physical one
 *   ports     portReachable    each IN/OUT/INS/OUTS the guest makes
 *   linear    reachesWindow    each table a hardware task switch makes the CPU write
 *   segments  expandUpLimit    each code or data segment the real CPU is given
 *             expandDownLimit  each expand-down data segment
 * </pre>
 *
 * Mind the arithmetic: addresses are unsigned 32-bit values in Java {@code int}s; widen them with
 * {@code x & 0xFFFF_FFFFL} and compute in {@code long}s, or a sum that passes 4 GiB wraps around.
 * Run the public tests with {@code ./vwb exercise check} (or {@code mvn test}).
 */
public final class StudentIsolation implements IsolationPolicy {
    /**
     * Frames. The guest owns guest-physical addresses 0 to {@code slice.size() - 1}, which are host
     * {@code slice.hostBase()} onwards; anything else is not the guest's: -1.
     */
    @Override
    public long hostAddress(GuestSlice slice, long guestPhysical) {
        // TODO
        throw new UnsupportedOperationException("TODO: frames");
    }

    /**
     * Ports. The guest is given: the 8259A interrupt controllers (20h-21h, A0h-A1h), the 8254 timer
     * (40h-43h), COM1 (3F8h-3FFh), the debug console (E9h), the exit device (F4h-F7h) and the POST
     * code port (80h). Every other port - the host's disk controller, CMOS, PCI configuration... -
     * is refused.
     */
    @Override
    public boolean portReachable(int port) {
        // TODO
        throw new UnsupportedOperationException("TODO: ports");
    }

    /** Linear ranges: does any of {@code length} bytes from {@code linear} lie at or above {@link #WINDOW}? */
    @Override
    public boolean reachesWindow(int linear, long length) {
        // TODO
        throw new UnsupportedOperationException("TODO: linear ranges");
    }

    /**
     * Segments, expand-up: valid offsets 0 to limit, linear addresses base to base + limit. If they
     * end below the window, keep {@code limit}; if the segment starts in the window, -1; else cut
     * the limit so the last byte is FFFDFFFFh - and if that limit is above FFFFFh it is stored in
     * 4 KiB units (the CPU then reads it as {@code (limit >> 12) * 4096 + FFFh}), so round it down to
     * end on the last byte of a page: otherwise the CPU would round it up, into the window.
     */
    @Override
    public long expandUpLimit(int base, long limit) {
        // TODO
        throw new UnsupportedOperationException("TODO: expand-up segments");
    }

    /**
     * Segments, expand-down: valid offsets limit + 1 to upper (FFFFFFFFh with {@code big}, else FFFFh),
     * linear addresses base + limit + 1 up to base + upper - which may pass 4 GiB and wrap to 0.
     * Work on the unwrapped line (longs): keep {@code limit} if the range has no byte in the window
     * (it is empty, or all of it lies below FFFE0000h, or all of it lies past 4 GiB and below
     * 4 GiB + FFFE0000h). Otherwise, if the top end lies past the wrap and below the window,
     * keep only the wrapped part: limit = 2^32 - base - 1. If not, nothing can stay: limit = upper
     * (no valid offset at all).
     */
    @Override
    public long expandDownLimit(int base, long limit, boolean big) {
        // TODO
        throw new UnsupportedOperationException("TODO: expand-down segments");
    }
}
