package dev.vwb.machine.cpu;

/**
 * What a monitor outside the machine may do to the CPU that no guest instruction can: decode
 * the instruction at CS:EIP, execute or retire one on the guest's behalf, read and write guest
 * memory with the CPU's own checks, set control and descriptor-table registers directly, halt,
 * hold interrupts off for one instruction, and have chosen instructions decoded as traps.
 *
 * <p>The machine itself never uses it; a hypervisor in workbench-core does (ARCHITECTURE.md,
 * "The hypervisor"), from its {@link ExceptionInterceptor}. Guest exceptions raised by these
 * operations come back as {@link CpuFault}, for the monitor to reflect into the guest.
 */
public final class CpuControl {
    private final Cpu c;

    CpuControl(Cpu cpu) {
        this.c = cpu;
    }

    // ---- instructions ----------------------------------------------------------------------

    /**
     * Decodes the instruction at CS:EIP with the CPU's decoder (never through a {@link
     * DecodeFilter}: these are the guest's real bytes).
     *
     * @throws CpuFault when fetching it faults (a page fault sets CR2, as a fetch would)
     */
    public GuestInstruction decode() {
        return decodeAt(c.eip);
    }

    /** Decodes the instruction at CS:{@code eip}; see {@link #decode()}. */
    public GuestInstruction decodeAt(int eip) {
        try {
            Insn insn = c.decodeUnfiltered(eip);
            byte[] bytes = new byte[insn.length];
            for (int k = 0; k < bytes.length; k++) {
                bytes[k] = (byte) c.fetchCodeByteAt(eip + k);
            }
            return new GuestInstruction(insn, bytes, eip, insn.mem ? c.ea(insn) : 0);
        } catch (GuestFault f) {
            throw new CpuFault(f.vector, f.errorCode);
        }
    }

    /**
     * Executes {@code insn} (decoded at the current EIP) as the CPU would, and retires it: a
     * monitor that trapped an instruction on purpose (a patched one) runs the original this way,
     * then adjusts what it left.
     *
     * @throws CpuFault when the instruction faults; its effects are then undone as far as the
     *                  CPU undoes a faulting instruction (EIP and ESP unchanged)
     */
    public void execute(GuestInstruction insn) {
        if (insn.eip() != c.eip) {
            throw new IllegalStateException(String.format("%s was decoded at %08X, but EIP is %08X", insn, insn.eip(), c.eip));
        }
        Insn i = insn.insn();
        int savedEsp = c.regs[Cpu.ESP];
        try {
            if (i.fast != null) {
                i.fast.run(c, i);
            } else {
                Interpreter.execute(c, i);
            }
        } catch (GuestFault f) {
            c.eip = insn.eip();
            c.regs[Cpu.ESP] = savedEsp;
            throw new CpuFault(f.vector, f.errorCode);
        }
        c.retireEmulated(insn.eip(), i.length);
    }

    /**
     * Counts one instruction the monitor emulated as retired (and tells retire listeners), so
     * that virtual time and the instruction count run as on bare hardware. Call it after moving
     * EIP past the instruction.
     */
    public void retire(GuestInstruction insn) {
        c.retireEmulated(insn.eip(), insn.length());
    }

    /**
     * Raises an exception as the current instruction would (the monitor's interceptor sees it
     * first, then it is delivered through the IDT); for a monitor that found, while emulating,
     * that the guest must get a fault.
     */
    public void raise(int vector, int errorCode) {
        raise(vector, errorCode, ExceptionEvent.Kind.EXCEPTION);
    }

    /** Raises an event of any kind (a software interrupt pushes the current EIP as its return address). */
    public void raise(int vector, int errorCode, ExceptionEvent.Kind kind) {
        boolean code = kind == ExceptionEvent.Kind.EXCEPTION && Vectors.hasErrorCode(vector);
        c.raise(vector, code ? Math.max(0, errorCode) : GuestFault.NO_ERROR_CODE, kind);
    }

    /**
     * Tells the CPU that delivering an event faulted before anything was pushed (a monitor found
     * the guest's gate unreadable): what follows is what the CPU does then — the fault is the
     * instruction's for a software interrupt, else a double fault or the second exception by
     * SDM Vol. 3A §6.15, Table 6-5.
     */
    public void deliveryFaulted(int vector, ExceptionEvent.Kind kind, int faultVector, int faultErrorCode) {
        c.deliveryFailed(vector, kind, new GuestFault(faultVector, faultErrorCode));
    }

    /** (E)SP as the stack uses it: ESP with a 32-bit stack segment, SP with a 16-bit one. */
    public int stackPointer() {
        return c.sp();
    }

    /** Holds interrupts off until after the next instruction, as STI and MOV SS do. */
    public void inhibitInterruptsForOneInstruction() {
        c.attention |= Cpu.ATTN_SHADOW;
    }

    /** Enters the halted state, as HLT does: the CPU waits for an interrupt. */
    public void halt() {
        c.halted = true;
        c.attention |= Cpu.ATTN_HALT;
    }

    /**
     * Has the decoder turn the instructions {@code filter} picks into traps (#UD), from now on:
     * the decoded code is dropped so that everything is decoded afresh. Null removes the filter.
     */
    public void setDecodeFilter(DecodeFilter filter) {
        c.decodeFilter = filter;
        c.flushDecodeCache();
    }

    /**
     * Tells {@code listener} the selector (TI bit included) of each descriptor the CPU marks
     * accessed as it loads it: a monitor whose tables are copies sets the bit in the original.
     * Null removes it.
     */
    public void setAccessedListener(java.util.function.IntConsumer listener) {
        c.accessedListener = listener;
    }

    /**
     * Has a task switch ask {@code filter} which CR3 to load for the one in the new TSS: a monitor
     * whose real page tables are shadows of the guest's returns its shadow's and keeps the
     * guest's. Null removes it.
     */
    public void setCr3Filter(java.util.function.IntUnaryOperator filter) {
        c.cr3Filter = filter;
    }

    /**
     * Loads a segment register as MOV Sreg would at the current CPL (CS as a far JMP would),
     * with every check.
     *
     * @throws CpuFault with the exception the load raises
     */
    public void loadSegment(SegReg s, int selector) {
        try {
            Segments.load(c, s.ordinal(), selector);
        } catch (GuestFault f) {
            throw new CpuFault(f.vector, f.errorCode);
        }
    }

    /** The time-stamp counter as RDTSC and RDMSR 10h read it. */
    public long timeStampCounter() {
        return c.retired + c.tscOffset;
    }

    /** Sets the time-stamp counter as WRMSR 10h does. */
    public void setTimeStampCounter(long value) {
        c.tscOffset = value - c.retired;
    }

    /** Debug register {@code n} (0-7; 4 and 5 are 6 and 7, as with CR4.DE clear). */
    public int debugRegister(int n) {
        return c.dr[n == 4 ? 6 : n == 5 ? 7 : n];
    }

    public void setDebugRegister(int n, int value) {
        c.dr[n == 4 ? 6 : n == 5 ? 7 : n] = value;
    }

    // ---- memory as the guest sees it ---------------------------------------------------------

    /** Reads {@code size} (1, 2, 4) bytes at {@code seg}:{@code offset} with the checks of the current CPL. */
    public int read(SegReg seg, int offset, int size) {
        try {
            return c.mmu.read(seg.ordinal(), offset, size);
        } catch (GuestFault f) {
            throw new CpuFault(f.vector, f.errorCode);
        }
    }

    /** Writes {@code size} (1, 2, 4) bytes at {@code seg}:{@code offset} with the checks of the current CPL. */
    public void write(SegReg seg, int offset, int size, int value) {
        try {
            c.mmu.write(seg.ordinal(), offset, size, value);
        } catch (GuestFault f) {
            throw new CpuFault(f.vector, f.errorCode);
        }
    }

    /**
     * Reads a dword at a linear address as the CPU reads descriptor tables (supervisor, through
     * paging). A fault leaves CR2 as it was: the monitor's look is not the guest's access.
     */
    public int readLinear32(int linear) {
        int cr2 = c.cr2;
        try {
            return c.mmu.readLinear32(linear);
        } catch (GuestFault f) {
            c.cr2 = cr2;
            throw new CpuFault(f.vector, f.errorCode);
        }
    }

    /** Writes a dword at a linear address as the CPU writes the TSS (supervisor, through paging); a fault leaves CR2 as it was. */
    public void writeLinear32(int linear, int value) {
        int cr2 = c.cr2;
        try {
            c.mmu.writeLinearSupervisor(linear, 4, value);
        } catch (GuestFault f) {
            c.cr2 = cr2;
            throw new CpuFault(f.vector, f.errorCode);
        }
    }

    /** The physical address of a linear one for a supervisor read (setting accessed bits as a read would), or -1 when it is not mapped. */
    public long translate(int linear) {
        if (!c.paging) {
            return linear & 0xFFFF_FFFFL;
        }
        int cr2 = c.cr2;
        try {
            return c.mmu.translateSupervisor(linear, false) & 0xFFFF_FFFFL;
        } catch (GuestFault f) {
            c.cr2 = cr2;
            return -1;
        }
    }

    // ---- system registers ---------------------------------------------------------------------

    /** Writes CR{@code n} (0, 2, 3, 4) as MOV CRn does, TLB flushes included, without the privilege check. */
    public void setCr(int n, int value) {
        try {
            SystemOps.writeCr(c, n, value);
        } catch (GuestFault f) {
            throw new CpuFault(f.vector, f.errorCode);
        }
    }

    /** Drops the TLB entry of a linear address, as INVLPG does. */
    public void invalidatePage(int linear) {
        c.pager.invalidate(linear);
        c.attention |= Cpu.ATTN_CODE;
    }

    /** Drops every TLB entry, global ones too. */
    public void flushTlb() {
        c.pager.flushAll();
        c.attention |= Cpu.ATTN_CODE;
    }

    public int ldtrSelector() {
        return c.ldtr.selector;
    }

    public int trSelector() {
        return c.tr.selector;
    }

    public SegmentView tr() {
        return c.tr.view();
    }

    /** Loads LDTR's selector and descriptor cache directly (no descriptor is read). */
    public void setLdtr(int selector, int base, int limit) {
        c.ldtr.set(selector, base, limit, Segment.PRESENT | 2 << 8);
    }

    /** Loads TR's selector and descriptor cache directly (a 32-bit TSS; no descriptor is read or marked busy). */
    public void setTr(int selector, int base, int limit) {
        setTr(selector, base, limit, true);
    }

    /** Loads TR directly with a busy 32-bit or 16-bit TSS (no descriptor is read or marked busy). */
    public void setTr(int selector, int base, int limit, boolean tss32) {
        c.tr.set(selector, base, limit, Segment.PRESENT | (tss32 ? 0xB : 0x3) << 8);
    }
}
