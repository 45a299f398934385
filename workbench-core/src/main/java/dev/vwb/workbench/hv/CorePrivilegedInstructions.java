package dev.vwb.workbench.hv;

import dev.vwb.machine.cpu.Cpu;
import dev.vwb.machine.cpu.Reg32;

/**
 * The reference hypervisor's {@link PrivilegedInstructions}: each instruction's rule from the
 * SDM (Vol. 2), applied to the guest's virtual state.
 */
final class CorePrivilegedInstructions implements PrivilegedInstructions {
    static final CorePrivilegedInstructions INSTANCE = new CorePrivilegedInstructions();
    private static final int CR0_TS = 1 << 3;
    /** LMSW loads the machine status word's PE, MP, EM and TS (CR0 bits 0-3). */
    private static final int MSW_BITS = 0xF;

    @Override
    public Outcome emulate(TrappedInstruction insn, GuestCpu cpu) {
        String op = insn.op();
        if (op.equals("CLI") || op.equals("STI")) {
            // CLI and STI are allowed where CPL <= IOPL (SDM Vol. 2A, CLI): then only the
            // virtual IF changes; elsewhere the #GP is the guest's.
            if (cpu.cpl() > cpu.iopl()) {
                return NOT_MINE;
            }
            cpu.setInterruptFlag(op.equals("STI"));
            return new Emulated("virtual IF = " + (op.equals("STI") ? 1 : 0));
        }
        if (cpu.cpl() != 0) {
            return NOT_MINE;  // the rest are privileged at every CPL but 0: the guest's user code gets its #GP
        }
        switch (op) {
            case "HLT":
                if (!cpu.interruptsEnabled()) {
                    cpu.stopGuest(String.format("HLT at %08X with (virtual) interrupts disabled", insn.eip()));
                    return new Emulated("halted with interrupts disabled: the guest is done");
                }
                cpu.waitForInterrupt();
                return new Emulated("waiting for the next virtual interrupt");
            case "MOV_CR_R":
                return writeCr(cpu, insn.reg(), cpu.register(insn.rmRegister()));
            case "MOV_R_CR":
                cpu.setRegister(insn.rmRegister(), cpu.controlRegister(insn.reg()));
                return new Emulated("read virtual CR" + insn.reg());
            case "LGDT":
            case "LIDT":
                return loadTable(insn, cpu, op.equals("LGDT"));
            case "LMSW": {
                int msw = insn.memoryOperand() ? cpu.read(insn.segment(), insn.offset(), 2) : cpu.register(insn.rmRegister());
                int cr0 = cpu.controlRegister(0);
                // LMSW sets PE but cannot clear it (SDM Vol. 2A, LMSW).
                return writeCr(cpu, 0, (cr0 & ~MSW_BITS) | (msw & MSW_BITS) | (cr0 & Cpu.CR0_PE));
            }
            case "CLTS":
                return writeCr(cpu, 0, cpu.controlRegister(0) & ~CR0_TS);
            case "INVLPG": {
                int linear = cpu.segmentBase(insn.segment()) + insn.offset();
                cpu.invalidatePage(linear);
                return new Emulated("TLB entry of " + PrivilegedEmulator.hex8(linear) + " dropped");
            }
            default:
                return NOT_MINE;
        }
    }

    /** MOV CRn: CR0.ET is hardwired to 1 on the 486 (SDM Vol. 3A §2.5). */
    private static Outcome writeCr(GuestCpu cpu, int n, int value) {
        cpu.setControlRegister(n, n == 0 ? value | Cpu.CR0_ET : value);
        return new Emulated("virtual CR" + n + " = " + PrivilegedEmulator.hex8(cpu.controlRegister(n)));
    }

    /** LGDT/LIDT m16&32: a 2-byte limit, then the base; 24 bits of it with a 16-bit operand (SDM Vol. 2A, LGDT). */
    private static Outcome loadTable(TrappedInstruction insn, GuestCpu cpu, boolean gdt) {
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
        return new Emulated((gdt ? "virtual GDTR = " : "virtual IDTR = ") + PrivilegedEmulator.hex8(base) + "/"
                + PrivilegedEmulator.hex4(limit) + ", shadow rebuilt");
    }
}
