package dev.vwb.tracing;

import dev.vwb.machine.cpu.Cpu;
import dev.vwb.machine.cpu.ExecutionHook;
import dev.vwb.machine.cpu.RetireListener;
import dev.vwb.machine.cpu.SegReg;
import dev.vwb.machine.cpu.SegmentView;
import dev.vwb.machine.memory.PhysicalMemory;

/**
 * Records instructions: when one retires it reads the registers, compares them with the state
 * before it, reads the bytes and hands primitives to the tracer; it allocates nothing.
 *
 * <p>Reading EFLAGS works out the lazy flags, which costs as much as the rest together, so the
 * registers are read once per instruction: the state after one instruction is the state before
 * the next, unless something came between. The execution hook (which never stops the run)
 * checks that nothing did — same EIP as the last one left, no step in between (an exception
 * delivery or an interrupt moves EIP; halted steps count), general registers untouched (a
 * script may write them between runs) — and reads everything afresh otherwise. An instruction
 * that faults does not retire and leaves no instruction event (its exception does).
 */
final class InstructionProbe implements ExecutionHook, RetireListener {
    private final Tracer tracer;
    private final PhysicalMemory mem;
    private final AddressRange range;
    private final int classMask;
    private final ClassMemo memo = new ClassMemo();
    private int[] before = new int[Register.COUNT];
    private int[] after = new int[Register.COUNT];
    private final long[] code = new long[2];
    private int csBase;
    private int csSelector = -1;
    private int csCr0;
    private boolean bits32;
    /** What the CPU looked like when the last instruction retired: {@link #after} holds for this EIP and count. */
    private boolean afterValid;
    private int afterEip;
    private long afterRetired;

    InstructionProbe(Tracer tracer, PhysicalMemory mem, AddressRange range, int classMask) {
        this.tracer = tracer;
        this.mem = mem;
        this.range = range;
        this.classMask = classMask;
    }

    @Override
    public boolean stopBefore(Cpu cpu, int eip) {
        if (afterValid && eip == afterEip && cpu.instructionsRetired() == afterRetired
                && Register.generalUnchanged(cpu, after)) {
            int[] t = before;  // the last instruction's after is this one's before
            before = after;
            after = t;
        } else {
            Register.capture(cpu, before);
        }
        afterValid = false;
        int selector = cpu.selector(SegReg.CS);
        int cr0 = cpu.cr0();
        if (selector != csSelector || cr0 != csCr0) {
            // CS's base and size change with a CS load, which changes the selector, or with a
            // mode switch (CR0.PE); reloading the same selector after rewriting its descriptor is
            // the one case this misses, for the price of a view per instruction.
            SegmentView cs = cpu.segment(SegReg.CS);
            csBase = cs.base();
            bits32 = cs.big();
            csSelector = selector;
            csCr0 = cr0;
        }
        return false;
    }

    @Override
    public void retired(Cpu cpu, int eip, int length) {
        Register.capture(cpu, after);
        afterValid = true;
        afterEip = cpu.eip();
        afterRetired = cpu.instructionsRetired();
        int linear = csBase + eip;
        if (!range.contains(linear)) {
            return;
        }
        int physical = CodeBytes.read(cpu, mem, linear, length, code);
        if (classMask != 0 && (memo.classMask(code[0], code[1], length, bits32) & classMask) == 0) {
            return;
        }
        int mask = 0;
        for (int i = 0; i < Register.COUNT; i++) {
            int d = before[i] ^ after[i];
            mask |= ((d | -d) >>> 31) << i;  // without a branch: which registers change is unpredictable
        }
        tracer.instruction(afterRetired - 1, before[Register.CS.ordinal()], eip, linear, physical,
                code[0], code[1], length, bits32, mask, before, after);
    }
}
