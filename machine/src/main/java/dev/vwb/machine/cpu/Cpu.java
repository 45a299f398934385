package dev.vwb.machine.cpu;

import dev.vwb.machine.StopReason;
import dev.vwb.machine.io.IoBus;
import dev.vwb.machine.memory.PhysicalMemory;
import java.util.ArrayList;
import java.util.List;

/**
 * A 486-class x86 CPU: the architectural state, the fetch–decode–execute loop, segmented memory
 * access and exception delivery. The instructions themselves live in {@link Interpreter} and the
 * instruction-family classes beside it.
 *
 * <p>The hot loop ({@link #runChunk}) looks up the decoded instruction for CS:EIP in the
 * {@link DecodeCache}, executes it, and counts it; it checks one {@code attention} word for
 * everything unusual (pending interrupts, single-step, stop requests), so that nothing that is
 * not happening costs more than that one branch.
 */
public final class Cpu {
    static final int EAX = 0, ECX = 1, EDX = 2, EBX = 3, ESP = 4, EBP = 5, ESI = 6, EDI = 7;
    static final int ES = 0, CS = 1, SS = 2, DS = 3, FS = 4, GS = 5;

    // CR0 bits (SDM Vol. 3A §2.5).
    public static final int CR0_PE = 1;          // protection enable
    public static final int CR0_MP = 1 << 1;     // monitor coprocessor
    public static final int CR0_EM = 1 << 2;     // emulate coprocessor: x87 opcodes raise #NM
    public static final int CR0_TS = 1 << 3;     // task switched
    public static final int CR0_ET = 1 << 4;     // extension type (hard-wired 1 on the 486)
    public static final int CR0_NE = 1 << 5;     // numeric error
    public static final int CR0_WP = 1 << 16;    // write protect for supervisor writes
    public static final int CR0_AM = 1 << 18;    // alignment mask
    public static final int CR0_NW = 1 << 29;    // not write-through
    public static final int CR0_CD = 1 << 30;    // cache disable
    public static final int CR0_PG = 1 << 31;    // paging
    /** CR0 after reset on a 486 without an FPU: CD, NW, ET set (SDM Vol. 3A §9.1.1, Table 9-1). */
    static final int CR0_RESET = CR0_CD | CR0_NW | CR0_ET;

    // Attention bits: reasons to leave the fast path before the next instruction.
    static final int ATTN_STOP = 1;          // a stop reason is set
    static final int ATTN_TRAP = 2;          // TF was set at the start of the last instruction
    static final int ATTN_SHADOW = 4;        // interrupts inhibited for one instruction (STI, MOV SS)
    static final int ATTN_IRQ = 8;           // an interrupt line may be raised
    static final int ATTN_HALT = 16;         // HLT executed
    static final int ATTN_CODE = 32;         // decoded code was dropped, or CS changed: do not follow links

    private static final int CHUNK = 1 << 14;
    /** Executions after which an instruction's block is translated to JVM bytecode. */
    private int hot = 32;
    /** Whether hot blocks are translated (off: everything is interpreted). */
    private boolean translation = true;

    // ---- architectural state (package-private for the interpreter) ----------------------------
    final int[] regs = new int[8];
    int eip;
    final Flags flags = new Flags();
    final Segment[] seg = new Segment[6];
    final Segment ldtr = new Segment();
    final Segment tr = new Segment();
    int gdtrBase, gdtrLimit, idtrBase, idtrLimit;
    int cr0, cr2, cr3, cr4;
    final int[] dr = new int[8];
    /** Where the software interrupt being delivered starts ({@link #softwareInterrupt}). */
    private int softwareInterruptStart;
    /** TSC = retired instructions + this offset (WRMSR to the TSC changes the offset). */
    long tscOffset;
    /** Current privilege level; set through {@link #setCpl}. */
    int cpl;
    /** CS default size is 32 bits; SS uses ESP rather than SP. */
    boolean cs32, ss32;

    // ---- machine plumbing ------------------------------------------------------------------
    final PhysicalMemory mem;
    final IoBus io;
    /** CR0.PG (and PE): linear addresses go through {@link #pager}. */
    boolean paging;
    final Paging pager;
    /** Segment checks, paging and the TLB fast path for every data access. */
    final Mmu mmu;
    private final DecodeCache cache;
    private final Decoder decoder = new Decoder();
    private final Decoder.CodeBytes codeBytes = this::fetchCodeByte;

    int attention;
    private volatile boolean stopRequested;
    private StopReason stopReason;
    private String stopDetail = "";
    boolean halted;
    /** The virtual clock: instructions retired, plus {@link #idleSteps}. */
    long retired;
    /** Steps spent halted, waiting for an interrupt. */
    long idleSteps;

    private ExceptionInterceptor interceptor;
    private final CpuControl control = new CpuControl(this);
    /** Maps the CR3 a task switch loads from a TSS to the one the CPU uses (a monitor's shadow tables), or null. */
    java.util.function.IntUnaryOperator cr3Filter;
    /** Told the selector whose descriptor the CPU marked accessed (a monitor's shadow tables), or null. */
    java.util.function.IntConsumer accessedListener;
    /** Turns chosen instructions into traps as they are decoded (a monitor's patcher), or null. */
    DecodeFilter decodeFilter;
    private final List<RetireListener> retireListeners = new ArrayList<>();
    private RetireListener[] retireArray;
    private final List<MemoryListener> memoryListenerList = new ArrayList<>();
    /** The memory observers, or null when there are none (then the TLB fast path is used). */
    MemoryListener[] memoryListeners;
    private ExecutionHook executionHook;

    private InterruptLine interruptLine;

    /** An interrupt controller as the CPU sees it: the INTR line and the acknowledge cycle. */
    public interface InterruptLine {
        /** Whether INTR is asserted. */
        boolean pending();

        /** The INTA cycle: returns the vector of the highest-priority pending interrupt. */
        int acknowledge();
    }

    public Cpu(PhysicalMemory mem, IoBus io) {
        this.mem = mem;
        this.io = io;
        for (int i = 0; i < 6; i++) {
            seg[i] = new Segment();
        }
        this.cache = new DecodeCache(mem, () -> attention |= ATTN_CODE);
        this.pager = new Paging(this, mem);
        this.mmu = new Mmu(this);
        reset();
    }

    /** The power-on state (SDM Vol. 3A §9.1.1, Table 9-1): real mode, CS:EIP = F000:FFF0, CS base FFFF0000. */
    public void reset() {
        java.util.Arrays.fill(regs, 0);
        regs[EDX] = 0x0400 | Cpuid.FAMILY_MODEL_STEPPING & 0xFF;  // EDX holds the CPU signature after reset
        flags.put(Eflags.FIXED_1);
        eip = 0xFFF0;
        seg[CS].set(0xF000, 0xFFFF_0000, 0xFFFF, Segment.REAL_MODE_CODE);
        for (int s : new int[] {ES, SS, DS, FS, GS}) {
            seg[s].set(0, 0, 0xFFFF, Segment.REAL_MODE_DATA);
        }
        ldtr.set(0, 0, 0xFFFF, Segment.PRESENT | 2 << 8);
        tr.set(0, 0, 0xFFFF, Segment.PRESENT | 11 << 8);
        gdtrBase = idtrBase = 0;
        gdtrLimit = idtrLimit = 0xFFFF;
        cr0 = CR0_RESET;
        cr2 = cr3 = cr4 = 0;
        paging = false;
        if (pager != null) {
            pager.flushAll();
        }
        java.util.Arrays.fill(dr, 0);
        dr[6] = 0xFFFF0FF0;
        dr[7] = 0x400;
        setCpl(0);
        cs32 = ss32 = false;
        halted = false;
        attention = 0;
        stopReason = null;
        cache.flushAll();
    }

    // =====================================================================================
    // The run loop
    // =====================================================================================

    /**
     * Runs until something stops the machine or {@code budget} steps have been taken (an
     * instruction retired or an exception delivered). Returns why it stopped.
     */
    public StopReason run(long budget) {
        stopRequested = false;
        long steps = 0;
        try {
            while (true) {
                if (stopRequested) {
                    stopRequested = false;
                    return StopReason.STOP_REQUESTED;
                }
                long remaining = budget - steps;
                if (remaining <= 0) {
                    return StopReason.INSTRUCTION_LIMIT;
                }
                int chunk = (int) Math.min(CHUNK, remaining);
                int done = runChunk(chunk);
                steps += done;
                if (stopReason != null) {
                    StopReason r = stopReason;
                    stopReason = null;
                    sliceEnd = false;
                    attention &= ~ATTN_STOP;
                    return r;
                }
                if (sliceEnd) {
                    sliceEnd = false;
                    attention &= ~ATTN_STOP;
                    return StopReason.INSTRUCTION_LIMIT;
                }
            }
        } finally {
            lastRunSteps = steps;
        }
    }

    /** How many steps the last {@link #run} took (instructions, deliveries and halted waits). */
    public long lastRunSteps() {
        return lastRunSteps;
    }

    private long lastRunSteps;

    /** Executes exactly one step (an instruction, or the delivery of a pending event). */
    public StopReason step() {
        return run(1);
    }

    /** Asks a running {@link #run} to return at the next instruction boundary; safe from any thread. */
    public void requestStop() {
        stopRequested = true;
    }

    /**
     * Makes the current {@link #run} return after this instruction as if its budget were used up,
     * so that the machine can reschedule (a timer was reprogrammed). Not a stop: the machine
     * carries on with the rest of its budget.
     */
    public void endSlice() {
        sliceEnd = true;
        attention |= ATTN_STOP;
    }

    private boolean sliceEnd;

    /** Makes the current run stop after the current instruction, e.g. when a device says so. */
    public void stopAfterInstruction(StopReason reason, String detail) {
        stopReason = reason;
        stopDetail = detail == null ? "" : detail;
        attention |= ATTN_STOP;
    }

    /** The detail of the last stop requested through {@link #stopAfterInstruction}. */
    public String stopDetail() {
        return stopDetail;
    }

    private int runChunk(int maxSteps) {
        if (retireArray != null || executionHook != null) {
            return runObserved(maxSteps);
        }
        // The previous instruction and its address: when execution falls through to the next
        // instruction on the same page, its link replaces the decode-cache lookup.
        Insn prev = null;
        int prevPc = 0;
        for (int n = 0; n < maxSteps; n++) {
            if (attention != 0) {
                prev = null;  // modes, code or CS may have changed: look the next one up afresh
                if (!serviceAttention()) {
                    return n;
                }
                if (halted) {
                    // Nothing runs until an interrupt, and none can come before this chunk ends
                    // (devices act only when the CPU touches them, and the machine ends its slices
                    // at the timer's next edge): the rest of the chunk passes as idle time at once.
                    int idle = maxSteps - n - 1;
                    retired += idle;
                    idleSteps += idle;
                    n += idle;
                    continue;
                }
            }
            int pc = eip;
            try {
                Insn insn = prev == null ? fetch(pc) : follow(prev, prevPc, pc);
                CompiledBlock block = insn.compiled;
                if (block == null && ++insn.heat == hot && insn.cached && translation) {
                    block = BlockCompiler.compile(insn, pc, this::fetchAhead);
                    insn.compiled = block;
                }
                if (block != null && attention == 0 && maxSteps - n >= block.insns.length) {
                    // (With attention raised, e.g. single-stepping, instructions go one at a time.)
                    // Run translated blocks back to back for as long as they chain.
                    int bpc = pc;
                    while (true) {
                        int steps;
                        try {
                            steps = block.run(this, bpc);
                        } catch (GuestFault f) {
                            int completed = block.completedBefore(eip - bpc);
                            retired += completed;
                            n += completed;  // the loop counts the delivery
                            throw f;
                        }
                        n += steps;
                        prev = block.insns[steps - 1];
                        prevPc = bpc + block.offsets[steps - 1];
                        if (attention != 0 || steps != block.insns.length || eip == prevPc) {
                            break;  // stopped early, or a REP yields: continue one at a time
                        }
                        CompiledBlock next = block.successor(eip - bpc);
                        if (next == null) {
                            next = linkSuccessor(block, prev, prevPc, bpc);
                        }
                        if (next == null || maxSteps - n < next.insns.length) {
                            break;
                        }
                        bpc = eip;
                        block = next;
                    }
                    n--;  // the for loop adds one
                    continue;
                }
                FastPath fast = insn.fast;
                if (fast != null) {
                    fast.run(this, insn);
                } else {
                    Interpreter.execute(this, insn);
                }
                retired++;
                prev = insn;
                prevPc = pc;
            } catch (GuestFault f) {
                // Instructions change EIP and ESP only once nothing can fault any more, so the
                // state here is the state before the faulting instruction (see Interpreter).
                prev = null;
                raise(f.vector, f.errorCode, ExceptionEvent.Kind.EXCEPTION);
            }
        }
        return maxSteps;
    }

    /**
     * The run loop while a hook or retire listener watches: one instruction at a time through
     * the interpreter, never translated. Kept apart from {@link #runChunk} so that the JIT
     * compiles each for its own use (a loop compiled for translated blocks and then reused for
     * observed runs inlines neither well).
     */
    private int runObserved(int maxSteps) {
        final RetireListener[] listeners = retireArray;
        final ExecutionHook hook = executionHook;
        Insn prev = null;
        int prevPc = 0;
        for (int n = 0; n < maxSteps; n++) {
            if (attention != 0) {
                prev = null;
                if (!serviceAttention()) {
                    return n;
                }
                if (halted) {
                    int idle = maxSteps - n - 1;  // as in runChunk
                    retired += idle;
                    idleSteps += idle;
                    n += idle;
                    continue;
                }
            }
            int pc = eip;
            if (hook != null && hook.stopBefore(this, pc)) {
                stopReason = StopReason.BREAKPOINT;
                stopDetail = String.format("breakpoint at %04X:%08X", seg[CS].selector, pc);
                return n;
            }
            try {
                Insn insn = prev == null ? fetch(pc) : follow(prev, prevPc, pc);
                FastPath fast = insn.fast;
                if (fast != null) {
                    fast.run(this, insn);
                } else {
                    Interpreter.execute(this, insn);
                }
                retired++;
                prev = insn;
                prevPc = pc;
                if (listeners != null) {
                    for (RetireListener l : listeners) {
                        l.retired(this, pc, insn.length);
                    }
                }
            } catch (GuestFault f) {
                prev = null;
                raise(f.vector, f.errorCode, ExceptionEvent.Kind.EXCEPTION);
            }
        }
        return maxSteps;
    }

    /**
     * The instruction at {@code pc} after {@code prev} (at {@code prevPc}): through the links of
     * a fall-through or a taken branch when they are known, else the decode cache (and then
     * linked for next time).
     */
    private Insn follow(Insn prev, int prevPc, int pc) {
        Insn insn;
        if (pc == prevPc + prev.length) {
            insn = prev.next;
            if (insn == null) {
                insn = fetch(pc);
                if (linkable(prev, insn)) {
                    prev.next = insn;
                }
            }
        } else if (pc == prev.targetEip && prev.target != null) {
            insn = prev.target;
        } else {
            insn = fetch(pc);
            if (linkable(prev, insn)) {
                prev.target = insn;
                prev.targetEip = pc;
            }
        }
        return insn;
    }

    /**
     * Finds the translated block that starts where {@code block} left EIP, through the last
     * instruction's links, and links the two blocks when both lie on the same page.
     */
    private CompiledBlock linkSuccessor(CompiledBlock block, Insn last, int lastPc, int bpc) {
        int pc = eip;
        Insn insn;
        if (pc == lastPc + last.length) {
            insn = last.next;
        } else if (pc == last.targetEip) {
            insn = last.target;
        } else {
            return null;
        }
        if (insn == null || insn.compiled == null || !linkable(last, insn)) {
            return null;
        }
        block.link(pc - bpc, insn.compiled);
        return insn.compiled;
    }

    /** Links are kept only between cached instructions on the same physical page, so dropping the page drops them. */
    private static boolean linkable(Insn from, Insn to) {
        return from.cached && to.cached && (from.phys ^ to.phys) >>> 12 == 0;
    }

    /**
     * The slow path between instructions. Returns false when the run must stop now.
     */
    private boolean serviceAttention() {
        int a = attention;
        if ((a & ATTN_STOP) != 0) {
            return false;
        }
        attention = 0;  // re-armed below for whatever still needs watching
        if ((a & ATTN_TRAP) != 0) {
            // Single-step trap after an instruction that started with TF set (SDM Vol. 3A §17.3.1.4).
            dr[6] |= 0x4000;  // DR6.BS: this #DB comes from a single step (SDM Vol. 3A §17.2.3)
            raise(Vectors.DB, GuestFault.NO_ERROR_CODE, ExceptionEvent.Kind.EXCEPTION);
            if ((attention & ATTN_STOP) != 0) {
                return false;
            }
        }
        boolean shadow = (a & ATTN_SHADOW) != 0;  // STI / MOV SS hold interrupts off for one instruction
        if (!shadow && (flags.stored & Eflags.IF) != 0 && interruptLine != null && interruptLine.pending()) {
            halted = false;
            int vector = interruptLine.acknowledge();
            raise(vector, GuestFault.NO_ERROR_CODE, ExceptionEvent.Kind.EXTERNAL);
            if ((attention & ATTN_STOP) != 0) {
                return false;
            }
        }
        if (halted) {
            if ((flags.stored & Eflags.IF) == 0 || interruptLine == null) {
                stopAfterInstruction(StopReason.HALTED, String.format("HLT at %04X:%08X with interrupts %s",
                        seg[CS].selector, eip - 1,
                        (flags.stored & Eflags.IF) != 0 ? "enabled but no interrupt source" : "disabled"));
                halted = false;  // a later run() resumes after the HLT
                return false;
            }
            attention |= ATTN_HALT;
            retired++;  // virtual time passes while halted, so timers can fire
            idleSteps++;
            return true;
        }
        if ((flags.stored & Eflags.TF) != 0) {
            attention |= ATTN_TRAP;
        }
        if (shadow) {
            attention |= ATTN_IRQ;  // look at the line again after the shadowed instruction
        }
        return true;
    }

    /** Called when TF, IF or the interrupt line may have changed, so the slow path takes a look. */
    void recheckAttention() {
        attention |= ATTN_IRQ;
    }

    // =====================================================================================
    // Instruction fetch
    // =====================================================================================

    private Insn fetch(int pc) {
        Segment cs = seg[CS];
        int linear = cs.base + pc;
        int phys = mmu.translate(linear, false);
        Insn insn = cache.lookup(phys, cs32);
        if (insn == null) {
            insn = decoder.decode(codeBytes, pc, cs32);
            if (decodeFilter != null) {
                filter(insn, pc, phys);
            }
            cache.store(phys, insn);
        } else if (Integer.compareUnsigned(pc + insn.length - 1, cs.limit) > 0) {
            throw new GuestFault(Vectors.GP, 0);  // the cached bytes now lie past the CS limit
        }
        return insn;
    }

    /**
     * Decodes ahead for the block compiler. A fault here is not architectural (the block just
     * ends before the bytes), so CR2 keeps its value.
     */
    private Insn fetchAhead(int pc) {
        int savedCr2 = cr2;
        try {
            return fetch(pc);
        } catch (GuestFault notArchitectural) {
            cr2 = savedCr2;
            throw notArchitectural;
        }
    }

    /** Lets the {@link DecodeFilter} turn a freshly decoded instruction into a trap (#UD, same length). */
    private void filter(Insn insn, int pc, int phys) {
        byte[] bytes = new byte[insn.length];
        for (int k = 0; k < bytes.length; k++) {
            bytes[k] = (byte) fetchCodeByte(pc + k);
        }
        if (decodeFilter.trap(new GuestInstruction(insn, bytes, pc, 0), phys)) {
            insn.op = Op.UD;
            insn.fast = null;
        }
    }

    /** Decodes at CS:{@code eip} without the cache and the filter (for {@link CpuControl}). */
    Insn decodeUnfiltered(int eip) {
        return decoder.decode(codeBytes, eip, cs32);
    }

    int fetchCodeByteAt(int offset) {
        return fetchCodeByte(offset);
    }

    /** An instruction a monitor emulated or executed for the guest retires as if the CPU had run it. */
    void retireEmulated(int pc, int length) {
        retired++;
        RetireListener[] listeners = retireArray;
        if (listeners != null) {
            for (RetireListener l : listeners) {
                l.retired(this, pc, length);
            }
        }
    }

    private int fetchCodeByte(int offset) {
        Segment cs = seg[CS];
        if (Integer.compareUnsigned(offset, cs.limit) > 0) {
            throw new GuestFault(Vectors.GP, 0);  // code fetch beyond the CS limit
        }
        return mem.read8(mmu.translate(cs.base + offset, false));
    }

    // =====================================================================================
    // Privilege level
    // =====================================================================================

    /** Changes the CPL, and with it which TLB entries apply (user ones at CPL 3). */
    void setCpl(int level) {
        cpl = level;
        mmu.privilegeChanged();
    }

    // =====================================================================================
    // Registers and operands
    // =====================================================================================

    /** Register {@code r} at operand size {@code size} (1: AL CL DL BL AH CH DH BH). */
    int reg(int size, int r) {
        switch (size) {
            case 1: return r < 4 ? regs[r] & 0xFF : (regs[r - 4] >>> 8) & 0xFF;
            case 2: return regs[r] & 0xFFFF;
            default: return regs[r];
        }
    }

    void setReg(int size, int r, int v) {
        switch (size) {
            case 1:
                if (r < 4) {
                    regs[r] = (regs[r] & 0xFFFF_FF00) | (v & 0xFF);
                } else {
                    regs[r - 4] = (regs[r - 4] & 0xFFFF_00FF) | (v & 0xFF) << 8;
                }
                break;
            case 2:
                regs[r] = (regs[r] & 0xFFFF_0000) | (v & 0xFFFF);
                break;
            default:
                regs[r] = v;
        }
    }

    /** The effective address (offset in the segment) of a memory operand. */
    int ea(Insn i) {
        int a = i.disp;
        if (i.base >= 0) a += regs[i.base];
        if (i.index >= 0) a += regs[i.index] << i.scale;
        return i.a32 ? a : a & 0xFFFF;
    }

    int readRM(Insn i) {
        return i.mem ? mmu.read(i.seg, ea(i), i.size) : reg(i.size, i.rm);
    }

    void writeRM(Insn i, int v) {
        if (i.mem) {
            mmu.write(i.seg, ea(i), i.size, v);
        } else {
            setReg(i.size, i.rm, v);
        }
    }

    /** Moves EIP to a new offset, truncated to the operand size of the transfer. */
    void jump(int target, int size) {
        eip = size == 2 ? target & 0xFFFF : target;
    }

    // ---- the stack -----------------------------------------------------------------------

    int sp() {
        return ss32 ? regs[ESP] : regs[ESP] & 0xFFFF;
    }

    /** Sets (E)SP, keeping the high half of ESP when the stack is 16-bit. */
    void setSp(int v) {
        regs[ESP] = ss32 ? v : (regs[ESP] & 0xFFFF_0000) | (v & 0xFFFF);
    }

    /** PUSH of a dword: the common case, without the size dispatch. */
    void push32(int v) {
        int nsp = sp() - 4;
        if (!ss32) {
            nsp &= 0xFFFF;
        }
        mmu.write32(SS, nsp, v);
        setSp(nsp);
    }

    /** POP of a dword. */
    int pop32() {
        int sp = sp();
        int v = mmu.read32(SS, sp);
        setSp(sp + 4);
        return v;
    }

    void push(int size, int v) {
        int nsp = sp() - size;
        if (!ss32) nsp &= 0xFFFF;
        mmu.write(SS, nsp, size, v);
        setSp(nsp);
    }

    int pop(int size) {
        int v = mmu.read(SS, sp(), size);
        setSp(sp() + size);
        return v;
    }

    /** Reads the stack {@code depth} bytes above (E)SP without popping. */
    int peek(int size, int depth) {
        int a = sp() + depth;
        return mmu.read(SS, ss32 ? a : a & 0xFFFF, size);
    }

    // ---- flags ------------------------------------------------------------------------------

    int eflagsValue() {
        return flags.get();
    }

    /**
     * Writes EFLAGS as POPF/IRET do: only the bits in {@code writable} change (SDM Vol. 2B POPF).
     */
    void writeEflags(int value, int writable) {
        int old = flags.get();
        flags.put((old & ~writable) | (value & writable));
        if ((value & writable & (Eflags.TF | Eflags.IF)) != 0) {
            recheckAttention();
        }
    }

    boolean protectedMode() {
        return (cr0 & CR0_PE) != 0 && (flags.stored & Eflags.VM) == 0;
    }

    int iopl() {
        return (flags.stored & Eflags.IOPL) >>> Eflags.IOPL_SHIFT;
    }

    // =====================================================================================
    // Exceptions and interrupts
    // =====================================================================================


    /**
     * Raises an exception or interrupt: asks the interceptor, then delivers it through the
     * IVT or IDT, escalating to #DF and shutdown by the rules of SDM Vol. 3A §6.15, Table 6-5.
     */
    void raise(int vector, int errorCode, ExceptionEvent.Kind kind) {
        ExceptionEvent ev = null;
        if (interceptor != null) {
            ev = new ExceptionEvent(vector, Vectors.hasErrorCode(vector) && kind == ExceptionEvent.Kind.EXCEPTION
                    ? Math.max(errorCode, 0) : -1, eip, kind);
            ExceptionInterceptor.Decision d = interceptor.onException(this, ev);
            if (d == ExceptionInterceptor.Decision.STOP) {
                stopAfterInstruction(StopReason.INTERCEPTED, ev.toString());
                return;
            }
            if (d == ExceptionInterceptor.Decision.HANDLED) {
                return;
            }
        }
        int savedEip = eip;
        int savedEsp = regs[ESP];
        try {
            Delivery.deliver(this, vector, kind == ExceptionEvent.Kind.EXCEPTION ? errorCode : GuestFault.NO_ERROR_CODE, kind);
        } catch (GuestFault nested) {
            regs[ESP] = savedEsp;
            eip = savedEip;
            deliveryFailed(vector, kind, nested);
            return;
        }
        halted = false;
        if (ev != null) {
            interceptor.delivered(this, ev);
        }
    }

    /**
     * Delivering {@code vector} raised {@code nested}: a software interrupt's fault is a fault of
     * the instruction, anything else escalates by the double-fault rules.
     */
    void deliveryFailed(int vector, ExceptionEvent.Kind kind, GuestFault nested) {
        if (kind == ExceptionEvent.Kind.SOFTWARE) {
            // A fault while delivering INT n, INT3 or INTO is a fault of that instruction: it
            // points back at it and is never a double fault (SDM Vol. 3A §6.15 is about two
            // exceptions; a software interrupt is not one).
            eip = softwareInterruptStart;
            raise(nested.vector, nested.errorCode, ExceptionEvent.Kind.EXCEPTION);
            return;
        }
        escalate(vector, nested);
    }

    /**
     * INT n, INT3 or INTO at EIP, whose delivery pushes {@code next} as the return address. A
     * fault during delivery then points at the instruction itself (see {@link #raise}).
     */
    void softwareInterrupt(int vector, int next) {
        softwareInterruptStart = eip;
        eip = next;
        raise(vector, GuestFault.NO_ERROR_CODE, ExceptionEvent.Kind.SOFTWARE);
    }

    private void escalate(int firstVector, GuestFault second) {
        if (firstVector == Vectors.DF) {
            shutdown("triple fault: " + second.getMessage() + " while delivering #DF");
            return;
        }
        boolean firstContributory = isContributory(firstVector);
        boolean secondContributory = isContributory(second.vector);
        boolean doubleFault = (firstContributory && secondContributory)
                || (firstVector == Vectors.PF && (secondContributory || second.vector == Vectors.PF));
        if (doubleFault) {
            raise(Vectors.DF, 0, ExceptionEvent.Kind.EXCEPTION);
        } else {
            raise(second.vector, second.errorCode, ExceptionEvent.Kind.EXCEPTION);
        }
    }

    private static boolean isContributory(int v) {
        return v == Vectors.DE || (v >= Vectors.TS && v <= Vectors.GP);
    }

    /** A triple fault: the CPU stops executing, as a real one enters shutdown (SDM Vol. 3A §6.15). */
    void shutdown(String why) {
        stopAfterInstruction(StopReason.SHUTDOWN, why);
    }

    // =====================================================================================
    // The public surface: state for debuggers, loaders and tests
    // =====================================================================================

    public int reg(Reg32 r) {
        return regs[r.ordinal()];
    }

    /** Copies EAX..EDI (encoding order) into {@code into[offset..offset+7]}: a tracer reads them per instruction. */
    public void copyGeneralRegisters(int[] into, int offset) {
        System.arraycopy(regs, 0, into, offset, 8);
    }

    public void setReg(Reg32 r, int value) {
        regs[r.ordinal()] = value;
    }

    public int eip() {
        return eip;
    }

    public void setEip(int value) {
        eip = value;
    }

    /** EFLAGS with the lazily evaluated status flags worked out. */
    public int eflags() {
        return flags.get();
    }

    /** How many ints {@link #saveEflags} writes. */
    public static final int SAVED_EFLAGS_SIZE = Flags.SAVED_SIZE;

    /**
     * Copies EFLAGS as the CPU keeps it — the last flag-setting operation, not yet worked out —
     * into {@code into[at..at+SAVED_EFLAGS_SIZE-1]}. For tracers, which read it per instruction
     * and look at it rarely: working the flags out costs more than the rest of the registers.
     */
    public void saveEflags(int[] into, int at) {
        flags.save(into, at);
    }

    /** EFLAGS from a state {@link #saveEflags} wrote (what {@link #eflags()} returned then). */
    public static int savedEflags(int[] saved, int at) {
        return Flags.evaluate(saved, at);
    }

    /** Sets every implemented EFLAGS bit (bit 1 always reads as 1). */
    public void setEflags(int value) {
        flags.put(value);
        recheckAttention();
    }

    public SegmentView segment(SegReg s) {
        return seg[s.ordinal()].view();
    }

    /** The base of a segment register's hidden descriptor cache, without the view's allocation. */
    public int segmentBase(SegReg s) {
        return seg[s.ordinal()].base;
    }

    /** The selector in a segment register, without the view's allocation (tracers read it per instruction). */
    public int selector(SegReg s) {
        return seg[s.ordinal()].selector;
    }

    /**
     * Loads a segment register as {@code MOV sreg} would in the current mode (CS as a far jump
     * would), with all its checks. A guest fault becomes an {@link IllegalArgumentException}.
     */
    public void loadSegment(SegReg s, int selector) {
        try {
            Segments.load(this, s.ordinal(), selector);
        } catch (GuestFault f) {
            throw new IllegalArgumentException("loading " + s + " with " + Integer.toHexString(selector) + " raises " + f.getMessage());
        }
    }

    /**
     * Writes a segment register's selector and hidden descriptor cache directly, as a loader or
     * debugger may. In protected mode, writing CS also sets the CPL to the selector's RPL.
     */
    public void setSegment(SegReg s, SegmentView v) {
        seg[s.ordinal()].set(v.selector(), v.base(), v.limit(), v.attributes());
        if (s == SegReg.CS && protectedMode()) {
            setCpl(v.selector() & 3);
        }
        Segments.cacheModes(this);
    }

    public int cr0() {
        return cr0;
    }

    /** Writes CR0 as MOV CR0 does (ET stays set), without privilege checks. */
    public void setCr0(int value) {
        SystemOps.writeCr0(this, value);
    }

    public int cr2() {
        return cr2;
    }

    public int cr3() {
        return cr3;
    }

    public int cr4() {
        return cr4;
    }

    /** Sets CR4 as MOV CR4 would, without privilege checks (tests and loaders). */
    void setCr4ForTest(int value) {
        cr4 = value;
        pager.flushAll();
    }

    public int gdtrBase() {
        return gdtrBase;
    }

    public int gdtrLimit() {
        return gdtrLimit;
    }

    public int idtrBase() {
        return idtrBase;
    }

    public int idtrLimit() {
        return idtrLimit;
    }

    public void setGdtr(int base, int limit) {
        gdtrBase = base;
        gdtrLimit = limit & 0xFFFF;
    }

    public void setIdtr(int base, int limit) {
        idtrBase = base;
        idtrLimit = limit & 0xFFFF;
    }

    public int cpl() {
        return cpl;
    }

    public boolean isProtectedMode() {
        return protectedMode();
    }

    public boolean halted() {
        return halted;
    }

    /** Instructions retired since power-on (also the virtual clock: RDTSC reads it). */
    public long instructionsRetired() {
        return retired;
    }

    /** How many of {@link #instructionsRetired()} were steps spent halted, waiting for an interrupt. */
    public long idleSteps() {
        return idleSteps;
    }

    /** The monitor's controls: what a hypervisor outside the machine may do to this CPU. */
    public CpuControl control() {
        return control;
    }

    public void setExceptionInterceptor(ExceptionInterceptor interceptor) {
        this.interceptor = interceptor;
    }

    /** The exception interceptor installed, or null: a tool that takes the slot chains to it. */
    public ExceptionInterceptor exceptionInterceptor() {
        return interceptor;
    }

    public void setInterruptLine(InterruptLine line) {
        this.interruptLine = line;
        recheckAttention();
    }

    /**
     * Tells the CPU that INTR may have become asserted; the interrupt controller calls it whenever
     * its output may have changed, so the run loop looks at the line between instructions only
     * then (the CPU itself looks again whenever IF becomes 1).
     */
    public void interruptRequested() {
        attention |= ATTN_IRQ;
    }

    /**
     * Adds an observer of data accesses; close the handle to remove it. While any is attached,
     * every access takes the slow path (the TLB fast path sees no entries).
     */
    public AutoCloseable addMemoryListener(MemoryListener l) {
        memoryListenerList.add(l);
        memoryListeners = memoryListenerList.toArray(new MemoryListener[0]);
        mmu.privilegeChanged();
        return () -> {
            memoryListenerList.remove(l);
            memoryListeners = memoryListenerList.isEmpty() ? null : memoryListenerList.toArray(new MemoryListener[0]);
            mmu.privilegeChanged();
        };
    }

    /** Installs the execution hook (breakpoints), or removes it with null. */
    public void setExecutionHook(ExecutionHook hook) {
        executionHook = hook;
    }

    /** The execution hook installed, or null: a tool that takes the slot chains to it. */
    public ExecutionHook executionHook() {
        return executionHook;
    }

    /** Adds a listener for retired instructions; closing the handle removes it. */
    public AutoCloseable addRetireListener(RetireListener l) {
        retireListeners.add(l);
        retireArray = retireListeners.toArray(new RetireListener[0]);
        return () -> {
            retireListeners.remove(l);
            retireArray = retireListeners.isEmpty() ? null : retireListeners.toArray(new RetireListener[0]);
        };
    }

    /**
     * Turns the specialized fast paths for common instruction forms on (the default) or off, so
     * that everything runs through the generic interpreter: a test compares the two.
     */
    public void setFastPaths(boolean enabled) {
        decoder.fastPaths = enabled;
        translation = enabled;
        cache.flushAll();
    }

    /**
     * Sets after how many executions a block of guest code is translated to JVM bytecode
     * (default 32; 1 translates everything at once, which tests use to exercise the translator).
     */
    public void setTranslationThreshold(int executions) {
        if (executions < 1) {
            throw new IllegalArgumentException("the translation threshold must be at least 1: " + executions);
        }
        hot = executions;
        cache.flushAll();
    }

    /** Writes the architectural state for a machine snapshot ({@link CpuState}). */
    public void saveState(java.io.DataOutput out) throws java.io.IOException {
        CpuState.save(this, out);
    }

    /** Reads back what {@link #saveState} wrote; decoded code and the TLB start afresh. */
    public void restoreState(java.io.DataInput in) throws java.io.IOException {
        CpuState.restore(this, in);
    }

    /** Drops every decoded instruction (after a loader rewrote memory behind the CPU's back). */
    public void flushDecodeCache() {
        cache.flushAll();
    }

    /** How many decoded instructions the cache holds (for tests and statistics). */
    public int decodedInstructions() {
        return cache.size();
    }

    @Override
    public String toString() {
        return String.format("EAX=%08X EBX=%08X ECX=%08X EDX=%08X ESI=%08X EDI=%08X EBP=%08X ESP=%08X%n"
                        + "EIP=%08X EFLAGS=%08X %s CS=%04X SS=%04X DS=%04X ES=%04X FS=%04X GS=%04X CR0=%08X",
                regs[EAX], regs[EBX], regs[ECX], regs[EDX], regs[ESI], regs[EDI], regs[EBP], regs[ESP],
                eip, eflags(), Eflags.describe(eflags()), seg[CS].selector, seg[SS].selector, seg[DS].selector,
                seg[ES].selector, seg[FS].selector, seg[GS].selector, cr0);
    }
}
