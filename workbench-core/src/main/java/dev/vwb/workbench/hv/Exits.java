package dev.vwb.workbench.hv;

import dev.vwb.machine.StopReason;
import dev.vwb.machine.cpu.Cpu;
import dev.vwb.machine.cpu.CpuControl;
import dev.vwb.machine.cpu.ExceptionInterceptor;
import dev.vwb.machine.cpu.GuestInstruction;
import dev.vwb.machine.cpu.SegReg;
import dev.vwb.tracing.MachineEvents;
import dev.vwb.tracing.TraceEvent;

/**
 * What the hypervisor's mechanisms share ({@link Hypervisor}'s dispatch, {@link TaskSwitches},
 * {@link Delivery}, {@link PageFaults}, {@link EmulationExits}), so that none reaches into
 * another's fields: recording an exit in the {@link ExitLog} (and for the tracers and
 * breakpoints), the site of an exit, stopping a guest that reached for what is not its own, and
 * the exception the hypervisor has decided the guest gets - raised here, and reflected as it is
 * when the interceptor sees it come back ({@link #takeReflectNext}).
 */
final class Exits {
    private final Cpu cpu;
    private final CpuControl control;
    private final ExitLog log;
    /** The next exception is one the hypervisor decided the guest gets: reflect it as it is. */
    private boolean reflectNext;

    Exits(Cpu cpu, ExitLog log) {
        this.cpu = cpu;
        this.control = cpu.control();
        this.log = log;
    }

    ExitLog log() {
        return log;
    }

    /** Logs an exit and hands it to the tracers and breakpoints attached to the machine, if any. */
    void record(VmExit e) {
        log.record(e);
        if (MachineEvents.wanted(cpu)) {
            VmExit.Site s = e.site();
            MachineEvents.publish(cpu, new TraceEvent.VmExit(s.retired(), e.reason().label(), s.cs(), s.eip(),
                    s.instructionText(), s.action(), s.nanos()));
        }
    }

    /** Where an exit happens: now, at {@code insn} (or the current EIP when null), CS as the guest sees it. */
    VmExit.Site site(GuestInstruction insn, String action, long nanos) {
        return new VmExit.Site(cpu.instructionsRetired(), VirtualCpu.guestSelector(cpu.selector(SegReg.CS)),
                insn == null ? cpu.eip() : insn.eip(), insn, action, nanos);
    }

    /** The guest reached for what is not its own: it is stopped before the instruction, with a contained exit. */
    ExceptionInterceptor.Decision contain(GuestInstruction insn, String why, long start) {
        record(new VmExit.Contained(site(insn, "stopped the guest", System.nanoTime() - start), why));
        cpu.stopAfterInstruction(StopReason.INTERCEPTED, "the hypervisor stopped the guest: " + why);
        return ExceptionInterceptor.Decision.HANDLED;
    }

    /**
     * Gives the guest {@code vector} as the CPU delivers an exception: through the interceptor
     * again, where it is recorded and reflected as it is, not emulated once more.
     */
    void reflectToGuest(int vector, int errorCode) {
        reflectNext = true;
        control.raise(vector, errorCode);
    }

    /** Whether the event the interceptor sees is the one {@link #reflectToGuest} raised; taking it clears it. */
    boolean takeReflectNext() {
        boolean next = reflectNext;
        reflectNext = false;
        return next;
    }

    /** Forgets an exception raised for the guest and not yet seen (a restored state has none). */
    void forgetReflectNext() {
        reflectNext = false;
    }
}
