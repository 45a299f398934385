package dev.vwb.workbench;

import dev.vwb.machine.Machine;
import dev.vwb.machine.cpu.Cpu;
import dev.vwb.machine.memory.PhysicalMemory;
import dev.vwb.workbench.hv.Hypervisor;

/**
 * The guest's memory and paging registers as the guest sees them, for the views (memory, page
 * walks, disassembly, breakpoint checks): on a bare machine the machine's own; under the
 * hypervisor the virtual CPU's CR0/CR3/CR4 and the guest's slice of host memory through the
 * p2m, so that a student looking at "physical 100000h" sees the guest's, not the host's.
 */
interface GuestSpace {
    int cr0();

    int cr3();

    int cr4();

    /** Whether the guest has memory (or ROM) at this guest-physical address. */
    boolean exists(long physical);

    int read8(long physical);

    int read32(long physical);

    void write8(long physical, int value);

    /** The guest's RAM in bytes. */
    long ramSize();

    static GuestSpace of(Machine machine, Hypervisor hypervisor) {
        return hypervisor == null ? new Bare(machine.cpu(), machine.memory()) : new Virtualized(machine.memory(), hypervisor);
    }

    record Bare(Cpu cpu, PhysicalMemory mem) implements GuestSpace {
        public int cr0() {
            return cpu.cr0();
        }

        public int cr3() {
            return cpu.cr3();
        }

        public int cr4() {
            return cpu.cr4();
        }

        public boolean exists(long physical) {
            return physical >= 0 && physical <= 0xFFFF_FFFFL;
        }

        public int read8(long physical) {
            return mem.read8((int) physical);
        }

        public int read32(long physical) {
            return mem.read32((int) physical);
        }

        public void write8(long physical, int value) {
            mem.load((int) physical, new byte[] {(byte) value});
        }

        public long ramSize() {
            return mem.ramSize();
        }
    }

    /** Guest-physical addresses through the p2m; the registers are the virtual CPU's. */
    record Virtualized(PhysicalMemory mem, Hypervisor hv) implements GuestSpace {
        public int cr0() {
            return hv.vcpu().cr0();
        }

        public int cr3() {
            return hv.vcpu().cr3();
        }

        public int cr4() {
            return hv.vcpu().cr4();
        }

        public boolean exists(long physical) {
            return hv.p2m().toHost(physical) >= 0;
        }

        public int read8(long physical) {
            long host = hv.p2m().toHost(physical);
            return host < 0 ? 0xFF : mem.read8((int) host);  // no memory there: an empty bus
        }

        public int read32(long physical) {
            return read8(physical) | read8(physical + 1) << 8 | read8(physical + 2) << 16 | read8(physical + 3) << 24;
        }

        public void write8(long physical, int value) {
            long host = hv.p2m().toHost(physical);
            if (host >= 0) {
                mem.load((int) host, new byte[] {(byte) value});
            }
        }

        public long ramSize() {
            return hv.p2m().size();
        }
    }
}
