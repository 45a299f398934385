package dev.vwb.tracing;

import dev.vwb.machine.cpu.Cpu;
import dev.vwb.machine.memory.PhysicalMemory;

/**
 * Linear to physical through the guest's current page tables, read-only: no accessed or dirty
 * bits set, no TLB consulted (a debugger's view, which can differ from a stale TLB's). SDM Vol.
 * 3A §4.3, 32-bit paging: CR3 → page directory (bits 31–22) → page table (bits 21–12) → frame.
 *
 * <p>Why there are two read-only walkers, this one and workbench-core's {@code PageWalker}: this
 * one answers only "which physical address", allocating nothing and with the paging-off case
 * small enough to inline, because the instruction probe and physical breakpoints ask before
 * every instruction. The workbench's explains a walk to a student (both entries and where they
 * are, the rights of one kind of access, the #PF and its error code) as a record. This one could
 * serve as its core only by handing out its intermediate entries (an allocation, or a second
 * walk per level), which would cost the per-instruction path; and the workbench's cannot serve
 * here (tracing is below workbench-core). workbench-core's MemoryAndPagingTest checks that the two
 * agree on what is mapped.
 */
final class PageWalk {
    private static final int PRESENT = 1;       // P: the entry maps something
    private static final int PAGE_SIZE_4M = 0x80;  // PS in a PDE: a 4 MiB page (with CR4.PSE)
    private static final int CR4_PSE = 0x10;     // page size extensions

    private PageWalk() {
    }

    /** The physical address of {@code linear}, or -1 when it is not mapped. */
    static long physical(Cpu cpu, PhysicalMemory mem, int linear) {
        if ((cpu.cr0() & Cpu.CR0_PG) == 0) {
            return linear & 0xFFFF_FFFFL;
        }
        return walk(cpu, mem, linear);
    }

    /** Apart from {@link #physical} so that the paging-off case stays small enough to inline. */
    private static long walk(Cpu cpu, PhysicalMemory mem, int linear) {
        int pde = mem.read32((cpu.cr3() & ~0xFFF) + ((linear >>> 22) << 2));
        if ((pde & PRESENT) == 0) {
            return -1;
        }
        if ((pde & PAGE_SIZE_4M) != 0 && (cpu.cr4() & CR4_PSE) != 0) {
            return ((pde & 0xFFC0_0000) | (linear & 0x003F_FFFF)) & 0xFFFF_FFFFL;
        }
        int pte = mem.read32((pde & ~0xFFF) + (((linear >>> 12) & 0x3FF) << 2));
        if ((pte & PRESENT) == 0) {
            return -1;
        }
        return ((pte & ~0xFFF) | (linear & 0xFFF)) & 0xFFFF_FFFFL;
    }

    /** Whether {@code physical} is RAM or the BIOS alias below 4 GiB (the top 128 KiB). */
    static boolean backed(PhysicalMemory mem, long physical) {
        return physical >= 0 && (physical < mem.ramSize() || physical >= 0xFFFE_0000L && physical <= 0xFFFF_FFFFL);
    }
}
