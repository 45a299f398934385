package dev.vwb.workbench.hv;

import dev.vwb.machine.cpu.Cpu;
import dev.vwb.machine.cpu.CpuControl;
import dev.vwb.machine.cpu.DecodeFilter;
import dev.vwb.machine.cpu.Eflags;
import dev.vwb.machine.cpu.GuestInstruction;
import dev.vwb.machine.cpu.Reg32;
import dev.vwb.machine.cpu.SegReg;
import java.util.Set;

/**
 * The {@code patch} mode's minimal binary translator: x86's sensitive but unprivileged
 * instructions do not trap at ring 1 (Robin and Irvine's list; the reason x86 fails Popek and
 * Goldberg's condition), so before guest code first runs they are turned into traps, and each
 * trap is emulated by running the original instruction and correcting what it revealed or
 * ignored. The guest's memory is never written: the CPU's decoder does the replacing
 * ({@link DecodeFilter}), so the guest reads its code as it wrote it, and code it rewrites is
 * decoded and patched afresh.
 *
 * <p>What each would do wrong at ring 1 with the hypervisor's tables loaded: PUSHF shows the
 * real IF and IOPL; POPF and IRET silently keep them; SGDT, SIDT, SLDT and STR show the
 * hypervisor's tables; SMSW shows the real CR0; MOV from CS or SS and PUSH CS or SS show RPL 1;
 * LAR and LSL show the compressed privilege and truncated limit; a far CALL pushes CS with RPL 1.
 */
final class Patcher implements DecodeFilter {
    private static final Set<String> PATCHED = Set.of("PUSHF", "POPF", "IRET", "SGDT", "SIDT", "SLDT", "STR", "SMSW", "LAR", "LSL");
    /** System descriptor types LAR accepts (TSS, LDT, call and task gates) and LSL accepts (TSS, LDT). */
    private static final Set<Integer> LAR_SYSTEM_TYPES = Set.of(0x1, 0x2, 0x3, 0x4, 0x5, 0x9, 0xB, 0xC);
    private static final Set<Integer> LSL_SYSTEM_TYPES = Set.of(0x1, 0x2, 0x3, 0x9, 0xB);
    private static final int CS = SegReg.CS.ordinal();
    private static final int SS = SegReg.SS.ordinal();

    private final Cpu cpu;
    private final CpuControl control;
    private final VirtualCpu v;
    private final ShadowTables shadows;
    private long patched;

    Patcher(Cpu cpu, VirtualCpu v, ShadowTables shadows) {
        this.cpu = cpu;
        this.control = cpu.control();
        this.v = v;
        this.shadows = shadows;
    }

    @Override
    public boolean trap(GuestInstruction insn, int physical) {
        boolean p = sensitive(insn);
        if (p) {
            patched++;
        }
        return p;
    }

    /** How many instruction sites were patched so far (a site decoded again counts again). */
    long patchedSites() {
        return patched;
    }

    static boolean sensitive(GuestInstruction insn) {
        String op = insn.op();
        if (PATCHED.contains(op)) {
            return true;
        }
        boolean csOrSs = insn.reg() == CS || insn.reg() == SS;
        return op.equals("MOV_RM_SEG") && csOrSs || op.equals("PUSH_SEG") && (insn.opcode() == 0x0E || insn.opcode() == 0x16)
                || op.equals("CALL_FAR") || op.equals("CALL_FAR_M");
    }

    /** Emulates a patched instruction (it raised #UD); NOT_MINE when {@code insn} is no patched one. */
    Emulation emulate(GuestInstruction insn) {
        if (!sensitive(insn)) {
            return Emulation.NOT_MINE;
        }
        switch (insn.op()) {
            case "PUSHF": {
                control.execute(insn);
                int size = insn.operandSize();
                int esp = stackPointer();
                int pushed = control.read(SegReg.SS, esp, size);
                control.write(SegReg.SS, esp, size, v.guestEflags(pushed, v.interruptsEnabled()));
                return new Emulation.Done("pushed the virtual IF and IOPL");
            }
            case "POPF": {
                int value = control.read(SegReg.SS, stackPointer(), insn.operandSize());
                boolean was = v.interruptsEnabled();
                if (v.cpl() <= v.viopl) {
                    v.setInterruptFlag((value & Eflags.IF) != 0);
                }
                if (v.cpl() == 0) {
                    v.viopl = (value & Eflags.IOPL) >>> Eflags.IOPL_SHIFT;
                }
                control.execute(insn);
                if (!was && v.interruptsEnabled()) {
                    cpu.interruptRequested();
                }
                return new Emulation.Done("virtual IF = " + (v.interruptsEnabled() ? 1 : 0) + ", IOPL = " + v.viopl);
            }
            case "IRET":
                return iret(insn);
            case "SGDT":
            case "SIDT": {
                control.execute(insn);
                boolean gdt = insn.op().equals("SGDT");
                int base = gdt ? v.gdtBase : v.idtBase;
                control.write(insn.segment(), insn.offset(), 2, gdt ? v.gdtLimit : v.idtLimit);
                control.write(insn.segment(), insn.offset() + 2, 4, insn.operandSize() == 2 ? base & 0xFF_FFFF : base);
                return new Emulation.Done("stored the virtual " + (gdt ? "GDTR" : "IDTR"));
            }
            case "SLDT":
            case "STR":
            case "SMSW": {
                control.execute(insn);
                int value = switch (insn.op()) {
                    case "SLDT" -> v.ldtr;
                    case "STR" -> v.tr;
                    default -> cpu.cr0() & ~0xFFFF | v.cr0 & 0xFFFF;
                };
                store(insn, value, "SMSW".equals(insn.op()) ? 4 : 2);
                return new Emulation.Done("stored the virtual " + insn.op().substring(1));
            }
            case "LAR":
            case "LSL":
                return larLsl(insn);
            case "MOV_RM_SEG": {
                control.execute(insn);
                store(insn, VirtualCpu.guestSelector(cpu.selector(SegReg.values()[insn.reg()])), 2);
                return new Emulation.Done("stored the guest's view of " + SegReg.values()[insn.reg()]);
            }
            case "CALL_FAR":
            case "CALL_FAR_M": {
                // The return address's CS is the real one (RPL 1); through a call gate to an
                // inner ring the frame is on the new stack, as it is after native execution.
                int size = insn.operandSize();
                control.execute(insn);
                int esp = stackPointer();
                int pushed = control.read(SegReg.SS, esp + size, 2);
                control.write(SegReg.SS, esp + size, 2, VirtualCpu.guestSelector(pushed));
                return new Emulation.Done("pushed the guest's view of CS");
            }
            default: {  // PUSH CS, PUSH SS
                control.execute(insn);
                int esp = stackPointer();
                int pushed = control.read(SegReg.SS, esp, 2);
                control.write(SegReg.SS, esp, 2, VirtualCpu.guestSelector(pushed));
                return new Emulation.Done("pushed the guest's view of the selector");
            }
        }
    }

    /**
     * IRET: the frame's EFLAGS image gives the virtual IF and IOPL (the real ones stay as they are:
     * at ring 1 IRET cannot change them); a CS with RPL 0 gets RPL 1; then the IRET runs.
     */
    private Emulation iret(GuestInstruction insn) {
        if ((cpu.eflags() & Eflags.NT) != 0) {
            return new Emulation.TaskSwitch();  // a return to the previous task, not through the stack
        }
        int size = insn.operandSize();
        int esp = stackPointer();
        int cs = control.read(SegReg.SS, esp + size, 2);
        int eflags = control.read(SegReg.SS, esp + 2 * size, size);
        boolean toUser = (cs & 3) == 3;
        // IRET changes IF only if CPL <= IOPL, and IOPL only at CPL 0 (SDM Vol. 2A, IRET).
        boolean mayChangeIf = v.cpl() <= v.viopl;
        if (v.cpl() == 0) {
            v.viopl = (eflags & Eflags.IOPL) >>> Eflags.IOPL_SHIFT;
        }
        boolean on = (eflags & Eflags.IF) != 0;
        if (!mayChangeIf) {
            on = v.interruptsEnabled();
        } else if (toUser) {
            v.userIf = on;
        } else {
            v.vif = on;
        }
        if ((cs & 3) == 0 && (cs & ~3) != 0) {
            control.write(SegReg.SS, esp + size, 2, cs | 1);
        }
        control.execute(insn);
        if (on) {
            cpu.interruptRequested();
        }
        return new Emulation.Done("returned to " + (toUser ? "user code" : "the guest kernel") + ", virtual IF = " + (on ? 1 : 0));
    }

    /**
     * LAR/LSL, worked out from the guest's own descriptor by the SDM's rules (Vol. 2A, LAR and
     * LSL): the selector must be in its table and name a type the instruction accepts, and unless
     * the segment is conforming code, its DPL must be at least the guest's CPL and the selector's
     * RPL. ZF says whether it was; the destination changes only then.
     */
    private Emulation larLsl(GuestInstruction insn) {
        boolean lar = insn.op().equals("LAR");
        int selector = insn.hasMemoryOperand() ? control.read(insn.segment(), insn.offset(), 2) & 0xFFFF
                : cpu.reg(Reg32.values()[insn.rm()]) & 0xFFFF;
        long d = shadows.guestDescriptor(selector);
        boolean ok = d != 0 || (selector & ~3) != 0 && shadows.guestDescriptorExists(selector);
        if (ok) {
            int type = RingCompression.type(d);
            boolean system = RingCompression.system(d);
            boolean conformingCode = !system && (type & 0xC) == 0xC;
            boolean typeOk = !system || (lar ? LAR_SYSTEM_TYPES : LSL_SYSTEM_TYPES).contains(type);
            int dpl = RingCompression.dpl(d);
            ok = (selector & ~3) != 0 && typeOk && (conformingCode || dpl >= v.cpl() && dpl >= (selector & 3));
        }
        int flags = cpu.eflags();
        cpu.setEflags(ok ? flags | Eflags.ZF : flags & ~Eflags.ZF);
        if (ok) {
            int value = lar ? (int) (d >>> 32) & 0x00F0_FF00 : (int) RingCompression.limitBytes(d);
            Reg32 r = Reg32.values()[insn.reg()];
            int size = insn.operandSize();
            cpu.setReg(r, size == 4 ? value : (cpu.reg(r) & 0xFFFF_0000) | (value & 0xFFFF));
        }
        cpu.setEip(insn.nextEip());
        control.retire(insn);
        return new Emulation.Done((ok ? "ZF = 1, " : "ZF = 0, ") + "from the guest's own descriptor");
    }

    /** Writes a stored value where the instruction stored it: 16 bits to memory, the operand size to a register. */
    private void store(GuestInstruction insn, int value, int registerSizeFor32) {
        if (insn.hasMemoryOperand()) {
            control.write(insn.segment(), insn.offset(), 2, value);
        } else {
            Reg32 r = Reg32.values()[insn.rm()];
            if (insn.operandSize() == 4) {
                cpu.setReg(r, registerSizeFor32 == 4 ? value : value & 0xFFFF);
            } else {
                cpu.setReg(r, (cpu.reg(r) & 0xFFFF_0000) | (value & 0xFFFF));
            }
        }
    }

    private int stackPointer() {
        return control.stackPointer();
    }
}
