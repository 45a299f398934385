package dev.vwb.workbench.hv;

import dev.vwb.machine.cpu.Cpu;
import dev.vwb.machine.cpu.GuestInstruction;

/**
 * The checks that keep the guest out of the hypervisor's window where the shadows alone would
 * not (lesson 8, "Isolation"; the attack guests {@code attack-*} try each way in). The window
 * ({@link MonitorMemory}) is mapped at the top of every linear address space, writable at the
 * supervisor rings - ring 1, where the guest kernel runs, is one - so what keeps the guest out is
 * that nothing it uses reaches there. The rules are an {@link IsolationPolicy} (the reference's,
 * {@link ReferenceIsolation}, unless the hypervisor was booted with another): its frames go
 * through the p2m (the window's are not in it), its segments are cut short below the window
 * ({@link RingCompression}), its ports reach only the devices it is given ({@link GuestBus}), and:
 * <ul>
 *   <li>a hardware task switch, which the CPU runs with the guest's own tables loaded for one
 *       instruction (the guest's view, {@link ShadowTables#enterGuestView}), writes the outgoing
 *       registers into the current TSS, busy bits into the GDT, a back link into the new TSS,
 *       accessed bits into descriptors and an error code onto the new task's stack, all at
 *       linear addresses the guest chose: {@link #tableInWindow} and {@link #gateStackInWindow}
 *       must find none of them in the window before the switch runs;
 *   <li>a #GP or #SS whose memory operand lies in the window is the guest reaching for it (bare
 *       hardware might have let it): {@link #operandInWindow} names the address for the log.
 * </ul>
 */
final class Isolation {
    /** The window's first linear address. */
    static final long WINDOW = MonitorMemory.LINEAR & 0xFFFF_FFFFL;
    /** Where a TSS keeps the task's stack pointer and stack selector (SDM Vol. 3A Figures 7-2 and 7-11). */
    private static final int TSS32_ESP = 0x38, TSS32_SS = 0x50, TSS16_SP = 0x1A, TSS16_SS = 0x26;
    /** The largest frame a task gate's delivery pushes on the new task's stack: an error code (4), with room. */
    private static final int PUSHED = 8;

    private Isolation() {
    }


    /**
     * The first table a hardware task switch may read or write in the guest's view that reaches
     * the window - the GDT, the IDT, any present TSS or LDT the GDT describes (the current TSS
     * among them) - described for the log; null when there is none.
     */
    static String tableInWindow(VirtualCpu v, ShadowTables shadows) {
        IsolationPolicy p = shadows.policy();
        if (p.reachesWindow(v.gdtBase, v.gdtLimit + 1L)) {
            return "its GDT at " + PrivilegedEmulator.hex8(v.gdtBase);
        }
        if (p.reachesWindow(v.idtBase, v.idtLimit + 1L)) {
            return "its IDT at " + PrivilegedEmulator.hex8(v.idtBase);
        }
        for (int sel = 8; sel + 7 <= v.gdtLimit; sel += 8) {
            long d = shadows.guestDescriptor(sel);
            int type = RingCompression.type(d);
            boolean table = type == 1 || type == 2 || type == 3 || type == 9 || type == 0xB;
            if (RingCompression.system(d) && table && (d & RingCompression.PRESENT) != 0
                    && p.reachesWindow(RingCompression.base(d), RingCompression.limitBytes(d) + 1)) {
                return (type == 2 ? "the LDT" : "the TSS") + " of selector " + PrivilegedEmulator.hex4(sel) + " at "
                        + PrivilegedEmulator.hex8(RingCompression.base(d));
            }
        }
        return null;
    }

    /**
     * Where the error code of an exception delivered through a task gate would be pushed - the
     * new task's stack, SS:ESP from its TSS - when that reaches the window; else null.
     */
    static String gateStackInWindow(ShadowTables shadows, long gate) {
        IsolationPolicy p = shadows.policy();
        long tss = shadows.guestDescriptor((int) (gate >>> 16) & 0xFFF8);
        boolean tss32 = (RingCompression.type(tss) & 8) != 0;
        int base = RingCompression.base(tss);
        int sp = tss32 ? shadows.readGuest32(base + TSS32_ESP) : shadows.readGuest32(base + TSS16_SP) & 0xFFFF;
        long ss = shadows.guestDescriptor(shadows.readGuest32(base + (tss32 ? TSS32_SS : TSS16_SS)) & 0xFFF8);
        int top = RingCompression.base(ss) + sp - PUSHED;
        return p.reachesWindow(top, PUSHED) ? "the new task's stack at " + PrivilegedEmulator.hex8(top) : null;
    }

    /**
     * The linear address of {@code insn}'s memory operand (a ModRM operand, or the offset of
     * MOV AL/AX/EAX to or from memory) when it lies in the window, else -1. String instructions
     * are not looked at: their faults are reflected without the note.
     */
    static long operandInWindow(Cpu cpu, GuestInstruction insn, IsolationPolicy p) {
        int offset;
        if (insn.hasMemoryOperand()) {
            offset = insn.offset();
        } else if (insn.op().equals("MOV_A_MOFFS") || insn.op().equals("MOV_MOFFS_A")) {
            offset = moffs(insn);
        } else {
            return -1;
        }
        int linear = cpu.segmentBase(insn.segment()) + offset;
        return p.reachesWindow(linear, insn.operandSize()) ? linear & 0xFFFF_FFFFL : -1;
    }

    /** The offset of A0h-A3h: the instruction's last 4 bytes (2 with a 16-bit address size). */
    private static int moffs(GuestInstruction insn) {
        byte[] b = insn.bytes();
        int n = insn.addressSize32() ? 4 : 2;
        int v = 0;
        for (int k = 0; k < n; k++) {
            v |= (b[b.length - n + k] & 0xFF) << 8 * k;
        }
        return v;
    }
}
