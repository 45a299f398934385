package dev.vwb.workbench.hv;

import dev.vwb.machine.cpu.Cpu;
import dev.vwb.machine.cpu.Eflags;

/**
 * The CPU as the guest kernel believes it to be: what its privileged instructions read and
 * write instead of the real CPU's state. The real CPU runs the guest kernel at ring 1 with IOPL
 * 0, interrupts enabled, paging on and the hypervisor's descriptor tables loaded; the guest's
 * interrupt flag, IOPL, control registers and descriptor-table registers live here.
 *
 * <p>The guest's privilege level is the real one with ring 1 shown as ring 0 (ring compression).
 */
public final class VirtualCpu {
    private final Cpu cpu;
    /** The guest kernel's interrupt flag (EFLAGS.IF as the guest set it). */
    boolean vif;
    /**
     * The interrupt flag of the guest's user code. Kept apart from {@link #vif}: in trap mode the
     * guest kernel's IRET to user code runs natively and never tells the hypervisor what IF it
     * restored, so user code counts as interruptible unless it cleared IF itself (IOPL 3).
     */
    boolean userIf = true;
    int viopl;
    int cr0;
    int cr2;
    int cr3;
    int cr4;
    int gdtBase;
    int gdtLimit;
    int idtBase;
    int idtLimit;
    int ldtr;
    int tr;

    VirtualCpu(Cpu cpu) {
        this.cpu = cpu;
    }

    /** The real CPU's state as the guest set it up on bare hardware, taken over (before the real CPU is set up for the hypervisor). */
    void loadFromRealCpu() {
        vif = (cpu.eflags() & Eflags.IF) != 0;
        viopl = (cpu.eflags() & Eflags.IOPL) >>> Eflags.IOPL_SHIFT;
        cr0 = cpu.cr0();
        cr2 = cpu.cr2();
        cr3 = cpu.cr3();
        cr4 = cpu.cr4();
        gdtBase = cpu.gdtrBase();
        gdtLimit = cpu.gdtrLimit();
        idtBase = cpu.idtrBase();
        idtLimit = cpu.idtrLimit();
        ldtr = cpu.control().ldtrSelector();
        tr = cpu.control().trSelector();
    }

    /** Bytes {@link #save} writes. */
    static final int SAVED_BYTES = 14 * 4;

    /** Writes the virtual state at {@code at} in the hypervisor's memory (for machine snapshots). */
    void save(MonitorMemory mon, int at) {
        int[] v = {vif ? 1 : 0, userIf ? 1 : 0, viopl, cr0, cr2, cr3, cr4, gdtBase, gdtLimit, idtBase, idtLimit, ldtr, tr, 0x56435055};
        for (int k = 0; k < v.length; k++) {
            mon.write32(at + 4 * k, v[k]);
        }
    }

    /** Reads back what {@link #save} wrote. */
    void load(MonitorMemory mon, int at) {
        if (mon.read32(at + 13 * 4) != 0x56435055) {
            throw new IllegalStateException("the machine state holds no saved virtual CPU (was it taken under the hypervisor?)");
        }
        vif = mon.read32(at) != 0;
        userIf = mon.read32(at + 4) != 0;
        viopl = mon.read32(at + 8);
        cr0 = mon.read32(at + 12);
        cr2 = mon.read32(at + 16);
        cr3 = mon.read32(at + 20);
        cr4 = mon.read32(at + 24);
        gdtBase = mon.read32(at + 28);
        gdtLimit = mon.read32(at + 32);
        idtBase = mon.read32(at + 36);
        idtLimit = mon.read32(at + 40);
        ldtr = mon.read32(at + 44);
        tr = mon.read32(at + 48);
    }

    /** The guest's CPL: ring 1 (where its kernel really runs) shows as 0. */
    public int cpl() {
        int real = cpu.cpl();
        return real == 1 ? 0 : real;
    }

    /** Whether the guest, at its current privilege level, has interrupts enabled. */
    public boolean interruptsEnabled() {
        return cpu.cpl() == 3 ? userIf : vif;
    }

    void setInterruptFlag(boolean on) {
        if (cpu.cpl() == 3) {
            userIf = on;
        } else {
            vif = on;
        }
    }

    public int iopl() {
        return viopl;
    }

    /** EFLAGS as the guest should see it: the real flags with the virtual IF and IOPL. */
    public int eflags() {
        return guestEflags(cpu.eflags(), interruptsEnabled());
    }

    /** {@code real} with the virtual IOPL and the given IF. */
    int guestEflags(int real, boolean interrupts) {
        int v = real & ~(Eflags.IF | Eflags.IOPL);
        return v | (interrupts ? Eflags.IF : 0) | viopl << Eflags.IOPL_SHIFT;
    }

    public int cr0() {
        return cr0;
    }

    public int cr2() {
        return cr2;
    }

    public int cr3() {
        return cr3;
    }

    public int cr4() {
        return cr4;
    }

    public boolean pagingEnabled() {
        return (cr0 & Cpu.CR0_PG) != 0;
    }

    public int gdtBase() {
        return gdtBase;
    }

    public int gdtLimit() {
        return gdtLimit;
    }

    public int idtBase() {
        return idtBase;
    }

    public int idtLimit() {
        return idtLimit;
    }

    public int ldtr() {
        return ldtr;
    }

    public int tr() {
        return tr;
    }

    /** A selector as the guest sees it: ring-1 selectors (compressed ring 0) with RPL 0. */
    public static int guestSelector(int real) {
        return (real & 3) == 1 ? real & ~3 : real;
    }

    @Override
    public String toString() {
        return String.format("guest CPL %d  IF=%d IOPL=%d  CR0=%08X CR2=%08X CR3=%08X CR4=%08X%n"
                        + "GDTR=%08X/%04X IDTR=%08X/%04X LDTR=%04X TR=%04X",
                cpl(), interruptsEnabled() ? 1 : 0, viopl, cr0, cr2, cr3, cr4, gdtBase, gdtLimit, idtBase, idtLimit, ldtr, tr);
    }
}
