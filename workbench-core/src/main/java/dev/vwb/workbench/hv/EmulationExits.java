package dev.vwb.workbench.hv;

import dev.vwb.machine.StopReason;
import dev.vwb.machine.cpu.Cpu;
import dev.vwb.machine.cpu.ExceptionEvent;
import dev.vwb.machine.cpu.ExceptionInterceptor;
import dev.vwb.machine.cpu.GuestInstruction;
import dev.vwb.machine.cpu.Vectors;

/**
 * What emulating a trapped instruction came to, made an exit and a decision. Three emulators
 * answer a trap - the {@link PrivilegedEmulator} (#GP), the {@link Patcher} (#UD in patch mode) and
 * the {@link Hypercalls} (#UD in paravirt mode) - and each says what it did without recording
 * anything ({@link Emulation}, {@link Hypercalls.Result}); here that becomes the exit the log
 * shows, and what happens next: the instruction retired or run again, an exception reflected,
 * a task switch run ({@link TaskSwitches}), or the guest stopped.
 */
final class EmulationExits extends Mechanism {
    private final TaskSwitches taskSwitches;
    private final Delivery delivery;

    EmulationExits(Cpu cpu, VirtualCpu vcpu, ShadowTables shadows, ShadowPager pager, Exits exits, TaskSwitches taskSwitches,
            Delivery delivery) {
        super(cpu, vcpu, shadows, pager, exits);
        this.taskSwitches = taskSwitches;
        this.delivery = delivery;
    }

    /** The outcome {@code e} of emulating {@code insn}, which raised {@code event}; {@code patched}: a patcher's trap. */
    ExceptionInterceptor.Decision finish(GuestInstruction insn, Emulation e, ExceptionEvent event, long start, boolean patched) {
        if (e instanceof Emulation.Done d) {
            long nanos = System.nanoTime() - start;
            VmExit.Site s = exits.site(insn, d.action(), nanos);
            if (patched) {
                exits.record(new VmExit.SensitiveInstruction(s, insn.op()));
            } else if (insn.op().equals("HLT")) {
                exits.record(new VmExit.Halt(s, vcpu.interruptsEnabled()));
            } else {
                exits.record(new VmExit.PrivilegedInstruction(s, insn.op()));
            }
            return ExceptionInterceptor.Decision.HANDLED;
        }
        if (e instanceof Emulation.PortAccess p) {
            exits.record(new VmExit.PortIo(exits.site(insn, p.action(), System.nanoTime() - start), p.port(), p.size(), p.in(),
                    p.value()));
            return ExceptionInterceptor.Decision.HANDLED;
        }
        if (e instanceof Emulation.NoDevice n) {
            exits.record(new VmExit.Contained(exits.site(insn, n.action(), System.nanoTime() - start), noDevice(n.port())));
            return ExceptionInterceptor.Decision.HANDLED;
        }
        if (e instanceof Emulation.Retry r) {
            return retried(insn, r.action(), start);
        }
        if (e instanceof Emulation.Reflect r) {
            exits.reflectToGuest(r.vector(), r.errorCode());
            return ExceptionInterceptor.Decision.HANDLED;
        }
        if (e instanceof Emulation.TaskSwitch) {
            return taskSwitches.taskSwitch(insn, start);
        }
        if (e instanceof Emulation.Unsupported u) {
            exits.record(new VmExit.Unsupported(exits.site(insn, u.what(), System.nanoTime() - start), u.what()));
            cpu.stopAfterInstruction(StopReason.INTERCEPTED, "the hypervisor cannot run this guest: " + u.what());
            return ExceptionInterceptor.Decision.HANDLED;
        }
        return delivery.reflect(event, "not emulated: the guest's own " + Vectors.name(event.vector()), start);
    }

    /** The guest's state was adjusted (by an emulator, or a stale shadow rebuilt): the instruction runs again. */
    ExceptionInterceptor.Decision retried(GuestInstruction insn, String action, long start) {
        exits.record(new VmExit.PrivilegedInstruction(exits.site(insn, action, System.nanoTime() - start),
                insn == null ? "" : insn.op()));
        return ExceptionInterceptor.Decision.HANDLED;
    }

    /** A hypercall {@code insn} made, with its outcome {@code r}. */
    ExceptionInterceptor.Decision hypercall(GuestInstruction insn, Hypercalls.Result r, long start) {
        exits.record(new VmExit.Hypercall(exits.site(insn, r.action(), System.nanoTime() - start), r.number(), r.name()));
        if (r.portWithoutDevice() >= 0) {
            exits.record(new VmExit.Contained(exits.site(insn, r.action() + " (no device)", 0), noDevice(r.portWithoutDevice())));
        }
        return ExceptionInterceptor.Decision.HANDLED;
    }

    private static String noDevice(int port) {
        return "port " + PrivilegedEmulator.hex4(port) + " has no device: the guest's bus is empty there";
    }
}
