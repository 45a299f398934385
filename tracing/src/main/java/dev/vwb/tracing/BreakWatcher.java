package dev.vwb.tracing;

import dev.vwb.machine.Machine;
import dev.vwb.machine.StopReason;
import dev.vwb.machine.asm.Disassembler;
import dev.vwb.machine.cpu.Cpu;
import dev.vwb.machine.cpu.ExceptionEvent;
import dev.vwb.machine.cpu.ExceptionInterceptor;
import dev.vwb.machine.cpu.SegReg;
import dev.vwb.machine.cpu.SegmentView;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The machine side of {@link Breakpoints}: installs the hooks the enabled breakpoints need and
 * decides hits. Execution breakpoints use the execution hook (stop before the instruction;
 * resuming lets that instruction run once). Watchpoints use memory and I/O listeners and stop
 * after the instruction; a retire listener completes their report with the instruction that made
 * the access. Vector breakpoints use the (shared) exception interceptor and stop after delivery.
 */
final class BreakWatcher {
    private final Machine machine;
    private final Cpu cpu;
    private final ClassMemo memo = new ClassMemo();
    /** The bytes of the instruction a mnemonic or class breakpoint looks at, reused: no allocation per instruction. */
    private final long[] code = new long[2];
    private final Breakpoints owner;
    BreakReport lastReport;

    private Breakpoint[] exec = new Breakpoint[0];
    private Breakpoint[] memory = new Breakpoint[0];
    private Breakpoint[] ports = new Breakpoint[0];
    private Breakpoint[] vectors = new Breakpoint[0];
    private Breakpoint[] exits = new Breakpoint[0];
    private AutoCloseable exitHandle;
    private AutoCloseable execHandle;
    private AutoCloseable memoryHandle;
    private AutoCloseable portHandle;
    private AutoCloseable vectorHandle;
    private AutoCloseable retireHandle;

    /** Where the last execution stop was, so that resuming runs that instruction once. */
    private long resumeRetired = -1;
    private int resumeLinear;
    /** A watchpoint hit waiting for its instruction to retire. */
    private Breakpoint pendingBreakpoint;
    private BreakReport.WatchedAccess pendingAccess;

    BreakWatcher(Machine machine, Breakpoints owner) {
        this.machine = machine;
        this.owner = owner;
        this.cpu = machine.cpu();
    }

    /** Installs exactly the hooks {@code enabled} needs, and removes the others. */
    void install(List<Breakpoint> enabled) {
        List<Breakpoint> e = new ArrayList<>();
        List<Breakpoint> m = new ArrayList<>();
        List<Breakpoint> p = new ArrayList<>();
        List<Breakpoint> v = new ArrayList<>();
        List<Breakpoint> x = new ArrayList<>();
        for (Breakpoint b : enabled) {
            BreakCondition c = b.condition();
            (c.beforeInstruction() ? e : c instanceof BreakCondition.Memory ? m : c instanceof BreakCondition.Port ? p
                    : c instanceof BreakCondition.VmExitReason ? x : v).add(b);
        }
        exits = x.toArray(new Breakpoint[0]);
        exitHandle = toggle(exitHandle, exits.length > 0, () -> MachineEvents.subscribe(cpu, this::onMachineEvent));
        exec = e.toArray(new Breakpoint[0]);
        memory = m.toArray(new Breakpoint[0]);
        ports = p.toArray(new Breakpoint[0]);
        vectors = v.toArray(new Breakpoint[0]);
        execHandle = toggle(execHandle, exec.length > 0, () -> HookSlots.of(cpu).addExecutionHook(this::stopBefore));
        memoryHandle = toggle(memoryHandle, memory.length > 0, () -> cpu.addMemoryListener(this::memoryAccessed));
        portHandle = toggle(portHandle, ports.length > 0, () -> machine.io().addListener(this::portAccessed));
        vectorHandle = toggle(vectorHandle, vectors.length > 0, () -> HookSlots.of(cpu).addInterceptor(this::onException));
        boolean needRetire = memory.length > 0 || ports.length > 0 || pendingBreakpoint != null;
        retireHandle = toggle(retireHandle, needRetire, () -> cpu.addRetireListener((c, eip, length) -> retired(eip)));
    }

    private interface Installer {
        AutoCloseable install();
    }

    private static AutoCloseable toggle(AutoCloseable handle, boolean wanted, Installer installer) {
        if (wanted && handle == null) {
            return installer.install();
        }
        if (!wanted && handle != null) {
            try {
                handle.close();
            } catch (Exception e) {
                throw new IllegalStateException("removing a breakpoint hook failed: " + e, e);
            }
            return null;
        }
        return handle;
    }

    // ---- execution breakpoints ----------------------------------------------------------

    private boolean stopBefore(Cpu c, int eip) {
        int linear = c.segmentBase(SegReg.CS) + eip;
        long retired = c.instructionsRetired();
        if (retired == resumeRetired && linear == resumeLinear) {
            resumeRetired = -1;  // continuing from this breakpoint: run the instruction once
            return false;
        }
        resumeRetired = -1;
        Breakpoint first = null;
        String error = null;
        for (Breakpoint b : exec) {
            if (!b.enabled()) {
                continue;
            }
            String threw = null;
            boolean hit;
            try {
                hit = matches(b.condition(), c, linear);
            } catch (RuntimeException ex) {
                hit = true;
                threw = "the predicate threw " + ex.getClass().getSimpleName()
                        + (ex.getMessage() == null ? "" : ": " + ex.getMessage()) + "; breakpoint disabled";
                b.disableQuietly();  // it would throw again at every instruction
            }
            if (hit) {
                b.hit();
                if (first == null) {
                    first = b;
                    error = threw;
                }
            }
        }
        if (first == null) {
            return false;
        }
        lastReport = report(first, c.selector(SegReg.CS), eip, linear, c.segment(SegReg.CS).big(), Optional.empty(), Optional.empty(),
                Optional.ofNullable(error));
        resumeRetired = retired;
        resumeLinear = linear;
        afterHit(first, true);
        return true;
    }

    private boolean matches(BreakCondition c, Cpu cpu, int linear) {
        if (c instanceof BreakCondition.Address a) {
            return (linear & 0xFFFF_FFFFL) == a.linear();
        }
        if (c instanceof BreakCondition.PhysicalAddress p) {
            return PageWalk.physical(cpu, machine.memory(), linear) == p.physical();
        }
        if (c instanceof BreakCondition.Mnemonic m) {
            CodeBytes.read(cpu, machine.memory(), linear, 15, code);
            return memo.mnemonic(code[0], code[1], 15, cpu.segment(SegReg.CS).big()).equals(m.mnemonic());
        }
        if (c instanceof BreakCondition.OfClass k) {
            CodeBytes.read(cpu, machine.memory(), linear, 15, code);
            return (memo.classMask(code[0], code[1], 15, cpu.segment(SegReg.CS).big()) & 1 << k.insnClass().ordinal()) != 0;
        }
        return ((BreakCondition.When) c).predicate().test(cpu);
    }

    // ---- watchpoints ----------------------------------------------------------------------

    private void memoryAccessed(Cpu c, int linear, int physical, int size, int value, boolean write) {
        for (Breakpoint b : memory) {
            BreakCondition.Memory m = (BreakCondition.Memory) b.condition();
            if (b.enabled() && m.range().overlaps(linear, size) && m.access().matches(write)) {
                watchHit(b, new BreakReport.WatchedAccess(false, linear, size, value, write));
            }
        }
    }

    private void portAccessed(int port, int size, int value, boolean write) {
        for (Breakpoint b : ports) {
            BreakCondition.Port p = (BreakCondition.Port) b.condition();
            if (b.enabled() && port >= p.first() && port <= p.last()) {
                watchHit(b, new BreakReport.WatchedAccess(true, port, size, value, write));
            }
        }
    }

    private void watchHit(Breakpoint b, BreakReport.WatchedAccess access) {
        long retired = cpu.instructionsRetired();
        if (b.lastHitAt == retired) {
            return;  // once per instruction, however many of its accesses match
        }
        b.lastHitAt = retired;
        b.hit();
        if (pendingBreakpoint == null) {
            pendingBreakpoint = b;
            pendingAccess = access;
            // Provisional: if the instruction faults instead of retiring, this is the report.
            SegmentView cs = cpu.segment(SegReg.CS);
            lastReport = report(b, cs.selector(), cpu.eip(), cs.base() + cpu.eip(), cs.big(), Optional.of(access),
                    Optional.empty(), Optional.empty());
            cpu.stopAfterInstruction(StopReason.BREAKPOINT, lastReport.toString());
        }
        afterHit(b, false);
    }

    /** The instruction that made the watched access retired at {@code eip}: report it. */
    private void retired(int eip) {
        if (pendingBreakpoint == null) {
            return;
        }
        SegmentView cs = cpu.segment(SegReg.CS);
        lastReport = report(pendingBreakpoint, cs.selector(), eip, cs.base() + eip, cs.big(), Optional.of(pendingAccess),
                Optional.empty(), Optional.empty());
        cpu.stopAfterInstruction(StopReason.BREAKPOINT, lastReport.toString());
        pendingBreakpoint = null;
        pendingAccess = null;
        owner.changed();  // one-shots that fired are gone; the retire listener may go too
    }

    // ---- vectors ----------------------------------------------------------------------------

    private ExceptionInterceptor.Decision onException(Cpu c, ExceptionEvent event) {
        for (Breakpoint b : vectors) {
            if (b.enabled() && ((BreakCondition.Vector) b.condition()).vector() == event.vector()) {
                b.hit();
                SegmentView cs = c.segment(SegReg.CS);
                lastReport = report(b, cs.selector(), event.eip(), cs.base() + event.eip(), cs.big(), Optional.empty(),
                        Optional.of(event.toString()), Optional.empty());
                c.stopAfterInstruction(StopReason.BREAKPOINT, lastReport.toString());
                afterHit(b, true);
                break;
            }
        }
        return ExceptionInterceptor.Decision.DELIVER;  // stop at the handler, after delivery
    }

    // ---- VM exits ---------------------------------------------------------------------------

    private void onMachineEvent(TraceEvent event) {
        if (!(event instanceof TraceEvent.VmExit exit)) {
            return;
        }
        for (Breakpoint b : exits) {
            if (b.enabled() && ((BreakCondition.VmExitReason) b.condition()).matches(exit.reason())) {
                b.hit();
                SegmentView cs = cpu.segment(SegReg.CS);
                lastReport = report(b, exit.cs(), exit.eip(), cs.base() + exit.eip(), cs.big(), Optional.empty(),
                        Optional.of("VM exit: " + exit.reason() + " (" + exit.action() + ")"), Optional.empty());
                cpu.stopAfterInstruction(StopReason.BREAKPOINT, lastReport.toString());
                afterHit(b, true);
                break;
            }
        }
    }

    // ---- common -------------------------------------------------------------------------------

    private void afterHit(Breakpoint b, boolean reinstallNow) {
        if (b.oneShot()) {
            owner.deleteFired(b);
            if (reinstallNow) {
                owner.changed();
            }
        }
    }

    private BreakReport report(Breakpoint b, int cs, int eip, int linear, boolean bits32,
                               Optional<BreakReport.WatchedAccess> access, Optional<String> exception,
                               Optional<String> error) {
        byte[] code = CodeBytes.read(cpu, machine.memory(), linear, 15);
        String text = Disassembler.disassemble(code, 0, linear & 0xFFFF_FFFFL, bits32 ? 32 : 16).text();
        return new BreakReport(b.id(), b.condition().toString(), cs, eip, linear, text, access, exception, error);
    }
}
