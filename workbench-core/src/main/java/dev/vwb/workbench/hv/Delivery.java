package dev.vwb.workbench.hv;

import dev.vwb.machine.cpu.Cpu;
import dev.vwb.machine.cpu.CpuFault;
import dev.vwb.machine.cpu.Eflags;
import dev.vwb.machine.cpu.ExceptionEvent;
import dev.vwb.machine.cpu.ExceptionInterceptor;
import dev.vwb.machine.cpu.SegReg;
import dev.vwb.machine.cpu.Vectors;
import java.util.function.Function;

/**
 * Events delivered to the guest: its own exceptions (reflected), device interrupts (injected)
 * and software interrupts. The hypervisor does not build frames itself: the CPU delivers the
 * event through the shadow IDT, as it would on bare hardware, and this class makes that delivery
 * come out as the guest's - before it, the gate is re-read from the guest's IDT, the ring-1 stack
 * from the guest's TSS, and the stack the delivery pushes on filled in the shadow (a page fault
 * in the middle of a delivery would be a double fault); after it ({@link #delivered}), the frame
 * shows what bare hardware would have pushed. Two deliveries the CPU cannot just make: a gate on
 * a page the guest's tables do not map (a page fault while delivering, by the CPU's rules) and a
 * task gate ({@link TaskSwitches#taskGate}).
 */
final class Delivery extends Mechanism {
    private final TaskSwitches taskSwitches;
    /** What {@link #fixFrame} must fix in the frame of the delivery under way. */
    private boolean interruptedIf;
    private long gateOfDelivery;

    Delivery(Cpu cpu, VirtualCpu vcpu, ShadowTables shadows, ShadowPager pager, Exits exits, TaskSwitches taskSwitches) {
        super(cpu, vcpu, shadows, pager, exits);
        this.taskSwitches = taskSwitches;
    }

    /** The guest's own exception, delivered through its IDT and recorded with {@code action}. */
    ExceptionInterceptor.Decision reflect(ExceptionEvent event, String action, long start) {
        return deliver(event, action, s -> new VmExit.GuestException(s, event.vector(), event.errorCode()), start);
    }

    /** A device interrupt or a software interrupt, delivered through the guest's IDT. */
    ExceptionInterceptor.Decision inject(ExceptionEvent event, long start) {
        int vector = event.vector();
        if (event.kind() == ExceptionEvent.Kind.EXTERNAL) {
            return deliver(event, "injected vector " + vector, s -> new VmExit.InterruptInjected(s, vector), start);
        }
        return deliver(event, "INT " + Integer.toHexString(vector) + "h through the guest's IDT",
                s -> new VmExit.SoftwareInterrupt(s, vector), start);
    }

    /** After the CPU delivered {@code event}, which this class let through: its frame fixed. */
    void delivered(ExceptionEvent event) {
        if (taskSwitches.inGuestView()) {
            return;  // through a task gate: the new task's stack holds no frame to fix
        }
        fixFrame(event);
    }

    /**
     * After delivery: the frame on the guest kernel's stack shows what bare hardware would have
     * pushed (CS with RPL 0 for the guest kernel, the virtual IF and IOPL); the virtual IF is
     * cleared by an interrupt gate, as the real one was, and the real IF set again.
     */
    private void fixFrame(ExceptionEvent event) {
        int slot = RingCompression.gate32(gateOfDelivery) ? 4 : 2;
        int at = control.stackPointer() + (event.kind() == ExceptionEvent.Kind.EXCEPTION && event.hasErrorCode() ? slot : 0);
        try {
            int cs = control.read(SegReg.SS, at + slot, 2);
            control.write(SegReg.SS, at + slot, 2, VirtualCpu.guestSelector(cs));
            int flags = control.read(SegReg.SS, at + 2 * slot, slot);
            control.write(SegReg.SS, at + 2 * slot, slot, vcpu.guestEflags(flags, interruptedIf));
        } catch (CpuFault f) {
            // The frame was just written there; it cannot fault now.
            throw new IllegalStateException("the hypervisor could not fix the frame it just had delivered: " + f.getMessage());
        }
        vcpu.vif = RingCompression.trapGate(gateOfDelivery) && interruptedIf;
        cpu.setEflags(cpu.eflags() | Eflags.IF);
    }

    /** {@code event} through the guest's IDT: let through to the CPU and recorded as {@code exit} makes it, when it can be. */
    private ExceptionInterceptor.Decision deliver(ExceptionEvent event, String action, Function<VmExit.Site, VmExit> exit,
            long start) {
        int missing = unreadableGate(event.vector());
        if (missing >= 0) {
            return gateOnUnmappedPage(event, missing, start);
        }
        if (TaskSwitches.throughTaskGate(prepareDelivery(event.vector()))) {
            return taskSwitches.taskGate(event, start);
        }
        exits.record(exit.apply(exits.site(null, action, System.nanoTime() - start)));
        return ExceptionInterceptor.Decision.DELIVER;
    }

    /**
     * The guest's IDT entry for {@code vector} lies (partly) on a page its tables do not map: the
     * CPU would take a page fault reading it, while delivering. Returns the first unmapped byte, or -1.
     */
    private int unreadableGate(int vector) {
        if (!vcpu.pagingEnabled() || vector * 8 + 7 > vcpu.idtLimit) {
            return -1;
        }
        int at = vcpu.idtBase + vector * 8;
        if (pager.linearToGuestPhysical(at) < 0) {
            return at;
        }
        return pager.linearToGuestPhysical(at + 7) < 0 ? (at + 7) & ~0xFFF : -1;
    }

    /** Delivering {@code event} faults reading its gate, as on hardware: a page fault, escalated by the CPU's rules. */
    private ExceptionInterceptor.Decision gateOnUnmappedPage(ExceptionEvent event, int missing, long start) {
        vcpu.cr2 = missing;
        control.setCr(2, missing);
        exits.record(new VmExit.GuestException(exits.site(null, "its IDT entry is on an unmapped page: #PF while delivering,"
                + " CR2 = " + PrivilegedEmulator.hex8(missing), System.nanoTime() - start), event.vector(), event.errorCode()));
        control.deliveryFaulted(event.vector(), event.kind(), Vectors.PF, 0);  // supervisor read, not present
        return ExceptionInterceptor.Decision.HANDLED;
    }

    /**
     * Before the CPU delivers an event through the shadow IDT: the gate re-read from the guest's
     * IDT, the ring-1 stack from the guest's TSS, and what the frame must show remembered.
     */
    private long prepareDelivery(int vector) {
        long gate = shadows.syncGate(vector);
        shadows.syncRing1Stack();
        prefaultDeliveryStack();
        interruptedIf = vcpu.interruptsEnabled();
        gateOfDelivery = gate;
        return gate;
    }

    /**
     * The stack the delivery will push on, filled in the shadow beforehand: the current one, or
     * from user code the ring-1 stack of the hypervisor's TSS (the guest's ring-0 stack).
     */
    private void prefaultDeliveryStack() {
        int top;
        if (cpu.cpl() == 3) {
            int esp1 = shadows.ring1StackPointer();
            long ss = shadows.guestDescriptor(shadows.ring1StackSelector() & ~3);
            top = RingCompression.base(ss) + esp1;
        } else {
            top = cpu.segmentBase(SegReg.SS) + control.stackPointer();
        }
        pager.prefaultWrite(top - 24, 24);  // the largest frame: SS, ESP, EFLAGS, CS, EIP and an error code
    }
}
