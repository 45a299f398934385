package dev.vwb.student;

import dev.vwb.workbench.hv.GuestCpu;
import dev.vwb.workbench.hv.PrivilegedInstructions;
import dev.vwb.workbench.hv.TrappedInstruction;

/**
 * Exercise "privileged-instructions" (lesson 2, trap-and-emulate).
 *
 * <p>The guest kernel believes it runs at ring 0, but the hypervisor runs it at ring 1. Every
 * privileged instruction it executes therefore raises #GP (Intel SDM Vol. 3A §5.9) and the
 * hypervisor calls {@link #emulate} with the decoded instruction and the guest's CPU: your job is
 * to do to the guest's <em>virtual</em> CPU what the instruction would have done to a real one.
 *
 * <p>Rules that hold for every instruction here:
 * <ul>
 *   <li>Return {@link Emulated} once you have done the instruction's work: the hypervisor then moves
 *       EIP past it ({@code insn.nextEip()}) and counts it as retired. Do not touch EIP yourself.</li>
 *   <li>Return {@link #NOT_MINE} when the #GP is the guest's own - at guest CPL 1-3 every one of these
 *       instructions but CLI/STI faults on bare hardware too, so the guest must get its #GP.</li>
 *   <li>Guest memory reads ({@code cpu.read}) may throw a {@code CpuFault}: let it propagate, the
 *       hypervisor reflects it to the guest as the real CPU would.</li>
 * </ul>
 *
 * <p>Run the public tests with {@code ./vwb exercise check} (or {@code mvn test}).
 */
public final class StudentPrivilegedInstructions implements PrivilegedInstructions {
    /** CR0.PE, bit 0: protection enable (SDM Vol. 3A §2.5). */
    static final int CR0_PE = 1 << 0;
    /** CR0.TS, bit 3: task switched. */
    static final int CR0_TS = 1 << 3;
    /** CR0.ET, bit 4: extension type - hardwired to 1 on the 486 (writes cannot clear it). */
    static final int CR0_ET = 1 << 4;

    @Override
    public Outcome emulate(TrappedInstruction insn, GuestCpu cpu) {
        switch (insn.op()) {
            case "CLI":
                return interruptFlag(cpu, false);
            case "STI":
                return interruptFlag(cpu, true);
            case "HLT":
                return halt(insn, cpu);
            case "MOV_CR_R":
                return moveToControlRegister(insn, cpu);
            case "MOV_R_CR":
                return moveFromControlRegister(insn, cpu);
            case "LGDT":
                return loadTableRegister(insn, cpu, true);
            case "LIDT":
                return loadTableRegister(insn, cpu, false);
            case "LMSW":
                return loadMachineStatusWord(insn, cpu);
            case "CLTS":
                return clearTaskSwitched(cpu);
            case "INVLPG":
                return invalidatePage(insn, cpu);
            default:
                return NOT_MINE;
        }
    }

    /**
     * CLI / STI (SDM Vol. 2A "CLI", Vol. 2B "STI"). Allowed when CPL <= IOPL; otherwise they raise
     * #GP on bare hardware too. When allowed, only the guest's virtual IF changes
     * ({@code cpu.setInterruptFlag}, which also applies STI's one-instruction interrupt shadow).
     * Use {@code cpu.cpl()} and {@code cpu.iopl()}.
     */
    private Outcome interruptFlag(GuestCpu cpu, boolean enable) {
        // TODO: NOT_MINE when CPL > IOPL; else set the virtual IF and return new Emulated("virtual IF = ...").
        throw new UnsupportedOperationException("TODO: CLI/STI");
    }

    /**
     * HLT (SDM Vol. 2A "HLT"): privileged (CPL 0 only). The CPU stops until an interrupt arrives.
     * If the guest's virtual IF is set, ask the hypervisor to wait for the next virtual interrupt
     * ({@code cpu.waitForInterrupt()}); if it is clear, nothing can ever wake the guest: stop it
     * ({@code cpu.stopGuest(why)}). Either way the instruction is emulated.
     */
    private Outcome halt(TrappedInstruction insn, GuestCpu cpu) {
        // TODO
        throw new UnsupportedOperationException("TODO: HLT");
    }

    /**
     * MOV CRn, r32 (SDM Vol. 2A "MOV - Move to/from Control Registers"): privileged. The control
     * register's number is {@code insn.reg()}, the source register {@code insn.rmRegister()}.
     * Load the virtual CRn with {@code cpu.setControlRegister(n, value)}; the hypervisor rebuilds
     * its shadow page tables. Remember that CR0.ET reads as 1 whatever is written (the 486).
     */
    private Outcome moveToControlRegister(TrappedInstruction insn, GuestCpu cpu) {
        // TODO
        throw new UnsupportedOperationException("TODO: MOV CRn, r32");
    }

    /** MOV r32, CRn: privileged; the destination register {@code insn.rmRegister()} gets the virtual CRn. */
    private Outcome moveFromControlRegister(TrappedInstruction insn, GuestCpu cpu) {
        // TODO
        throw new UnsupportedOperationException("TODO: MOV r32, CRn");
    }

    /**
     * LGDT / LIDT m16&32 (SDM Vol. 2A "LGDT/LIDT"): privileged. The operand at
     * {@code insn.segment()}:{@code insn.offset()} is a 2-byte limit followed by a 4-byte base.
     * With a 16-bit operand size ({@code insn.operandSize() == 2}) only 24 bits of the base are
     * loaded (the high byte becomes 0). Load with {@code cpu.loadGdtr} / {@code cpu.loadIdtr}.
     */
    private Outcome loadTableRegister(TrappedInstruction insn, GuestCpu cpu, boolean gdt) {
        // TODO
        throw new UnsupportedOperationException("TODO: LGDT/LIDT");
    }

    /**
     * LMSW r/m16 (SDM Vol. 2A "LMSW"): privileged. Loads CR0 bits 0-3 (PE, MP, EM, TS) from the
     * operand (memory: {@code cpu.read(insn.segment(), insn.offset(), 2)}; register:
     * {@code insn.rmRegister()}), leaves the other bits as they are, and can set PE but never clear it.
     */
    private Outcome loadMachineStatusWord(TrappedInstruction insn, GuestCpu cpu) {
        // TODO
        throw new UnsupportedOperationException("TODO: LMSW");
    }

    /** CLTS (SDM Vol. 2A "CLTS"): privileged; clears CR0.TS and nothing else. */
    private Outcome clearTaskSwitched(GuestCpu cpu) {
        // TODO
        throw new UnsupportedOperationException("TODO: CLTS");
    }

    /**
     * INVLPG m (SDM Vol. 2A "INVLPG"): privileged. Drops the translation of the page holding the
     * operand's <em>linear</em> address: its segment's base ({@code cpu.segmentBase(insn.segment())})
     * plus its offset. Use {@code cpu.invalidatePage(linear)}. Nothing is read from memory.
     */
    private Outcome invalidatePage(TrappedInstruction insn, GuestCpu cpu) {
        // TODO
        throw new UnsupportedOperationException("TODO: INVLPG");
    }

    /** Eight hex digits, for the actions the exit log shows: {@code hex(0x10)} is "00000010". */
    static String hex(int value) {
        return String.format("%08X", value);
    }
}
