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
import dev.vwb.machine.cpu.Reg32;
import dev.vwb.machine.cpu.SegReg;
import dev.vwb.machine.cpu.SegmentView;
import dev.vwb.machine.cpu.Vectors;
import dev.vwb.tracing.MachineEvents;
import dev.vwb.tracing.TraceEvent;
import java.util.Locale;

/**
 * A trap-and-emulate hypervisor for one guest on a {@link Machine}: the guest kernel runs
 * deprivileged at ring 1 (its user code at ring 3) on the machine's CPU, and every exception
 * comes here first ({@link ExceptionInterceptor}): privileged instructions and port I/O are
 * emulated against the {@link VirtualCpu}, exceptions and interrupts that belong to the guest are
 * delivered through (a ring-compressed copy of) its own IDT with the frame a bare machine would
 * push, and device interrupts wait for the guest's virtual IF. Each decision is a {@link VmExit}
 * in the {@link ExitLog}.
 *
 * <p>Attach it to a machine whose guest was loaded in 32-bit protected mode at CPL 0 (a Multiboot
 * kernel), before the guest runs: {@code Hypervisor.attach(machine, Mode.PATCH)}.
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
    private final VirtualCpu vcpu;
    private final ShadowPager pager;
    private final ShadowTables shadows;
    private final PrivilegedEmulator emulator;
    private final Patcher patcher;
    private final Hypercalls hypercalls;
    private final ExitLog exits = new ExitLog(ExitLog.DEFAULT_WINDOW);
    /** What {@link Interceptor#delivered} must fix in the frame of the delivery under way. */
    private boolean interruptedIf;
    private long gateOfDelivery;
    private boolean ended;
    /** A task switch is running in the guest's view; an exception raised meanwhile waits in {@link #deferred}. */
    private boolean inGuestView;
    private ExceptionEvent deferred;
    /** The next event is the one the hypervisor itself raises through a task gate: let it through. */
    private boolean passThrough;
    /** The next exception is one the emulator decided the guest gets: reflect it as it is. */
    private boolean reflectNext;

    /** Host memory: the hypervisor's window at 1 MiB, its pool of shadow page-table pages from 2 MiB, the guest's slice from 8 MiB. */
    public static final int WINDOW_HOST = 0x0010_0000;
    public static final int POOL_HOST = 0x0020_0000;
    public static final int SLICE_HOST = 0x0080_0000;
    /** Shadows kept for guest CR3s by default. */
    public static final int DEFAULT_SHADOW_CACHE = 4;

    private Hypervisor(Machine host, int guestRam, Mode mode, int shadowCache) {
        this.machine = host;
        this.cpu = host.cpu();
        this.control = cpu.control();
        this.mode = mode;
        this.vcpu = new VirtualCpu(cpu);
        MonitorMemory mon = new MonitorMemory(host.memory(), WINDOW_HOST);
        this.pager = new ShadowPager(cpu, vcpu, host.memory(), new P2m(SLICE_HOST, guestRam), mon, POOL_HOST,
                (SLICE_HOST - POOL_HOST) >>> 12, shadowCache);
        this.shadows = new ShadowTables(cpu, vcpu, mon, pager);
        this.emulator = new PrivilegedEmulator(cpu, vcpu, shadows, host.io());
        this.patcher = new Patcher(cpu, vcpu, shadows);
        this.hypercalls = new Hypercalls(host, vcpu, shadows);
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
        Hypervisor hv = new Hypervisor(host, guestRam, mode, shadowCache);
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
        vcpu.vif = (cpu.eflags() & Eflags.IF) != 0;
        vcpu.viopl = (cpu.eflags() & Eflags.IOPL) >>> Eflags.IOPL_SHIFT;
        vcpu.cr0 = cpu.cr0();
        vcpu.cr2 = cpu.cr2();
        vcpu.cr3 = cpu.cr3();
        vcpu.cr4 = cpu.cr4();
        vcpu.gdtBase = cpu.gdtrBase();
        vcpu.gdtLimit = cpu.gdtrLimit();
        vcpu.idtBase = cpu.idtrBase();
        vcpu.idtLimit = cpu.idtrLimit();
        vcpu.ldtr = control.ldtrSelector();
        vcpu.tr = control.trSelector();
        shadows.install();
        shadows.compressLoadedSegments();
        pager.events = (built, guestCr3) -> record(built
                ? new VmExit.ShadowBuilt(site(null, "an empty shadow for guest CR3 " + PrivilegedEmulator.hex8(guestCr3), 0), guestCr3)
                : new VmExit.ShadowEvicted(site(null, "the least recently used shadow (guest CR3 " + PrivilegedEmulator.hex8(guestCr3)
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

    /** The guest's view of its CPU. */
    public VirtualCpu vcpu() {
        return vcpu;
    }

    public ExitLog exits() {
        return exits;
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
        reflectNext = false;
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
            record(new VmExit.TripleFault(site(null, "the guest has ended; the hypervisor and the workbench go on", 0),
                    result.detail()));
            return "the guest triple-faulted (" + result.detail() + "); the hypervisor contained it";
        }
        if (result.reason() == StopReason.INSTRUCTION_LIMIT && !ended && !vcpu.interruptsEnabled()) {
            record(new VmExit.Contained(site(null, "the host took the CPU back; the guest may run on", 0),
                    "watchdog: the run's budget ran out with the guest's interrupts off"));
        }
        return "";
    }

    // ---- exits ------------------------------------------------------------------------------------

    /** Logs an exit and hands it to the tracers and breakpoints attached to the machine, if any. */
    private void record(VmExit e) {
        exits.record(e);
        if (MachineEvents.wanted(cpu)) {
            VmExit.Site s = e.site();
            MachineEvents.publish(cpu, new TraceEvent.VmExit(s.retired(), e.reason().label(), s.cs(), s.eip(),
                    s.instructionText(), s.action(), s.nanos()));
        }
    }

    private VmExit.Site site(GuestInstruction insn, String action, long nanos) {
        return new VmExit.Site(cpu.instructionsRetired(), VirtualCpu.guestSelector(cpu.selector(SegReg.CS)),
                insn == null ? cpu.eip() : insn.eip(), insn, action, nanos);
    }

    private final class Interceptor implements ExceptionInterceptor {
        @Override
        public Decision onException(Cpu c, ExceptionEvent event) {
            long start = System.nanoTime();
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
            try {
                return handle(event, start);
            } catch (CpuFault f) {
                // A fault while emulating: a page the shadow does not hold yet is filled and the
                // instruction runs again; anything else leaves the guest the original exception.
                if (f.vector() == Vectors.PF && pager.onPageFault(cpu.cr2(), f.errorCode()) instanceof ShadowPager.Fault.Hidden) {
                    control.setCr(2, vcpu.cr2);
                    record(new VmExit.HiddenPageFault(site(null, "filled while emulating; the instruction runs again",
                            System.nanoTime() - start), cpu.cr2()));
                    return ExceptionInterceptor.Decision.HANDLED;
                }
                return reflect(event, "could not emulate: " + f.getMessage(), start);
            } catch (RuntimeException e) {
                // A bug of the hypervisor's, or a guest state it did not foresee: the guest ends
                // with a report; the workbench (and the user's session) goes on.
                String what = "hypervisor error on " + event + ": " + e;
                record(new VmExit.Unsupported(site(null, "stopped the guest", System.nanoTime() - start), what));
                cpu.stopAfterInstruction(StopReason.INTERCEPTED, what);
                return ExceptionInterceptor.Decision.HANDLED;
            }
        }

        @Override
        public void delivered(Cpu c, ExceptionEvent event) {
            if (inGuestView) {
                return;  // through a task gate: the new task's stack holds no frame to fix
            }
            try {
                fixFrame(event);
            } catch (RuntimeException e) {
                cpu.stopAfterInstruction(StopReason.INTERCEPTED, "hypervisor error after delivering " + event + ": " + e);
            }
        }
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
        record(new VmExit.GuestException(site(null, "its IDT entry is on an unmapped page: #PF while delivering, CR2 = "
                + PrivilegedEmulator.hex8(missing), System.nanoTime() - start), event.vector(), event.errorCode()));
        control.deliveryFaulted(event.vector(), event.kind(), Vectors.PF, 0);  // supervisor read, not present
        return ExceptionInterceptor.Decision.HANDLED;
    }

    private ExceptionInterceptor.Decision handle(ExceptionEvent event, long start) {
        if (reflectNext) {
            reflectNext = false;
            if (event.vector() == Vectors.PF) {
                vcpu.cr2 = cpu.cr2();
            }
            return reflect(event, "reflected: the emulated instruction faults as it would bare", start);
        }
        switch (event.kind()) {
            case EXTERNAL: {
                if (unreadableGate(event.vector()) >= 0) {
                    return gateOnUnmappedPage(event, unreadableGate(event.vector()), start);
                }
                if (throughTaskGate(prepareDelivery(event.vector()))) {
                    return taskGate(event, start);
                }
                record(new VmExit.InterruptInjected(site(null, "injected vector " + event.vector(), System.nanoTime() - start),
                        event.vector()));
                return ExceptionInterceptor.Decision.DELIVER;
            }
            case SOFTWARE: {
                if (unreadableGate(event.vector()) >= 0) {
                    return gateOnUnmappedPage(event, unreadableGate(event.vector()), start);
                }
                if (throughTaskGate(prepareDelivery(event.vector()))) {
                    return taskGate(event, start);
                }
                record(new VmExit.SoftwareInterrupt(site(null, "INT " + Integer.toHexString(event.vector())
                        + "h through the guest's IDT", System.nanoTime() - start), event.vector()));
                return ExceptionInterceptor.Decision.DELIVER;
            }
            default:
                break;
        }
        switch (event.vector()) {
            case Vectors.GP: {
                if (event.errorCode() > 3 && shadows.syncGdt()) {
                    return retried(null, "the shadow GDT was stale; rebuilt and retried", start);
                }
                GuestInstruction insn = control.decode();
                if (switchesTasks(insn, event)) {
                    return taskSwitch(insn, start);
                }
                Emulation e = emulator.emulate(insn);
                if (e instanceof Emulation.NotMine) {
                    noteWindowReach(insn, event, start);
                }
                return finish(insn, e, event, start, false);
            }
            case Vectors.SS:
                noteWindowReach(control.decode(), event, start);
                return reflect(event, "reflected", start);
            case Vectors.UD: {
                if (mode == Mode.PATCH) {
                    GuestInstruction insn = control.decode();
                    return finish(insn, patcher.emulate(insn), event, start, true);
                }
                if (mode == Mode.PARAVIRT) {
                    GuestInstruction insn = control.decode();
                    if (Hypercalls.isHypercall(insn) && vcpu.cpl() == 0) {
                        Hypercalls.Result r = hypercalls.call(insn);
                        record(new VmExit.Hypercall(site(insn, r.action(), System.nanoTime() - start), r.number(), r.name()));
                        if (r.portWithoutDevice() >= 0) {
                            record(new VmExit.Contained(site(insn, r.action() + " (no device)", 0), noDevice(r.portWithoutDevice())));
                        }
                        return ExceptionInterceptor.Decision.HANDLED;
                    }
                }
                return reflect(event, "reflected", start);
            }
            case Vectors.PF:
                return pageFault(event, cpu.cr2(), event.errorCode(), start);
            case Vectors.NP:
            case Vectors.TS:
                if (event.errorCode() > 3 && shadows.syncGdt()) {
                    return retried(null, "the shadow GDT was stale; rebuilt and retried", start);
                }
                GuestInstruction faulting = control.decode();
                if (switchesTasks(faulting, event)) {
                    return taskSwitch(faulting, start);
                }
                return reflect(event, "reflected", start);
            default:
                return reflect(event, "reflected", start);
        }
    }

    /**
     * Whether {@code insn} faulted because it switches tasks, which the shadow tables keep the
     * CPU from doing by itself: a far JMP or CALL to a TSS or task gate, or IRET with NT set.
     */
    private boolean switchesTasks(GuestInstruction insn, ExceptionEvent event) {
        String op = insn.op();
        if (op.equals("IRET")) {
            return (cpu.eflags() & Eflags.NT) != 0;
        }
        return (op.startsWith("JMP_FAR") || op.startsWith("CALL_FAR")) && taskSwitchTarget(event.errorCode());
    }

    /**
     * A hardware task switch, run by the CPU itself with the guest's own tables loaded (the
     * guest's view, {@link ShadowTables#enterGuestView}): the outgoing state goes into the guest's
     * TSS, the incoming one comes from the new TSS, busy flags and back link as the SDM says
     * (Vol. 3A §7.3). A fault before the switch belongs to the old task; one while loading the new
     * task's segments is delivered in the new task, after the hypervisor's set-up is back.
     */
    private ExceptionInterceptor.Decision taskSwitch(GuestInstruction insn, long start) {
        String reach = Isolation.tableInWindow(vcpu, shadows);
        if (reach != null) {
            return contain(insn, "a task switch would have the CPU use " + reach + ", in the hypervisor's window", start);
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
        record(new VmExit.PrivilegedInstruction(site(insn, fault != null ? "task switch refused: " + fault.getMessage()
                : "hardware task switch in the guest's view: TR " + PrivilegedEmulator.hex4(from) + " -> "
                + PrivilegedEmulator.hex4(vcpu.tr), System.nanoTime() - start), insn.op()));
        ExceptionEvent pending = deferred;
        deferred = null;
        if (fault != null && fault.vector() == Vectors.PF
                && pager.onPageFault(cpu.cr2(), fault.errorCode()) instanceof ShadowPager.Fault.Hidden) {
            control.setCr(2, vcpu.cr2);  // a page the shadow lacked: the switch runs again
        } else if (fault != null) {
            reflectNext = true;
            control.raise(fault.vector(), fault.errorCode());
        } else if (pending != null) {
            reflectNext = true;
            control.raise(pending.vector(), pending.errorCode());
        }
        return ExceptionInterceptor.Decision.HANDLED;
    }

    /** A page fault under the shadow tables: hidden (filled, retried), the guest's (reflected), a protected write (run), or refused. */
    private ExceptionInterceptor.Decision pageFault(ExceptionEvent event, int linear, int errorCode, long start) {
        ShadowPager.Fault f = pager.onPageFault(linear, errorCode);
        if (f instanceof ShadowPager.Fault.Hidden h) {
            control.setCr(2, vcpu.cr2);  // the guest never saw this fault
            record(new VmExit.HiddenPageFault(site(null, h.action(), System.nanoTime() - start), linear));
            return ExceptionInterceptor.Decision.HANDLED;
        }
        if (f instanceof ShadowPager.Fault.True t) {
            vcpu.cr2 = linear;
            reflectNext = true;
            control.raise(Vectors.PF, t.errorCode());  // the guest's error code, from its own tables
            return ExceptionInterceptor.Decision.HANDLED;
        }
        if (f instanceof ShadowPager.Fault.ProtectedWrite w) {
            GuestInstruction insn = control.decode();
            int changed = pager.runUnprotected(insn, linear, w.table());
            control.setCr(2, vcpu.cr2);
            if (w.table()) {
                record(new VmExit.PageTableWrite(site(insn, changed + " table entries changed; their shadow entries dropped",
                        System.nanoTime() - start), linear, changed));
            } else {
                record(new VmExit.HiddenPageFault(site(insn, "a write CR0.WP = 0 allows, run unprotected",
                        System.nanoTime() - start), linear));
            }
            return ExceptionInterceptor.Decision.HANDLED;
        }
        return contain(null, ((ShadowPager.Fault.Refused) f).why(), start);
    }

    private static String noDevice(int port) {
        return "port " + PrivilegedEmulator.hex4(port) + " has no device: the guest's bus is empty there";
    }

    /** The guest reached for what is not its own: it is stopped before the instruction, with a contained exit. */
    private ExceptionInterceptor.Decision contain(GuestInstruction insn, String why, long start) {
        record(new VmExit.Contained(site(insn, "stopped the guest", System.nanoTime() - start), why));
        cpu.stopAfterInstruction(StopReason.INTERCEPTED, "the hypervisor stopped the guest: " + why);
        return ExceptionInterceptor.Decision.HANDLED;
    }

    /**
     * A #GP or #SS whose memory operand lies in the window: the guest reached for the hypervisor's
     * memory through a segment cut short below it (bare hardware may have let the access through).
     * Logged as contained; the fault is then reflected as the shortened segment makes it.
     */
    private void noteWindowReach(GuestInstruction insn, ExceptionEvent event, long start) {
        long linear = Isolation.operandInWindow(cpu, insn);
        if (linear >= 0) {
            record(new VmExit.Contained(site(insn, Vectors.name(event.vector()) + " reflected", System.nanoTime() - start),
                    insn.segment() + " reaches " + PrivilegedEmulator.hex8((int) linear)
                    + " in the hypervisor's window: the guest's segment ends below it"));
        }
    }

    /** Whether the guest's descriptor for {@code selector} is a present TSS or task gate (made not present in the shadow). */
    private boolean taskSwitchTarget(int selector) {
        long d = shadows.guestDescriptor(selector & ~3);
        int type = RingCompression.type(d);
        return (d & RingCompression.PRESENT) != 0 && RingCompression.system(d)
                && (type == 0x1 || type == 0x3 || type == 0x5 || type == 0x9 || type == 0xB);
    }

    private ExceptionInterceptor.Decision finish(GuestInstruction insn, Emulation e, ExceptionEvent event, long start, boolean patched) {
        if (e instanceof Emulation.Done d) {
            long nanos = System.nanoTime() - start;
            VmExit.Site s = site(insn, d.action(), nanos);
            if (patched) {
                record(new VmExit.SensitiveInstruction(s, insn.op()));
            } else if (insn.op().equals("HLT")) {
                record(new VmExit.Halt(s, vcpu.interruptsEnabled()));
            } else {
                record(new VmExit.PrivilegedInstruction(s, insn.op()));
            }
            return ExceptionInterceptor.Decision.HANDLED;
        }
        if (e instanceof Emulation.PortAccess p) {
            record(new VmExit.PortIo(site(insn, p.action(), System.nanoTime() - start), p.port(), p.size(), p.in(), p.value()));
            return ExceptionInterceptor.Decision.HANDLED;
        }
        if (e instanceof Emulation.NoDevice n) {
            record(new VmExit.Contained(site(insn, n.action(), System.nanoTime() - start), noDevice(n.port())));
            return ExceptionInterceptor.Decision.HANDLED;
        }
        if (e instanceof Emulation.Retry r) {
            return retried(insn, r.action(), start);
        }
        if (e instanceof Emulation.Reflect r) {
            // Delivered as the CPU delivers an exception, through this interceptor again (where it
            // is recorded and reflected, not emulated once more).
            reflectNext = true;
            control.raise(r.vector(), r.errorCode());
            return ExceptionInterceptor.Decision.HANDLED;
        }
        if (e instanceof Emulation.TaskSwitch) {
            return taskSwitch(insn, start);
        }
        if (e instanceof Emulation.Unsupported u) {
            record(new VmExit.Unsupported(site(insn, u.what(), System.nanoTime() - start), u.what()));
            cpu.stopAfterInstruction(StopReason.INTERCEPTED, "the hypervisor cannot run this guest: " + u.what());
            return ExceptionInterceptor.Decision.HANDLED;
        }
        return reflect(event, "not emulated: the guest's own " + Vectors.name(event.vector()), start);
    }

    private ExceptionInterceptor.Decision retried(GuestInstruction insn, String action, long start) {
        record(new VmExit.PrivilegedInstruction(site(insn, action, System.nanoTime() - start), insn == null ? "" : insn.op()));
        return ExceptionInterceptor.Decision.HANDLED;
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

    private static boolean throughTaskGate(long gate) {
        return RingCompression.system(gate) && RingCompression.type(gate) == 0x5 && (gate & RingCompression.PRESENT) != 0;
    }

    /** An event whose IDT gate is a task gate: delivered in the guest's view, where the CPU switches tasks itself. */
    private ExceptionInterceptor.Decision taskGate(ExceptionEvent event, long start) {
        String reach = Isolation.tableInWindow(vcpu, shadows);
        if (reach == null && event.kind() == ExceptionEvent.Kind.EXCEPTION && event.hasErrorCode()) {
            reach = Isolation.gateStackInWindow(shadows, shadows.guestGate(event.vector()));
        }
        if (reach != null) {
            return contain(null, "a task gate would have the CPU use " + reach + ", in the hypervisor's window", start);
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
        record(new VmExit.GuestException(site(null, "through the guest's task gate: TR " + PrivilegedEmulator.hex4(from)
                + " -> " + PrivilegedEmulator.hex4(vcpu.tr), System.nanoTime() - start), event.vector(), event.errorCode()));
        ExceptionEvent pending = deferred;
        deferred = null;
        if (pending != null) {
            reflectNext = true;
            control.raise(pending.vector(), pending.errorCode());
        }
        return ExceptionInterceptor.Decision.HANDLED;
    }

    private ExceptionInterceptor.Decision reflect(ExceptionEvent event, String action, long start) {
        int missing = unreadableGate(event.vector());
        if (missing >= 0) {
            return gateOnUnmappedPage(event, missing, start);
        }
        long gate = prepareDelivery(event.vector());
        if (throughTaskGate(gate)) {
            return taskGate(event, start);
        }
        record(new VmExit.GuestException(site(null, action, System.nanoTime() - start), event.vector(), event.errorCode()));
        return ExceptionInterceptor.Decision.DELIVER;
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
            int esp = cpu.reg(Reg32.ESP);
            top = cpu.segmentBase(SegReg.SS) + (cpu.segment(SegReg.SS).big() ? esp : esp & 0xFFFF);
        }
        pager.prefaultWrite(top - 24, 24);  // the largest frame: SS, ESP, EFLAGS, CS, EIP and an error code
    }

    /**
     * After delivery: the frame on the guest kernel's stack shows what bare hardware would have
     * pushed (CS with RPL 0 for the guest kernel, the virtual IF and IOPL); the virtual IF is
     * cleared by an interrupt gate, as the real one was, and the real IF set again.
     */
    private void fixFrame(ExceptionEvent event) {
        int slot = RingCompression.gate32(gateOfDelivery) ? 4 : 2;
        int esp = cpu.reg(Reg32.ESP);
        if (!cpu.segment(SegReg.SS).big()) {
            esp &= 0xFFFF;
        }
        int at = esp + (event.kind() == ExceptionEvent.Kind.EXCEPTION && event.hasErrorCode() ? slot : 0);
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
}
