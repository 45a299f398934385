package dev.vwb.workbench.hv;

import dev.vwb.machine.cpu.Reg32;
import dev.vwb.machine.cpu.SegReg;

/**
 * The guest's CPU as an emulator of privileged instructions sees it: the guest's general
 * registers and memory (real: the guest runs on the CPU), and its privileged state (virtual:
 * the {@link VirtualCpu} the hypervisor keeps instead of the real CPU's). Writing privileged
 * state through here also does what the hypervisor must do about it - rebuilding the shadow page
 * tables for a new CR0/CR3/CR4, the shadow GDT or IDT for a new GDTR/IDTR - so an emulator only
 * says what the instruction means.
 *
 * <p>Control registers are numbered as in MOV CRn: 0, 2, 3 and 4 (SDM Vol. 3A §2.5).
 */
public interface GuestCpu {
    /** The guest's current privilege level as the guest believes it: its kernel's ring 1 shows as 0. */
    int cpl();

    /** The guest's EFLAGS.IOPL (0-3), virtual: the real IOPL is 0 while the guest runs. */
    int iopl();

    /** The guest's EFLAGS.IF, virtual: the real IF stays 1 while the guest runs. */
    boolean interruptsEnabled();

    /**
     * Sets the guest's virtual IF. Turning it on also delays interrupts by one instruction, as
     * STI does (SDM Vol. 2B, STI: "the processor responds to interrupts after the next
     * instruction"), and lets an interrupt that waited be delivered.
     */
    void setInterruptFlag(boolean enabled);

    /** A general register. */
    int register(Reg32 r);

    void setRegister(Reg32 r, int value);

    /**
     * Reads {@code size} bytes (1, 2 or 4, little-endian) of guest memory at {@code segment}:{@code offset},
     * with the checks the CPU makes for the guest (segment limit, paging). A fault is thrown as
     * a {@link dev.vwb.machine.cpu.CpuFault}; let it go: the hypervisor gives it to the guest.
     */
    int read(SegReg segment, int offset, int size);

    /** The base address of a segment register's segment (to turn an offset into a linear address). */
    int segmentBase(SegReg segment);

    /** The guest's control register CRn (n = 0, 2, 3 or 4), virtual. */
    int controlRegister(int n);

    /**
     * Loads the guest's CRn (n = 0, 2, 3 or 4) with exactly {@code value}; for CR0, CR3 and CR4 the
     * hypervisor then rebuilds the real paging state (the shadow page tables) from it.
     */
    void setControlRegister(int n, int value);

    int gdtBase();

    int gdtLimit();

    int idtBase();

    int idtLimit();

    /** Loads the guest's GDTR; the hypervisor rebuilds its shadow GDT from the guest's table. */
    void loadGdtr(int base, int limit);

    /** Loads the guest's IDTR; the hypervisor rebuilds its shadow IDT from the guest's table. */
    void loadIdtr(int base, int limit);

    /** Drops the translation of the page holding {@code linear}: the shadow's entry and the real TLB's (INVLPG). */
    void invalidatePage(int linear);

    /** After this instruction, the guest waits for its next (virtual) interrupt, as HLT with IF = 1 does. */
    void waitForInterrupt();

    /** After this instruction, the guest is stopped for good, {@code why} reported (e.g. HLT with IF = 0: nothing can wake it). */
    void stopGuest(String why);
}
