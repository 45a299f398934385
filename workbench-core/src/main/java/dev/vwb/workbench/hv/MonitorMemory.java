package dev.vwb.workbench.hv;

import dev.vwb.machine.memory.PhysicalMemory;

/**
 * The hypervisor's window: 128 KiB of host memory outside the guest's slice holding the
 * descriptor tables and TSS the real CPU uses. The same 128 KiB appear at the top of every linear
 * address space the real CPU uses ({@link #LINEAR}), because the CPU reaches the descriptor
 * tables and the TSS through linear addresses; guest segments are truncated below it
 * ({@link RingCompression}), and the guest's own page tables cannot map it (its frames are not
 * in the guest's p2m).
 *
 * <pre>
 *   +0x00000  shadow GDT (8,192 descriptors; the last is the hypervisor's TSS)
 *   +0x10000  shadow IDT (256 gates)
 *   +0x10800  the hypervisor's TSS (its ring-1 stack is the guest kernel's)
 *   +0x10C00  the virtual CPU, saved here for machine snapshots (which hold RAM, so this too)
 *   +0x13000  the page table that maps this window at the top of the linear space (every shadow's last directory entry)
 *   +0x14000  shadow LDT (6,144 descriptors)
 * </pre>
 */
final class MonitorMemory {
    static final int SIZE = 128 * 1024;
    /** Where the window appears in every linear address space. */
    static final int LINEAR = -SIZE;  // 0xFFFE0000
    static final int GDT = 0x00000;
    static final int IDT = 0x10000;
    static final int TSS = 0x10800;
    static final int VCPU = 0x10C00;
    static final int WINDOW_PT = 0x13000;
    static final int LDT = 0x14000;
    static final int LDT_LIMIT = SIZE - LDT - 1;
    /** The hypervisor's TSS in the shadow GDT: the last descriptor. */
    static final int TSS_SELECTOR = 0xFFF8;

    final PhysicalMemory mem;
    /** Physical address of the window. */
    final int physical;

    MonitorMemory(PhysicalMemory mem, int physical) {
        this.mem = mem;
        this.physical = physical;
    }

    int phys(int offset) {
        return physical + offset;
    }

    static int linear(int offset) {
        return LINEAR + offset;
    }

    int read32(int offset) {
        return mem.read32(physical + offset);
    }

    void write32(int offset, int v) {
        mem.write32(physical + offset, v);
    }

    long read64(int offset) {
        return (read32(offset) & 0xFFFF_FFFFL) | (long) read32(offset + 4) << 32;
    }

    void write64(int offset, long v) {
        write32(offset, (int) v);
        write32(offset + 4, (int) (v >>> 32));
    }
}
