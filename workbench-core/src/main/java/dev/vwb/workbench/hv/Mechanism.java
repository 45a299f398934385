package dev.vwb.workbench.hv;

import dev.vwb.machine.cpu.Cpu;
import dev.vwb.machine.cpu.CpuControl;

/**
 * What the hypervisor's mechanisms ({@link Delivery}, {@link PageFaults}, {@link TaskSwitches},
 * {@link EmulationExits}) work on, held once here so that each of them declares only its own
 * state: the real CPU and its control, the virtual CPU, the shadow descriptor tables and the
 * shadow pager of the one {@link Hypervisor} they belong to, and its {@link Exits}.
 */
abstract sealed class Mechanism permits Delivery, EmulationExits, PageFaults, TaskSwitches {
    protected final Cpu cpu;
    protected final CpuControl control;
    protected final VirtualCpu vcpu;
    protected final ShadowTables shadows;
    protected final ShadowPager pager;
    protected final Exits exits;

    Mechanism(Cpu cpu, VirtualCpu vcpu, ShadowTables shadows, ShadowPager pager, Exits exits) {
        this.cpu = cpu;
        this.control = cpu.control();
        this.vcpu = vcpu;
        this.shadows = shadows;
        this.pager = pager;
        this.exits = exits;
    }
}
