package dev.vwb.tracing;

import dev.vwb.machine.cpu.Cpu;
import dev.vwb.machine.cpu.ExecutionHook;
import dev.vwb.machine.cpu.RetireListener;
import dev.vwb.machine.cpu.SegReg;
import dev.vwb.machine.cpu.SegmentView;
import dev.vwb.machine.memory.PhysicalMemory;

/**
 * Records instructions: before each one it captures the registers and CS (the execution hook
 * never stops the run); when it retires it compares, reads the bytes and hands primitives to
 * the tracer. An instruction that faults does not retire and leaves no instruction event (its
 * exception does), so register changes are exactly those of the instruction, not of a delivery
 * in between. Allocates nothing per instruction.
 */
final class InstructionProbe implements ExecutionHook, RetireListener {
    private final Tracer tracer;
    private final PhysicalMemory mem;
    private final AddressRange range;
    private final int classMask;
    private final ClassMemo memo = new ClassMemo();
    private final int[] before = new int[Register.COUNT];
    private final int[] after = new int[Register.COUNT];
    private final long[] code = new long[2];
    private int csBase;
    private boolean bits32;

    InstructionProbe(Tracer tracer, PhysicalMemory mem, AddressRange range, int classMask) {
        this.tracer = tracer;
        this.mem = mem;
        this.range = range;
        this.classMask = classMask;
    }

    @Override
    public boolean stopBefore(Cpu cpu, int eip) {
        Register.capture(cpu, before);
        SegmentView cs = cpu.segment(SegReg.CS);
        csBase = cs.base();
        bits32 = cs.big();
        return false;
    }

    @Override
    public void retired(Cpu cpu, int eip, int length) {
        int linear = csBase + eip;
        if (!range.contains(linear)) {
            return;
        }
        int physical = CodeBytes.read(cpu, mem, linear, length, code);
        if (classMask != 0 && (memo.classMask(code[0], code[1], length, bits32) & classMask) == 0) {
            return;
        }
        Register.capture(cpu, after);
        int mask = 0;
        for (int i = 0; i < Register.COUNT; i++) {
            if (before[i] != after[i]) {
                mask |= 1 << i;
            }
        }
        tracer.instruction(cpu.instructionsRetired() - 1, before[Register.CS.ordinal()], eip, linear, physical,
                code[0], code[1], length, bits32, mask, before, after);
    }
}
