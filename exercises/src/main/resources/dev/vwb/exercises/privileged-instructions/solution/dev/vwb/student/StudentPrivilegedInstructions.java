package dev.vwb.student;

import dev.vwb.workbench.hv.GuestCpu;
import dev.vwb.workbench.hv.PrivilegedInstructions;
import dev.vwb.workbench.hv.TrappedInstruction;

/**
 * Exercise "privileged-instructions" (lesson 2, trap-and-emulate): the reference solution.
 *
 * <p>The guest kernel runs at ring 1, so each privileged instruction raises #GP (Intel SDM Vol. 3A
 * §5.9) and comes here; each is done to the guest's virtual CPU as the SDM's Vol. 2 page for it
 * says it is done to a real one.
 */
public final class StudentPrivilegedInstructions implements PrivilegedInstructions {
    /** CR0.PE, bit 0: protection enable (SDM Vol. 3A §2.5). */
    static final int CR0_PE = 1 << 0;
    /** CR0.TS, bit 3: task switched. */
    static final int CR0_TS = 1 << 3;
    /** CR0.ET, bit 4: extension type - hardwired to 1 on the 486 (writes cannot clear it). */
    static final int CR0_ET = 1 << 4;
    /** The machine status word's bits in CR0 that LMSW loads: PE, MP, EM, TS. */
    static final int MSW_BITS = 0xF;

    @Override
    public Outcome emulate(TrappedInstruction insn, GuestCpu cpu) {
        if (insn.op().equals("CLI") || insn.op().equals("STI")) {
            return interruptFlag(cpu, insn.op().equals("STI"));
        }
        if (cpu.cpl() != 0) {
            return NOT_MINE;  // privileged at every CPL but 0: the guest's user code gets its #GP
        }
        switch (insn.op()) {
            case "HLT":
                return halt(insn, cpu);
            case "MOV_CR_R":
                return writeControlRegister(cpu, insn.reg(), cpu.register(insn.rmRegister()));
            case "MOV_R_CR":
                cpu.setRegister(insn.rmRegister(), cpu.controlRegister(insn.reg()));
                return new Emulated("read virtual CR" + insn.reg());
            case "LGDT":
                return loadTableRegister(insn, cpu, true);
            case "LIDT":
                return loadTableRegister(insn, cpu, false);
            case "LMSW":
                return loadMachineStatusWord(insn, cpu);
            case "CLTS":
                return writeControlRegister(cpu, 0, cpu.controlRegister(0) & ~CR0_TS);
            case "INVLPG": {
                int linear = cpu.segmentBase(insn.segment()) + insn.offset();
                cpu.invalidatePage(linear);
                return new Emulated("TLB entry of " + hex(linear) + " dropped");
            }
            default:
                return NOT_MINE;
        }
    }

    /** CLI and STI where CPL <= IOPL change the virtual IF only; elsewhere they raise #GP bare too. */
    private Outcome interruptFlag(GuestCpu cpu, boolean enable) {
        if (cpu.cpl() > cpu.iopl()) {
            return NOT_MINE;
        }
        cpu.setInterruptFlag(enable);
        return new Emulated("virtual IF = " + (enable ? 1 : 0));
    }

    /** HLT waits for the next interrupt; with the virtual IF clear none can come: the guest is done. */
    private Outcome halt(TrappedInstruction insn, GuestCpu cpu) {
        if (!cpu.interruptsEnabled()) {
            cpu.stopGuest("HLT at " + hex(insn.eip()) + " with (virtual) interrupts disabled");
            return new Emulated("halted with interrupts disabled: the guest is done");
        }
        cpu.waitForInterrupt();
        return new Emulated("waiting for the next virtual interrupt");
    }

    /** MOV CRn: CR0.ET reads as 1 whatever is written (the 486). */
    private Outcome writeControlRegister(GuestCpu cpu, int n, int value) {
        cpu.setControlRegister(n, n == 0 ? value | CR0_ET : value);
        return new Emulated("virtual CR" + n + " = " + hex(cpu.controlRegister(n)));
    }

    /** LGDT/LIDT m16&32: a 2-byte limit, then the base - 24 bits of it with a 16-bit operand size. */
    private Outcome loadTableRegister(TrappedInstruction insn, GuestCpu cpu, boolean gdt) {
        int limit = cpu.read(insn.segment(), insn.offset(), 2);
        int base = cpu.read(insn.segment(), insn.offset() + 2, 4);
        if (insn.operandSize() == 2) {
            base &= 0xFF_FFFF;
        }
        if (gdt) {
            cpu.loadGdtr(base, limit);
        } else {
            cpu.loadIdtr(base, limit);
        }
        return new Emulated((gdt ? "virtual GDTR = " : "virtual IDTR = ") + hex(base) + "/" + Integer.toHexString(limit));
    }

    /** LMSW loads PE, MP, EM and TS; it can set PE but never clear it. */
    private Outcome loadMachineStatusWord(TrappedInstruction insn, GuestCpu cpu) {
        int msw = insn.memoryOperand() ? cpu.read(insn.segment(), insn.offset(), 2) : cpu.register(insn.rmRegister());
        int cr0 = cpu.controlRegister(0);
        return writeControlRegister(cpu, 0, (cr0 & ~MSW_BITS) | (msw & MSW_BITS) | (cr0 & CR0_PE));
    }

    /** Eight hex digits, for the actions the exit log shows: {@code hex(0x10)} is "00000010". */
    static String hex(int value) {
        return String.format("%08X", value);
    }
}
