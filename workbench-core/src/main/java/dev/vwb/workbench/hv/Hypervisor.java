package dev.vwb.workbench.hv;

import dev.vwb.machine.Machine;
import dev.vwb.machine.RunResult;
import dev.vwb.machine.StopReason;
import dev.vwb.machine.cpu.Cpu;
import dev.vwb.machine.cpu.CpuControl;
import dev.vwb.machine.cpu.CpuFault;
import dev.vwb.machine.cpu.Eflags;
import dev.vwb.machine.cpu.ExceptionEvent;
import dev.vwb.machine.cpu.ExceptionInterceptor;
import dev.vwb.machine.cpu.GuestInstruction;
import dev.vwb.machine.cpu.SegReg;
import dev.vwb.machine.cpu.Vectors;
import java.util.Locale;

/**
 * A trap-and-emulate hypervisor for one guest on a {@link Machine}: the guest kernel runs
 * deprivileged at ring 1 (its user code at ring 3) on the machine's CPU, and every exception
 * comes here first ({@link ExceptionInterceptor}): privileged instructions and port I/O are
 * emulated against the {@link VirtualCpu}, exceptions and interrupts that belong to the guest are
 * delivered through (a ring-compressed copy of) its own IDT with the frame a bare machine would
 * push, and device interrupts wait for the guest's virtual IF. Each decision is a {@link VmExit}
 * in the {@link ExitLog}. This class sends each event to the mechanism it belongs to:
 * {@link Delivery}, {@link PageFaults}, {@link TaskSwitches} and {@link EmulationExits}, which
 * share what they need through {@link Exits} and {@link Mechanism}.
 *
 * <p>Boot it from a machine whose guest was loaded in 32-bit protected mode at CPL 0 (a Multiboot
 * kernel), before the guest runs: {@code Hypervisor.boot(staged, Mode.PATCH)}.
 */
public final class Hypervisor {
    /** How the x86 gap (sensitive instructions that do not trap) is handled. */
    public enum Mode {
        /** Pure trap-and-emulate: POPF, PUSHF, SGDT ... misbehave silently, as on 1990s x86. */
        TRAP,
        /** Sensitive instructions are turned into traps before they first run ({@link Patcher}). */
        PATCH,
        /** Trap-and-emulate plus the hypercall ABI ({@link Hypercalls}) for guests that know they are virtualized. */
        PARAVIRT;

        /** The mode named {@code name} (trap, patch, paravirt), or a one-line error. */
        public static Mode parse(String name) {
            for (Mode m : values()) {
                if (m.name().equalsIgnoreCase(name)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("no hypervisor mode '" + name + "': use trap, patch or paravirt");
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Machine machine;
    private final Cpu cpu;
    private final CpuControl control;
    private final Mode mode;
    private final Extensions extensions;
    private final VirtualCpu vcpu;
    private final ShadowPager pager;
    private final ShadowTables shadows;
    private final PrivilegedEmulator emulator;
    private final Patcher patcher;
    private final Hypercalls hypercalls;
    private final Exits exits;
    private final PageFaults pageFaults;
    private final TaskSwitches taskSwitches;
    private final Delivery delivery;
    private final EmulationExits emulations;
    private final GuestBus bus;
    /** The guest triple-faulted and was reported; a restore may bring it back. */
    private boolean ended;

    /** Host memory: the hypervisor's window at 1 MiB, its pool of shadow page-table pages from 2 MiB, the guest's slice from 8 MiB. */
    public static final int WINDOW_HOST = 0x0010_0000;
    public static final int POOL_HOST = 0x0020_0000;
    public static final int SLICE_HOST = 0x0080_0000;
    /** Shadows kept for guest CR3s by default. */
    public static final int DEFAULT_SHADOW_CACHE = 4;

    private Hypervisor(Machine host, int guestRam, Mode mode, int shadowCache, Extensions extensions) {
        this.machine = host;
        this.cpu = host.cpu();
        this.control = cpu.control();
        this.mode = mode;
        this.extensions = extensions;
        this.vcpu = new VirtualCpu(cpu);
        MonitorMemory mon = new MonitorMemory(host.memory(), WINDOW_HOST);
        this.pager = new ShadowPager(cpu, vcpu, host.memory(), new P2m(SLICE_HOST, guestRam, extensions.isolation()), mon, POOL_HOST,
                (SLICE_HOST - POOL_HOST) >>> 12, shadowCache, extensions.shadowFill());
        this.shadows = new ShadowTables(cpu, vcpu, mon, pager, extensions.isolation());
        this.bus = new GuestBus(host.io(), extensions.isolation(), extensions.newUart(GuestBus.lineThrough(host.com1())));
        this.emulator = new PrivilegedEmulator(cpu, vcpu, shadows, bus, extensions.privilegedInstructions());
        this.patcher = new Patcher(cpu, vcpu, shadows);
        this.hypercalls = new Hypercalls(host, vcpu, shadows, bus);
        this.exits = new Exits(cpu, new ExitLog(ExitLog.DEFAULT_WINDOW));
        this.pageFaults = new PageFaults(cpu, vcpu, shadows, pager, exits);
        this.taskSwitches = new TaskSwitches(cpu, vcpu, shadows, pager, exits, pageFaults);
        this.delivery = new Delivery(cpu, vcpu, shadows, pager, exits, taskSwitches);
        this.emulations = new EmulationExits(cpu, vcpu, shadows, pager, exits, taskSwitches, delivery);
    }

    /**
     * Boots the guest loaded in {@code staged} under a hypervisor: a new host machine gets the
     * guest's memory as its slice (through the p2m, from {@link #SLICE_HOST}) and the guest's CPU
     * state as the virtual CPU's, and its real CPU is set up to run the guest deprivileged. Run
     * {@link #machine()} from then on; {@code staged} is not used again.
     *
     * @throws IllegalArgumentException if the guest does not start in 32-bit protected mode at CPL 0
     */
    public static Hypervisor boot(Machine staged, Mode mode) {
        return boot(staged, mode, DEFAULT_SHADOW_CACHE);
    }

    /** {@link #boot(Machine, Mode)} keeping at most {@code shadowCache} shadows (1 to 64) for guest CR3s. */
    public static Hypervisor boot(Machine staged, Mode mode, int shadowCache) {
        return boot(staged, mode, shadowCache, Extensions.REFERENCE);
    }

    /**
     * {@link #boot(Machine, Mode)} with {@code extensions} in place of the reference hypervisor's
     * own parts (a student's privileged-instruction emulator, UART, shadow fill or isolation policy).
     */
    public static Hypervisor boot(Machine staged, Mode mode, Extensions extensions) {
        return boot(staged, mode, DEFAULT_SHADOW_CACHE, extensions);
    }

    /** {@link #boot(Machine, Mode, Extensions)} keeping at most {@code shadowCache} shadows (1 to 64) for guest CR3s. */
    public static Hypervisor boot(Machine staged, Mode mode, int shadowCache, Extensions extensions) {
        java.util.Objects.requireNonNull(extensions, "extensions (Extensions.REFERENCE for none)");
        Cpu cpu = staged.cpu();
        if (!cpu.isProtectedMode() || cpu.cpl() != 0 || !cpu.segment(SegReg.CS).big()) {
            throw new IllegalArgumentException("the hypervisor runs guests that start in 32-bit protected mode at ring 0"
                    + " (Multiboot kernels, flat binaries with --mode protected); this one starts "
                    + (cpu.isProtectedMode() ? "at CPL " + cpu.cpl() : "in real mode"));
        }
        if (shadowCache < 1 || shadowCache > 64) {
            throw new IllegalArgumentException("the shadow cache holds 1 to 64 shadows, not " + shadowCache);
        }
        int guestRam = staged.memory().ramSize();
        Machine host = Machine.builder().ramBytes(SLICE_HOST + guestRam).build();
        for (int at = 0; at < guestRam; at += 1 << 20) {
            int n = Math.min(1 << 20, guestRam - at);
            host.memory().loadIgnoringRom(SLICE_HOST + at, staged.memory().read(at, n));
        }
        try {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            cpu.saveState(new java.io.DataOutputStream(bytes));
            host.cpu().restoreState(new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray())));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Hypervisor hv = new Hypervisor(host, guestRam, mode, shadowCache, extensions);
        hv.takeOver();
        return hv;
    }

    /** The host machine the guest runs on: run this one. */
    public Machine machine() {
        return machine;
    }

    /** The guest's physical memory in the host's: the p2m. */
    public P2m p2m() {
        return pager.p2m();
    }

    /**
     * {@code linear} three ways: the guest's page walk, the p2m entry and the shadow walk side by
     * side (nothing is filled or changed by looking).
     */
    public Translation translate(long linear) {
        if (linear < 0 || linear > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(String.format("%X is not a 32-bit linear address", linear));
        }
        return pager.translate((int) linear);
    }

    /** The shadow pager's counters. */
    public ShadowStats shadowStats() {
        return pager.stats;
    }

    private void takeOver() {
        vcpu.loadFromRealCpu();
        shadows.install();
        shadows.compressLoadedSegments();
        pager.events = (built, guestCr3) -> exits.record(built
                ? new VmExit.ShadowBuilt(exits.site(null, "an empty shadow for guest CR3 " + PrivilegedEmulator.hex8(guestCr3), 0), guestCr3)
                : new VmExit.ShadowEvicted(exits.site(null, "the least recently used shadow (guest CR3 " + PrivilegedEmulator.hex8(guestCr3)
                        + ") dropped", 0), guestCr3));
        control.setCr3Filter(guestCr3 -> {
            if (!vcpu.pagingEnabled()) {
                return cpu.cr3();  // with paging off a task switch loads no CR3 (SDM Vol. 3A §7.3)
            }
            vcpu.cr3 = guestCr3;  // a task switch loaded the guest's CR3 from its TSS
            return pager.shadowFor(guestCr3);
        });
        cpu.setEflags((cpu.eflags() | Eflags.IF) & ~Eflags.IOPL);
        cpu.setExceptionInterceptor(new Interceptor());
        cpu.setInterruptLine(new VirtualInterruptLine(machine.pic(), vcpu));
        if (mode == Mode.PATCH) {
            control.setDecodeFilter(patcher);
        }
    }

    public Mode mode() {
        return mode;
    }

    /** The parts this hypervisor was booted with in place of its own ({@link Extensions#REFERENCE}: none). */
    public Extensions extensions() {
        return extensions;
    }

    /**
     * Attaches a device the hypervisor emulates for this guest at {@code count} I/O ports from
     * {@code firstPort}: the guest's IN and OUT there reach it (each one still a port I/O exit).
     * It is the hypervisor's own emulation, not host hardware, so the isolation policy, which
     * guards the host's devices, does not filter it. Its state is not part of snapshots.
     *
     * @throws IllegalArgumentException if the ports are outside the I/O space or one has a virtual device already
     */
    public void attachDevice(dev.vwb.machine.io.IoDevice device, int firstPort, int count) {
        bus.attach(java.util.Objects.requireNonNull(device, "device"), firstPort, count);
    }

    /** The guest's view of its CPU. */
    public VirtualCpu vcpu() {
        return vcpu;
    }

    public ExitLog exits() {
        return exits.log();
    }

    /**
     * Writes the virtual CPU into the hypervisor's memory, so that a snapshot of the machine
     * (which holds RAM) holds the guest's whole state; call it before taking one.
     */
    public void saveState() {
        vcpu.save(shadows.monitor(), MonitorMemory.VCPU);
        shadows.saveState(MonitorMemory.VCPU + VirtualCpu.SAVED_BYTES);
    }

    /** Reads the virtual CPU back from the hypervisor's memory after the machine's state was restored. */
    public void restoreState() {
        vcpu.load(shadows.monitor(), MonitorMemory.VCPU);
        shadows.restoreState(MonitorMemory.VCPU + VirtualCpu.SAVED_BYTES);
        exits.forgetReflectNext();
        ended = false;  // a guest restored to before its crash may crash again, and is reported again
    }

    /** Instruction sites the patcher turned into traps (patch mode). */
    public long patchedSites() {
        return patcher.patchedSites();
    }

    /**
     * Tells the hypervisor how a run of the machine ended: a shutdown (triple fault) ends the
     * guest, recorded as an exit; a budget that ran out while the guest had its interrupts off
     * is the watchdog's catch (a guest that spins with interrupts off would own a bare CPU for
     * good), recorded as a contained exit - the guest may be run on. Returns a one-line report
     * for the user, or "" when the guest did not crash.
     */
    public String afterRun(RunResult result) {
        if (result.reason() == StopReason.SHUTDOWN && !ended) {
            ended = true;
            exits.record(new VmExit.TripleFault(exits.site(null, "the guest has ended; the hypervisor and the workbench go on", 0),
                    result.detail()));
            return "the guest triple-faulted (" + result.detail() + "); the hypervisor contained it";
        }
        if (result.reason() == StopReason.INSTRUCTION_LIMIT && !ended && !vcpu.interruptsEnabled()) {
            exits.record(new VmExit.Contained(exits.site(null, "the host took the CPU back; the guest may run on", 0),
                    "watchdog: the run's budget ran out with the guest's interrupts off"));
        }
        return "";
    }

    private final class Interceptor implements ExceptionInterceptor {
        @Override
        public Decision onException(Cpu c, ExceptionEvent event) {
            long start = System.nanoTime();
            Decision inSwitch = taskSwitches.interceptDuringSwitch(event);
            if (inSwitch != null) {
                return inSwitch;
            }
            try {
                return handle(event, start);
            } catch (CpuFault f) {
                // A fault while emulating: a page the shadow does not hold yet is filled and the
                // instruction runs again; anything else leaves the guest the original exception.
                if (pageFaults.fillWhileEmulating(f, start)) {
                    return ExceptionInterceptor.Decision.HANDLED;
                }
                return delivery.reflect(event, "could not emulate: " + f.getMessage(), start);
            } catch (RuntimeException e) {
                // A bug of the hypervisor's, or a guest state it did not foresee: the guest ends
                // with a report; the workbench (and the user's session) goes on.
                String what = "hypervisor error on " + event + ": " + e;
                exits.record(new VmExit.Unsupported(exits.site(null, "stopped the guest", System.nanoTime() - start), what));
                cpu.stopAfterInstruction(StopReason.INTERCEPTED, what);
                return ExceptionInterceptor.Decision.HANDLED;
            }
        }

        @Override
        public void delivered(Cpu c, ExceptionEvent event) {
            try {
                delivery.delivered(event);
            } catch (RuntimeException e) {
                cpu.stopAfterInstruction(StopReason.INTERCEPTED, "hypervisor error after delivering " + event + ": " + e);
            }
        }
    }

    /** Which mechanism an event goes to: by kind (interrupts are delivered), then by vector. */
    private ExceptionInterceptor.Decision handle(ExceptionEvent event, long start) {
        if (exits.takeReflectNext()) {
            if (event.vector() == Vectors.PF) {
                vcpu.cr2 = cpu.cr2();
            }
            return delivery.reflect(event, "reflected: the emulated instruction faults as it would bare", start);
        }
        if (event.kind() == ExceptionEvent.Kind.EXTERNAL || event.kind() == ExceptionEvent.Kind.SOFTWARE) {
            return delivery.inject(event, start);
        }
        switch (event.vector()) {
            case Vectors.GP:
            case Vectors.NP:
            case Vectors.TS: {
                if (event.errorCode() > 3 && shadows.syncGdt()) {
                    return emulations.retried(null, "the shadow GDT was stale; rebuilt and retried", start);
                }
                GuestInstruction insn = control.decode();
                if (taskSwitches.switchesTasks(insn, event)) {
                    return taskSwitches.taskSwitch(insn, start);
                }
                if (event.vector() != Vectors.GP) {
                    return delivery.reflect(event, "reflected", start);
                }
                Emulation e = emulator.emulate(insn);
                if (e instanceof Emulation.NotMine) {
                    noteWindowReach(insn, event, start);
                }
                return emulations.finish(insn, e, event, start, false);
            }
            case Vectors.SS:
                noteWindowReach(control.decode(), event, start);
                return delivery.reflect(event, "reflected", start);
            case Vectors.UD: {
                if (mode == Mode.PATCH) {
                    GuestInstruction insn = control.decode();
                    return emulations.finish(insn, patcher.emulate(insn), event, start, true);
                }
                if (mode == Mode.PARAVIRT) {
                    GuestInstruction insn = control.decode();
                    if (Hypercalls.isHypercall(insn) && vcpu.cpl() == 0) {
                        return emulations.hypercall(insn, hypercalls.call(insn), start);
                    }
                }
                return delivery.reflect(event, "reflected", start);
            }
            case Vectors.PF:
                return pageFaults.onPageFault(cpu.cr2(), event.errorCode(), start);
            default:
                return delivery.reflect(event, "reflected", start);
        }
    }

    /**
     * A #GP or #SS whose memory operand lies in the window: the guest reached for the hypervisor's
     * memory through a segment cut short below it (bare hardware may have let the access through).
     * Logged as contained; the fault is then reflected as the shortened segment makes it.
     */
    private void noteWindowReach(GuestInstruction insn, ExceptionEvent event, long start) {
        long linear = Isolation.operandInWindow(cpu, insn, shadows.policy());
        if (linear >= 0) {
            exits.record(new VmExit.Contained(exits.site(insn, Vectors.name(event.vector()) + " reflected",
                    System.nanoTime() - start), insn.segment() + " reaches " + PrivilegedEmulator.hex8((int) linear)
                    + " in the hypervisor's window: the guest's segment ends below it"));
        }
    }
}
