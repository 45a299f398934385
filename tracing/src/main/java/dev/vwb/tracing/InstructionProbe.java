package dev.vwb.tracing;

import dev.vwb.machine.cpu.Cpu;
import dev.vwb.machine.cpu.ExecutionHook;
import dev.vwb.machine.cpu.RetireListener;
import dev.vwb.machine.cpu.SegReg;
import dev.vwb.machine.memory.PhysicalMemory;

/**
 * Records instructions: before each one (the execution hook, which never stops the run) it
 * makes sure it knows the state before; when it retires it reads the bytes and the state after.
 * An instruction that faults does not retire and leaves no instruction event (its exception does).
 *
 * <p>Reading the registers is the main cost, so they are read once per instruction (EFLAGS as
 * the CPU keeps it, lazily, since working it out costs more than all the rest): the state after
 * one instruction is the state before the next unless something came between, which the hook
 * checks — the same EIP as the last one left, no step in between (a delivery moves EIP; halted
 * steps count), the general registers untouched (a script may write them between runs) —
 * reading everything afresh otherwise.
 *
 * <p>Fast path: when a ring buffer is the tracer's only sink and nothing is filtered out, the
 * state after goes straight into the ring and the ring works out the changes when queried, so
 * recording allocates nothing and compares nothing. Otherwise the probe compares the states
 * and hands the tracer a record.
 */
final class InstructionProbe implements ExecutionHook, RetireListener {
    private final Tracer tracer;
    private final RingBuffer ring;
    private final PhysicalMemory mem;
    private final AddressRange range;
    private final int classMask;
    private final ClassMemo memo = new ClassMemo();
    private final long[] code = new long[2];
    private int[] before = new int[Register.STATE_SIZE];
    private int[] own = new int[Register.STATE_SIZE];
    /** Where the state after the last retired instruction is: {@link #own} or the ring's states. */
    private int[] afterArray = own;
    private int afterAt;
    private boolean afterValid;
    private int afterEip;
    private long afterRetired;
    /** Fast path: whether {@link #before} holds this instruction's state before (else it is the ring's previous state). */
    private boolean beforeExplicit;
    private long ringIndex = -2;
    private int csBase;
    private boolean bits32;
    private int csSelector = -1;
    private int csCr0;

    /** {@code ring} non-null selects the fast path (it must be the only sink, with no range or class filter). */
    InstructionProbe(Tracer tracer, RingBuffer ring, PhysicalMemory mem, AddressRange range, int classMask) {
        this.tracer = tracer;
        this.ring = ring;
        this.mem = mem;
        this.range = range;
        this.classMask = classMask;
    }

    @Override
    public boolean stopBefore(Cpu cpu, int eip) {
        boolean contiguous = afterValid && eip == afterEip && cpu.instructionsRetired() == afterRetired
                && Register.generalUnchanged(cpu, afterArray, afterAt);
        afterValid = false;
        if (ring != null) {
            beforeExplicit = !contiguous || ring.lastInstruction() != ringIndex;
            if (beforeExplicit) {
                Register.capture(cpu, before, 0);
            }
        } else {
            beforeGeneral(cpu, contiguous);
        }
        int selector = cpu.selector(SegReg.CS);
        int base = cpu.segmentBase(SegReg.CS);
        int cr0 = cpu.cr0();
        if (selector != csSelector || base != csBase || cr0 != csCr0) {
            csChanged(cpu, selector, base, cr0);
        }
        return false;
    }

    // The methods are split so that the common path is small enough for the JIT to inline into the run loop.

    private void beforeGeneral(Cpu cpu, boolean contiguous) {
        if (contiguous) {
            int[] t = before;  // the last instruction's after is this one's before
            before = own;
            own = t;
        } else {
            Register.capture(cpu, before, 0);
        }
    }

    /**
     * Whether CS is 32-bit changes only with a CS load or a mode switch; rewriting the descriptor
     * of the selector in CS and reloading it is the one case this misses, for the price of a view
     * per instruction.
     */
    private void csChanged(Cpu cpu, int selector, int base, int cr0) {
        bits32 = cpu.segment(SegReg.CS).big();
        csSelector = selector;
        csBase = base;
        csCr0 = cr0;
    }

    @Override
    public void retired(Cpu cpu, int eip, int length) {
        afterEip = cpu.eip();
        afterRetired = cpu.instructionsRetired();
        afterValid = true;
        if (ring != null) {
            int linear = csBase + eip;
            int physical = CodeBytes.read(cpu, mem, linear, length, code);
            int at = ring.instruction(afterRetired - 1, csSelector, eip, linear, physical, code[0], code[1], length, bits32,
                    beforeExplicit ? before : null);
            Register.capture(cpu, ring.states(), at);
            afterArray = ring.states();
            afterAt = at;
            ringIndex = ring.lastInstruction();
        } else {
            retiredGeneral(cpu, eip, length);
        }
    }

    private void retiredGeneral(Cpu cpu, int eip, int length) {
        int linear = csBase + eip;
        Register.capture(cpu, own, 0);
        afterArray = own;
        afterAt = 0;
        if (!range.contains(linear)) {
            return;
        }
        int physical = CodeBytes.read(cpu, mem, linear, length, code);
        if (classMask != 0 && (memo.classMask(code[0], code[1], length, bits32) & classMask) == 0) {
            return;
        }
        tracer.instruction(afterRetired - 1, csSelector, eip, linear, physical, code[0], code[1], length, bits32,
                Register.resolve(before, 0), Register.resolve(own, 0));
    }
}
