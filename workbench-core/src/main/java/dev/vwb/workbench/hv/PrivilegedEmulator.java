package dev.vwb.workbench.hv;

import dev.vwb.machine.cpu.Cpu;
import dev.vwb.machine.cpu.CpuControl;
import dev.vwb.machine.cpu.CpuFault;
import dev.vwb.machine.cpu.Eflags;
import dev.vwb.machine.cpu.GuestInstruction;
import dev.vwb.machine.cpu.Reg32;
import dev.vwb.machine.cpu.SegReg;
import dev.vwb.machine.StopReason;
import dev.vwb.machine.cpu.Vectors;

/**
 * Emulates what the guest kernel may do at ring 0 but really does at ring 1, where it raises
 * #GP: the privileged instructions (against the {@link VirtualCpu}), port I/O (against the
 * machine's devices, with the guest's IOPL and I/O bitmap; a port no device answers is answered
 * here as an empty ISA bus answers - all ones, writes dropped - and never reaches the host's bus),
 * and the transfers that fault only
 * because of ring compression (IRET or RETF to a selector with RPL 0, loading SS with one).
 * The rules are the SDM's for each instruction (Vol. 2), applied to the guest's privilege level.
 */
final class PrivilegedEmulator {
    private static final int CR0_TS = 1 << 3;
    private static final int MSR_TSC = 0x10;
    /** What a read of a port no device answers gives: the floating ISA bus's all ones (as the machine's I/O bus answers). */
    private static final int EMPTY_BUS = 0xFFFF_FFFF;

    private final Cpu cpu;
    private final CpuControl control;
    private final VirtualCpu v;
    private final ShadowTables shadows;
    private final GuestBus io;
    private final PrivilegedInstructions core;
    private final View view = new View();

    PrivilegedEmulator(Cpu cpu, VirtualCpu v, ShadowTables shadows, GuestBus io, PrivilegedInstructions core) {
        this.cpu = cpu;
        this.control = cpu.control();
        this.v = v;
        this.shadows = shadows;
        this.io = io;
        this.core = core;
    }

    /** The instructions {@link PrivilegedInstructions} emulates (at any guest privilege level). */
    static final java.util.Set<String> CORE = java.util.Set.of("CLI", "STI", "HLT", "MOV_CR_R", "MOV_R_CR", "LGDT", "LIDT",
            "LMSW", "CLTS", "INVLPG");

    /** Emulates {@code insn}, which raised #GP at the guest's current privilege level. */
    Emulation emulate(GuestInstruction insn) {
        if (CORE.contains(insn.op())) {
            return core(insn);
        }
        int cpl = v.cpl();
        switch (insn.op()) {
            case "IN_I":
            case "IN_DX":
            case "OUT_I":
            case "OUT_DX":
                return portIo(insn);
            case "INS":
            case "OUTS":
                return stringIo(insn);
            case "IRET":
                return returnFrame(insn, insn.operandSize(), true);
            case "RET_FAR":
                return returnFrame(insn, insn.operandSize(), false);
            case "MOV_SEG_RM":
            case "POP_SEG":
                return insn.reg() == SegReg.SS.ordinal() ? loadStack(insn) : Emulation.NOT_MINE;
            default:
                break;
        }
        if (cpl != 0) {
            return Emulation.NOT_MINE;  // the rest is privileged: the guest's user code gets its #GP
        }
        switch (insn.op()) {
            case "LLDT":
                v.ldtr = selectorOperand(insn);
                shadows.syncLdt();
                return done(insn, "LDTR = " + hex4(v.ldtr));
            case "LTR":
                return loadTaskRegister(insn);
            case "MOV_DR_R":
                // The debug registers are the guest's own: the hypervisor uses none of them.
                control.setDebugRegister(insn.reg(), cpu.reg(Reg32.values()[insn.rm()]));
                return done(insn, "DR" + insn.reg() + " written");
            case "MOV_R_DR":
                cpu.setReg(Reg32.values()[insn.rm()], control.debugRegister(insn.reg()));
                return done(insn, "read DR" + insn.reg());
            case "WBINVD":
            case "INVD":
                return done(insn, "nothing to do: no caches are modelled");
            case "RDMSR":
                if (cpu.reg(Reg32.ECX) != MSR_TSC) {
                    return new Emulation.Reflect(Vectors.GP, 0, "no such MSR");
                }
                long tsc = control.timeStampCounter();
                cpu.setReg(Reg32.EAX, (int) tsc);
                cpu.setReg(Reg32.EDX, (int) (tsc >>> 32));
                return done(insn, "read the time-stamp counter");
            case "WRMSR":
                // The 486 model has one MSR, the time-stamp counter (10h); others are #GP(0) as bare.
                if (cpu.reg(Reg32.ECX) != MSR_TSC) {
                    return new Emulation.Reflect(Vectors.GP, 0, "no such MSR");
                }
                control.setTimeStampCounter((long) cpu.reg(Reg32.EDX) << 32 | (cpu.reg(Reg32.EAX) & 0xFFFF_FFFFL));
                return done(insn, "wrote the time-stamp counter");
            default:
                return Emulation.NOT_MINE;
        }
    }

    // ---- the core privileged instructions: the PrivilegedInstructions extension point ------------------

    /** {@code insn} emulated by {@link #core}; what it asked of the guest (halt, stop) done once EIP is past it. */
    private Emulation core(GuestInstruction insn) {
        view.reset();
        PrivilegedInstructions.Outcome outcome = core.emulate(TrappedInstruction.of(insn), view);
        if (view.unsupported != null) {
            return new Emulation.Unsupported(view.unsupported);
        }
        if (outcome instanceof PrivilegedInstructions.Emulated e) {
            advance(insn);
            if (view.stop != null) {
                cpu.stopAfterInstruction(StopReason.HALTED, view.stop);
            } else if (view.halt) {
                control.halt();
            }
            return new Emulation.Done(e.action());
        }
        if (outcome instanceof PrivilegedInstructions.Fault f) {
            return new Emulation.Reflect(f.vector(), f.errorCode(), f.why());
        }
        if (outcome instanceof PrivilegedInstructions.NotMine) {
            return Emulation.NOT_MINE;
        }
        throw new IllegalStateException("the privileged-instruction emulator returned " + outcome + " for " + insn.op());
    }

    /** The guest's CPU as {@link PrivilegedInstructions} sees it: the real registers and memory, the virtual privileged state. */
    private final class View implements GuestCpu {
        private boolean halt;
        private String stop;
        private String unsupported;

        void reset() {
            halt = false;
            stop = null;
            unsupported = null;
        }

        @Override
        public int cpl() {
            return v.cpl();
        }

        @Override
        public int iopl() {
            return v.viopl;
        }

        @Override
        public boolean interruptsEnabled() {
            return v.interruptsEnabled();
        }

        @Override
        public void setInterruptFlag(boolean on) {
            boolean was = v.interruptsEnabled();
            v.setInterruptFlag(on);
            if (on && !was) {
                control.inhibitInterruptsForOneInstruction();  // STI's shadow: interrupts after the next instruction
                cpu.interruptRequested();
            }
        }

        @Override
        public int register(Reg32 r) {
            return cpu.reg(r);
        }

        @Override
        public void setRegister(Reg32 r, int value) {
            cpu.setReg(r, value);
        }

        @Override
        public int read(SegReg segment, int offset, int size) {
            return PrivilegedEmulator.this.read(segment, offset, size);
        }

        @Override
        public int segmentBase(SegReg segment) {
            return cpu.segmentBase(segment);
        }

        @Override
        public int controlRegister(int n) {
            return switch (n) {
                case 0 -> v.cr0;
                case 2 -> v.cr2;
                case 3 -> v.cr3;
                case 4 -> v.cr4;
                default -> throw new IllegalArgumentException("no control register CR" + n + " on the 486");
            };
        }

        @Override
        public void setControlRegister(int n, int value) {
            switch (n) {
                case 0 -> {
                    if ((value & Cpu.CR0_PE) == 0) {
                        unsupported = "the guest left protected mode (CR0.PE = 0)";
                        return;
                    }
                    v.cr0 = value;
                    shadows.syncPaging();
                }
                case 2 -> {
                    v.cr2 = value;
                    control.setCr(2, value);
                }
                case 3 -> {
                    v.cr3 = value;
                    shadows.syncPaging();
                }
                case 4 -> {
                    v.cr4 = value;
                    shadows.syncPaging();
                }
                default -> throw new IllegalArgumentException("no control register CR" + n + " on the 486");
            }
        }

        @Override
        public int gdtBase() {
            return v.gdtBase;
        }

        @Override
        public int gdtLimit() {
            return v.gdtLimit;
        }

        @Override
        public int idtBase() {
            return v.idtBase;
        }

        @Override
        public int idtLimit() {
            return v.idtLimit;
        }

        @Override
        public void loadGdtr(int base, int limit) {
            v.gdtBase = base;
            v.gdtLimit = limit & 0xFFFF;
            shadows.syncGdt();
        }

        @Override
        public void loadIdtr(int base, int limit) {
            v.idtBase = base;
            v.idtLimit = limit & 0xFFFF;
            shadows.syncIdt();
        }

        @Override
        public void invalidatePage(int linear) {
            shadows.invalidate(linear);
        }

        @Override
        public void waitForInterrupt() {
            halt = true;
        }

        @Override
        public void stopGuest(String why) {
            stop = why;
        }
    }

    private Emulation loadTaskRegister(GuestInstruction insn) {
        int selector = selectorOperand(insn);
        int at = v.gdtBase + (selector & ~7);
        if ((selector & 4) != 0 || (selector & ~7) == 0 || (selector | 7) > v.gdtLimit) {
            return new Emulation.Reflect(Vectors.GP, selector & ~3, "LTR of a selector outside the GDT");
        }
        int high = shadows.readGuest32(at + 4);
        int type = (high >>> 8) & 0x1F;
        if (type != 0x09 && type != 0x01) {
            return new Emulation.Reflect(Vectors.GP, selector & ~3, "LTR of a descriptor that is no available TSS");
        }
        if ((high & 0x8000) == 0) {
            return new Emulation.Reflect(Vectors.NP, selector & ~3, "LTR of a TSS that is not present");
        }
        shadows.writeGuest32(at + 4, high | 0x200);  // busy, in the guest's own GDT (SDM Vol. 2A, LTR)
        v.tr = selector;
        shadows.syncRing1Stack();
        return done(insn, "virtual TR = " + hex4(selector) + " (its ring-0 stack becomes the real ring-1 stack)");
    }

    // ---- port I/O -------------------------------------------------------------------------------

    private Emulation portIo(GuestInstruction insn) {
        boolean in = insn.op().startsWith("IN");
        int port = insn.op().endsWith("_I") ? insn.immediate() & 0xFF : cpu.reg(Reg32.EDX) & 0xFFFF;
        int size = insn.operandSize();
        if (!ioAllowed(port, size)) {
            return Emulation.NOT_MINE;
        }
        int mask = size == 4 ? -1 : (1 << 8 * size) - 1;
        boolean device = io.reachable(port);
        int value;
        if (in) {
            value = (device ? io.in(port, size) : EMPTY_BUS) & mask;
            int eax = cpu.reg(Reg32.EAX);
            cpu.setReg(Reg32.EAX, (eax & ~mask) | value);
        } else {
            value = cpu.reg(Reg32.EAX) & mask;
            if (device) {
                io.out(port, size, value);
            }
        }
        advance(insn);
        String action = (in ? "in " : "out ") + hex4(port) + (in ? " -> " : " <- ") + Integer.toHexString(value);
        return device ? new Emulation.PortAccess(action, port, size, in, value)
                : new Emulation.NoDevice(action + " (no device: " + (in ? "all ones" : "dropped") + ")", port, size, in, value);
    }

    /** INS and OUTS, with REP: one element at a time, registers updated as each completes (a fault resumes there). */
    private Emulation stringIo(GuestInstruction insn) {
        boolean in = insn.op().equals("INS");
        int port = cpu.reg(Reg32.EDX) & 0xFFFF;
        int size = insn.operandSize();
        if (!ioAllowed(port, size)) {
            return Emulation.NOT_MINE;
        }
        boolean a32 = insn.addressSize32();
        boolean device = io.reachable(port);
        int mask = size == 4 ? -1 : (1 << 8 * size) - 1;
        int step = (cpu.eflags() & Eflags.DF) != 0 ? -size : size;
        Reg32 index = in ? Reg32.EDI : Reg32.ESI;
        int last = 0;
        int count = 0;
        while (true) {
            if (insn.rep() != 0) {
                int c = a32 ? cpu.reg(Reg32.ECX) : cpu.reg(Reg32.ECX) & 0xFFFF;
                if (c == 0) {
                    break;
                }
            }
            int at = a32 ? cpu.reg(index) : cpu.reg(index) & 0xFFFF;
            if (in) {
                last = (device ? io.in(port, size) : EMPTY_BUS) & mask;
                write(SegReg.ES, at, size, last);  // INS always writes ES:(E)DI
            } else {
                last = read(insn.segment(), at, size);
                if (device) {
                    io.out(port, size, last);
                }
            }
            setIndex(index, a32, at + step);
            count++;
            if (insn.rep() == 0) {
                break;
            }
            int c = cpu.reg(Reg32.ECX) - 1;
            cpu.setReg(Reg32.ECX, a32 ? c : (cpu.reg(Reg32.ECX) & 0xFFFF_0000) | (c & 0xFFFF));
        }
        advance(insn);
        String action = (in ? "ins " : "outs ") + hex4(port) + " x" + count;
        return device ? new Emulation.PortAccess(action, port, size, in, last)
                : new Emulation.NoDevice(action + " (no device: " + (in ? "all ones" : "dropped") + ")", port, size, in, last);
    }

    private void setIndex(Reg32 r, boolean a32, int value) {
        cpu.setReg(r, a32 ? value : (cpu.reg(r) & 0xFFFF_0000) | (value & 0xFFFF));
    }

    /**
     * Whether the guest may use the ports: CPL ≤ IOPL, else the guest TSS's I/O permission bitmap
     * allows every one of them (SDM Vol. 1 §19.5.2).
     */
    private boolean ioAllowed(int port, int size) {
        if (v.cpl() <= v.viopl) {
            return true;
        }
        if ((v.tr & ~3) == 0) {
            return false;
        }
        long d = shadows.guestDescriptor(v.tr & ~3);
        int base = RingCompression.base(d);
        long limit = RingCompression.limitBytes(d);
        int map = shadows.readGuest32(base + 0x64) >>> 16;
        long first = map + port / 8;
        long lastByte = map + (port + size - 1) / 8;
        if (lastByte > limit) {
            return false;
        }
        int bits = shadows.readGuest32(base + (int) first) & 0xFFFF;
        int mask = ((1 << size) - 1) << (port & 7);
        return (bits & mask) == 0;
    }

    // ---- transfers that fault because of ring compression -----------------------------------------

    /**
     * IRET or RETF that faulted: when the frame returns to the guest kernel (a CS with RPL 0,
     * which ring 1 may not load), it is given RPL 1 and the instruction retried; IRET's EFLAGS
     * image gives the virtual IF and IOPL.
     */
    private Emulation returnFrame(GuestInstruction insn, int size, boolean iret) {
        int esp = control.stackPointer();
        int cs = read(SegReg.SS, esp + size, size) & 0xFFFF;
        if ((cs & 3) != 0 || (cs & ~3) == 0) {
            return Emulation.NOT_MINE;  // not ring compression's doing: the guest's own fault
        }
        write(SegReg.SS, esp + size, 2, cs | 1);
        String flags = "";
        if (iret) {
            int eflags = read(SegReg.SS, esp + 2 * size, size);
            v.vif = (eflags & Eflags.IF) != 0;
            if (v.cpl() == 0) {
                v.viopl = (eflags & Eflags.IOPL) >>> Eflags.IOPL_SHIFT;
            }
            if (v.vif) {
                cpu.interruptRequested();
            }
            flags = ", virtual IF = " + (v.vif ? 1 : 0);
        }
        return new Emulation.Retry("return frame's CS " + hex4(cs) + " -> " + hex4(cs | 1) + flags + ", retried");
    }

    /** MOV SS or POP SS with a selector of RPL 0: loaded with RPL 1, where the guest kernel really runs. */
    private Emulation loadStack(GuestInstruction insn) {
        int selector;
        boolean pop = insn.op().equals("POP_SEG");
        if (pop) {
            selector = read(SegReg.SS, cpu.reg(Reg32.ESP), 2);
        } else {
            selector = insn.hasMemoryOperand() ? read(insn.segment(), insn.offset(), 2) : cpu.reg(Reg32.values()[insn.rm()]) & 0xFFFF;
        }
        if ((selector & 3) != 0 || v.cpl() != 0 || (selector & ~3) == 0) {
            return Emulation.NOT_MINE;
        }
        try {
            control.loadSegment(SegReg.SS, selector | 1);
        } catch (CpuFault f) {
            return new Emulation.Reflect(f.vector(), f.errorCode(), "loading SS faults as it would bare");
        }
        if (pop) {
            cpu.setReg(Reg32.ESP, cpu.reg(Reg32.ESP) + insn.operandSize());
        }
        control.inhibitInterruptsForOneInstruction();  // as a load of SS does
        return done(insn, "SS = " + hex4(selector | 1) + " (the guest's " + hex4(selector) + " at ring 1)");
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private int selectorOperand(GuestInstruction insn) {
        return insn.hasMemoryOperand() ? read(insn.segment(), insn.offset(), 2) & 0xFFFF
                : cpu.reg(Reg32.values()[insn.rm()]) & 0xFFFF;
    }

    private Emulation done(GuestInstruction insn, String action) {
        advance(insn);
        return new Emulation.Done(action);
    }

    private void advance(GuestInstruction insn) {
        cpu.setEip(insn.nextEip());
        control.retire(insn);
    }

    private int read(SegReg s, int offset, int size) {
        return control.read(s, offset, size);
    }

    private void write(SegReg s, int offset, int size, int value) {
        control.write(s, offset, size, value);
    }

    /** Exits are counted in microseconds: no String.format in their descriptions. */
    private static final java.util.HexFormat HEX = java.util.HexFormat.of().withUpperCase();

    /** Four hex digits. */
    static String hex4(int v) {
        return HEX.toHexDigits((short) v);
    }

    static String hex8(int v) {
        return HEX.toHexDigits(v);
    }

    /** A fault while emulating becomes the guest's: e.g. a page fault reading LGDT's operand. */
    static Emulation reflect(CpuFault f) {
        return new Emulation.Reflect(f.vector(), f.errorCode(), "while emulating: " + f.getMessage());
    }
}
