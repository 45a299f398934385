package dev.vwb.workbench.hv;

import dev.vwb.machine.memory.PhysicalMemory;

/**
 * Where the hypervisor's own structures live: the top 128 KiB of RAM, which the Multiboot
 * memory map already reports as reserved (as QEMU's firmware reserves it), so the guest is told
 * the same memory sizes bare and virtualized. The same 128 KiB appear at the top of every linear
 * address space the real CPU uses ({@link #LINEAR}), because the CPU reaches the descriptor
 * tables and the TSS through linear addresses; guest segments are truncated below it
 * ({@link RingCompression}).
 *
 * <pre>
 *   +0x00000  shadow GDT (8,192 descriptors; the last is the hypervisor's TSS)
 *   +0x10000  shadow IDT (256 gates)
 *   +0x10800  the hypervisor's TSS (its ring-1 stack is the guest kernel's)
 *   +0x10C00  the virtual CPU, saved here for machine snapshots (which hold RAM, so this too)
 *   +0x11000  identity page directory (guest paging off: 4 MiB pages over the low 4 GiB - 4 MiB)
 *   +0x12000  the page directory in use while guest paging is on (a copy of the guest's)
 *   +0x13000  the page table that maps this window at the top of the linear space
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
    static final int IDENTITY_PD = 0x11000;
    static final int GUEST_PD = 0x12000;
    static final int WINDOW_PT = 0x13000;
    static final int LDT = 0x14000;
    static final int LDT_LIMIT = SIZE - LDT - 1;
    /** The hypervisor's TSS in the shadow GDT: the last descriptor. */
    static final int TSS_SELECTOR = 0xFFF8;

    final PhysicalMemory mem;
    /** Physical address of the window. */
    final int physical;

    MonitorMemory(PhysicalMemory mem) {
        this.mem = mem;
        if (mem.ramSize() < 4 << 20) {
            throw new IllegalArgumentException("the hypervisor needs at least 4 MiB of RAM, not " + (mem.ramSize() >> 10) + " KiB");
        }
        this.physical = mem.ramSize() - SIZE;
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
