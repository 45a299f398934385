package dev.vwb.workbench.hv;

import dev.vwb.machine.cpu.Cpu;
import dev.vwb.machine.cpu.CpuFault;
import dev.vwb.machine.cpu.Eflags;
import dev.vwb.machine.cpu.ExceptionEvent;
import dev.vwb.machine.cpu.ExceptionInterceptor;
import dev.vwb.machine.cpu.GuestInstruction;

/**
 * Hardware task switches, run "in the guest's view". The shadow tables make every TSS descriptor
 * and task gate not present, so the CPU never switches tasks with the hypervisor's tables loaded
 * (it would save the guest into the hypervisor's TSS); a far JMP or CALL to a TSS or task gate,
 * IRET with NT set, and an event whose IDT gate is a task gate fault instead, and come here. The
 * switch is then run by the CPU itself, for one instruction or delivery, with the guest's own GDT,
 * IDT, TR and LDT loaded ({@link ShadowTables#enterGuestView}): the outgoing state goes into the
 * guest's TSS, the incoming one comes from the new TSS, busy flags and back link as the SDM says
 * (Vol. 3A §7.3). Everything the switch touches is filled in the shadow beforehand, since a page
 * fault once it has begun could not be retried, and checked against the hypervisor's window
 * ({@link Isolation}). An exception raised while the guest's view is loaded belongs to the new
 * task: it waits until the hypervisor's set-up is back ({@link #interceptDuringSwitch}).
 */
final class TaskSwitches extends Mechanism {
    private final PageFaults pageFaults;
    /** A task switch is running in the guest's view; an exception raised meanwhile waits in {@link #deferred}. */
    private boolean inGuestView;
    private ExceptionEvent deferred;
    /** The next event is the one the hypervisor itself raises through a task gate: let it through. */
    private boolean passThrough;

    TaskSwitches(Cpu cpu, VirtualCpu vcpu, ShadowTables shadows, ShadowPager pager, Exits exits, PageFaults pageFaults) {
        super(cpu, vcpu, shadows, pager, exits);
        this.pageFaults = pageFaults;
    }

    /** Whether a task switch is running in the guest's view (a delivery then leaves no frame to fix). */
    boolean inGuestView() {
        return inGuestView;
    }

    /**
     * The decision for an event the interceptor sees while a task switch runs in the guest's view,
     * or null when none runs: the event the hypervisor raised through a task gate itself is let
     * through; any other is kept, to be delivered in the new task once the switch is over.
     */
    ExceptionInterceptor.Decision interceptDuringSwitch(ExceptionEvent event) {
        if (passThrough) {
            passThrough = false;  // the event the hypervisor raised in the guest's view itself
            return ExceptionInterceptor.Decision.DELIVER;
        }
        if (inGuestView) {
            // Raised inside a task switch, in the new task: delivered once the hypervisor's
            // tables are back (see taskSwitch).
            deferred = event;
            return ExceptionInterceptor.Decision.HANDLED;
        }
        return null;
    }

    /**
     * Whether {@code insn} faulted because it switches tasks, which the shadow tables keep the
     * CPU from doing by itself: a far JMP or CALL to a TSS or task gate, or IRET with NT set.
     */
    boolean switchesTasks(GuestInstruction insn, ExceptionEvent event) {
        String op = insn.op();
        if (op.equals("IRET")) {
            return (cpu.eflags() & Eflags.NT) != 0;
        }
        return (op.startsWith("JMP_FAR") || op.startsWith("CALL_FAR")) && taskSwitchTarget(event.errorCode());
    }

    /** Whether {@code gate}, an IDT entry, is a present task gate. */
    static boolean throughTaskGate(long gate) {
        return RingCompression.system(gate) && RingCompression.type(gate) == 0x5 && (gate & RingCompression.PRESENT) != 0;
    }

    /**
     * A hardware task switch by {@code insn}, run by the CPU itself in the guest's view. A fault
     * before the switch belongs to the old task; one while loading the new task's segments is
     * delivered in the new task, after the hypervisor's set-up is back.
     */
    ExceptionInterceptor.Decision taskSwitch(GuestInstruction insn, long start) {
        String reach = Isolation.tableInWindow(vcpu, shadows);
        if (reach != null) {
            return exits.contain(insn, "a task switch would have the CPU use " + reach + ", in the hypervisor's window", start);
        }
        int from = vcpu.tr;
        CpuFault fault = null;
        prefaultSystemTables();
        shadows.enterGuestView();
        inGuestView = true;
        try {
            control.execute(insn);
        } catch (CpuFault f) {
            fault = f;
        } finally {
            inGuestView = false;
            shadows.leaveGuestView();
        }
        exits.record(new VmExit.PrivilegedInstruction(exits.site(insn, fault != null ? "task switch refused: " + fault.getMessage()
                : "hardware task switch in the guest's view: TR " + PrivilegedEmulator.hex4(from) + " -> "
                + PrivilegedEmulator.hex4(vcpu.tr), System.nanoTime() - start), insn.op()));
        ExceptionEvent pending = deferred;
        deferred = null;
        if (fault != null && pageFaults.fillIfHidden(fault)) {
            return ExceptionInterceptor.Decision.HANDLED;  // a page the shadow lacked: the switch runs again
        }
        if (fault != null) {
            exits.reflectToGuest(fault.vector(), fault.errorCode());
        } else if (pending != null) {
            exits.reflectToGuest(pending.vector(), pending.errorCode());
        }
        return ExceptionInterceptor.Decision.HANDLED;
    }

    /** An event whose IDT gate is a task gate: delivered in the guest's view, where the CPU switches tasks itself. */
    ExceptionInterceptor.Decision taskGate(ExceptionEvent event, long start) {
        String reach = Isolation.tableInWindow(vcpu, shadows);
        if (reach == null && event.kind() == ExceptionEvent.Kind.EXCEPTION && event.hasErrorCode()) {
            reach = Isolation.gateStackInWindow(shadows, shadows.guestGate(event.vector()));
        }
        if (reach != null) {
            return exits.contain(null, "a task gate would have the CPU use " + reach + ", in the hypervisor's window", start);
        }
        int from = vcpu.tr;
        prefaultSystemTables();
        prefaultNewTaskStack(shadows.guestGate(event.vector()));
        shadows.enterGuestView();
        inGuestView = true;
        passThrough = true;
        try {
            control.raise(event.vector(), event.errorCode(), event.kind());
        } finally {
            passThrough = false;
            inGuestView = false;
            shadows.leaveGuestView();
        }
        exits.record(new VmExit.GuestException(exits.site(null, "through the guest's task gate: TR " + PrivilegedEmulator.hex4(from)
                + " -> " + PrivilegedEmulator.hex4(vcpu.tr), System.nanoTime() - start), event.vector(), event.errorCode()));
        ExceptionEvent pending = deferred;
        deferred = null;
        if (pending != null) {
            exits.reflectToGuest(pending.vector(), pending.errorCode());
        }
        return ExceptionInterceptor.Decision.HANDLED;
    }

    /** Whether the guest's descriptor for {@code selector} is a present TSS or task gate (made not present in the shadow). */
    private boolean taskSwitchTarget(int selector) {
        long d = shadows.guestDescriptor(selector & ~3);
        int type = RingCompression.type(d);
        return (d & RingCompression.PRESENT) != 0 && RingCompression.system(d)
                && (type == 0x1 || type == 0x3 || type == 0x5 || type == 0x9 || type == 0xB);
    }

    /**
     * Fills the shadow for the guest's GDT, IDT and every TSS and LDT its GDT describes, so that
     * a task switch run in the guest's view finds them (a page fault after the switch has begun
     * would land in the middle of loading the new task).
     */
    private void prefaultSystemTables() {
        // Written during a switch: busy bits in the GDT, the old TSS, the new one's back link.
        pager.prefaultWrite(vcpu.gdtBase, vcpu.gdtLimit + 1);
        pager.prefault(vcpu.idtBase, vcpu.idtLimit + 1);
        for (int sel = 8; sel + 7 <= vcpu.gdtLimit; sel += 8) {
            long d = shadows.guestDescriptor(sel);
            int type = RingCompression.type(d);
            int length = (int) Math.min(RingCompression.limitBytes(d) + 1, 1 << 16);
            if (RingCompression.system(d) && (type == 1 || type == 3 || type == 9 || type == 0xB)) {
                pager.prefaultWrite(RingCompression.base(d), length);
            } else if (RingCompression.system(d) && type == 2) {
                pager.prefault(RingCompression.base(d), length);
            }
        }
    }

    /**
     * The stack of the task a task gate leads to, filled beforehand: an exception's error code is
     * pushed there after the switch has committed, where a page fault could not be retried.
     */
    private void prefaultNewTaskStack(long gate) {
        long tss = shadows.guestDescriptor((int) (gate >>> 16) & 0xFFF8);
        if ((RingCompression.type(tss) & 8) == 0) {
            return;  // a 16-bit TSS: no error code is pushed through one in the suite; left alone
        }
        int base = RingCompression.base(tss);
        int esp = shadows.readGuest32(base + 0x38);
        long ss = shadows.guestDescriptor(shadows.readGuest32(base + 0x50) & 0xFFF8);
        pager.prefaultWrite(RingCompression.base(ss) + esp - 8, 8);
    }
}
