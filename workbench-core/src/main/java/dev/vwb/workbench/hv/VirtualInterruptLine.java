package dev.vwb.workbench.hv;

import dev.vwb.machine.cpu.Cpu;

/**
 * The interrupt line the real CPU sees while a guest runs: the interrupt controller's request,
 * let through only while the guest's virtual IF allows (the real IF stays set, so the hypervisor
 * decides). An interrupt that arrives while the guest has interrupts off waits in the
 * controller, as on bare hardware, until the guest's STI, POPF or IRET turns them on.
 */
final class VirtualInterruptLine implements Cpu.InterruptLine {
    private final Cpu.InterruptLine controller;
    private final VirtualCpu vcpu;

    VirtualInterruptLine(Cpu.InterruptLine controller, VirtualCpu vcpu) {
        this.controller = controller;
        this.vcpu = vcpu;
    }

    @Override
    public boolean pending() {
        return vcpu.interruptsEnabled() && controller.pending();
    }

    @Override
    public int acknowledge() {
        return controller.acknowledge();
    }
}
