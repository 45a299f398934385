package dev.vwb.machine.difftest;

import dev.vwb.machine.Machine;
import dev.vwb.machine.RunResult;
import dev.vwb.machine.StopReason;
import dev.vwb.machine.cpu.Cpu;
import dev.vwb.machine.cpu.ExceptionInterceptor;
import dev.vwb.machine.cpu.Reg32;
import dev.vwb.machine.cpu.SegReg;
import dev.vwb.machine.cpu.SegmentView;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@link DiffCase}s on vwb's own CPU, under the execution model {@link DiffCase} describes:
 * an exception interceptor stops the run before any exception or INT n is delivered, and a retire
 * listener stops it when CS:EIP reaches the end of the code.
 */
final class VwbEngine implements Engine {
    /** Everything the generated cases touch lies below this address (see {@link Layout}). */
    private static final int SCRUB = 0x2_0000;

    private final Machine machine = Machine.builder().ramMiB(2).build();
    private final Cpu cpu = machine.cpu();
    private Integer vector;
    private Integer errorCode;
    private int endLinear;
    private boolean cpuFastPaths;

    VwbEngine() {
        this(true);
    }

    /** @param fastPaths false to run every instruction through the generic interpreter */
    VwbEngine(boolean fastPaths) {
        this(fastPaths, Integer.getInteger("vwb.diff.translateAfter", 32));
    }

    /**
     * @param fastPaths      false to run every instruction through the generic interpreter
     * @param translateAfter executions before a block is translated to JVM bytecode (1: at once)
     */
    VwbEngine(boolean fastPaths, int translateAfter) {
        cpu.setTranslationThreshold(translateAfter);
        cpu.setFastPaths(fastPaths);
        this.cpuFastPaths = fastPaths;
        cpu.setExceptionInterceptor((c, event) -> {
            vector = event.vector();
            errorCode = event.hasErrorCode() ? event.errorCode() : null;
            return ExceptionInterceptor.Decision.STOP;
        });
        cpu.addRetireListener((c, eip, length) -> {
            if (c.segment(SegReg.CS).base() + c.eip() == endLinear) {
                c.stopAfterInstruction(StopReason.EXIT_DEVICE, "end of the case's code");
            }
        });
    }

    @Override
    public List<DiffResult> run(List<DiffCase> batch) {
        List<DiffResult> results = new ArrayList<>(batch.size());
        for (DiffCase dc : batch) {
            results.add(runOne(dc));
        }
        return results;
    }

    private DiffResult runOne(DiffCase dc) {
        machine.memory().fill(0, SCRUB, (byte) 0);
        for (DiffCase.MemBlock b : dc.memory()) {
            machine.memory().load(b.address(), b.bytes());
        }
        machine.memory().load(dc.codeLinear(), dc.code());
        cpu.reset();
        boolean real = dc.mode() == DiffCase.Mode.REAL16;
        if (!real) {
            cpu.setCr0(Cpu.CR0_PE | Cpu.CR0_ET);
        }
        for (SegReg s : SegReg.values()) {
            int sel = dc.selectors()[s.ordinal()];
            cpu.setSegment(s, real ? SegmentView.realMode(sel, s == SegReg.CS) : SegmentView.flat32(sel, s == SegReg.CS));
        }
        for (Reg32 r : Reg32.values()) {
            cpu.setReg(r, dc.gprs()[r.ordinal()]);
        }
        cpu.setEflags(dc.eflags());
        cpu.setEip(dc.startEip());
        endLinear = dc.csBase() + dc.endEip();
        vector = null;
        errorCode = null;

        RunResult r;
        try {
            r = machine.run(Math.max(dc.maxInstructions(), 64));
        } catch (RuntimeException e) {
            return DiffResult.failed(dc.id(), "vwb threw " + e);
        }
        String error = switch (r.reason()) {
            case EXIT_DEVICE, INTERCEPTED -> null;
            default -> "vwb stopped: " + r;
        };
        int[] gprs = new int[8];
        for (Reg32 reg : Reg32.values()) {
            gprs[reg.ordinal()] = cpu.reg(reg);
        }
        int[] selectors = new int[6];
        for (SegReg s : SegReg.values()) {
            selectors[s.ordinal()] = cpu.segment(s).selector();
        }
        List<DiffCase.MemBlock> memory = new ArrayList<>();
        for (DiffCase.MemBlock b : dc.memory()) {
            memory.add(new DiffCase.MemBlock(b.address(), machine.memory().read(b.address(), b.bytes().length)));
        }
        return new DiffResult(dc.id(), gprs, cpu.eip(), cpu.eflags(), selectors, memory, vector, errorCode, cpu.cr2(),
                (int) r.instructions(), error);
    }

    @Override
    public String name() {
        return cpuFastPaths ? "vwb" : "vwb-generic";
    }
}
