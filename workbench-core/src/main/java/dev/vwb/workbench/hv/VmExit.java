package dev.vwb.workbench.hv;

import dev.vwb.machine.cpu.GuestInstruction;
import java.util.Locale;

/**
 * One decision of the hypervisor: why the guest stopped running natively, where, and what the
 * hypervisor did about it. A closed family, one record per reason (ARCHITECTURE.md, "The
 * hypervisor"); every exit carries the {@link Site} it happened at.
 */
public sealed interface VmExit {
    /**
     * Where an exit happened and what it cost.
     *
     * @param retired     the guest's retired-instruction count when it happened
     * @param cs          the guest's CS selector (as the guest sees it: kernel code with RPL 0)
     * @param eip         the guest EIP
     * @param instruction the instruction at EIP, or null when the exit is not about one
     * @param action      what the hypervisor did, in words
     * @param nanos       host nanoseconds the hypervisor spent on it
     */
    record Site(long retired, int cs, int eip, GuestInstruction instruction, String action, long nanos) {
        /** The instruction disassembled (worked out when asked: exits are counted in microseconds), or "". */
        public String instructionText() {
            return instruction == null ? "" : instruction.text();
        }
    }

    Site site();

    /** The reason, as {@link ExitReason} names it. */
    ExitReason reason();

    /** A privileged instruction (CLI, LGDT, MOV CR3, ...) the guest kernel ran at ring 1, emulated. */
    record PrivilegedInstruction(Site site, String mnemonic) implements VmExit {
        @Override
        public ExitReason reason() {
            return ExitReason.PRIVILEGED_INSTRUCTION;
        }
    }

    /** IN, OUT, INS or OUTS to a port, emulated against the guest's devices. */
    record PortIo(Site site, int port, int size, boolean in, int value) implements VmExit {
        @Override
        public ExitReason reason() {
            return ExitReason.PORT_IO;
        }
    }

    /** A sensitive unprivileged instruction (POPF, SGDT, ...) that the patcher turned into a trap, emulated. */
    record SensitiveInstruction(Site site, String mnemonic) implements VmExit {
        @Override
        public ExitReason reason() {
            return ExitReason.SENSITIVE_INSTRUCTION;
        }
    }

    /** An exception that belongs to the guest, reflected through its own IDT. */
    record GuestException(Site site, int vector, int errorCode) implements VmExit {
        @Override
        public ExitReason reason() {
            return ExitReason.GUEST_EXCEPTION;
        }
    }

    /** A software interrupt (INT n) of the guest, delivered through its IDT with the frame fixed up. */
    record SoftwareInterrupt(Site site, int vector) implements VmExit {
        @Override
        public ExitReason reason() {
            return ExitReason.SOFTWARE_INTERRUPT;
        }
    }

    /** A device interrupt injected into the guest once its virtual IF allowed it. */
    record InterruptInjected(Site site, int vector) implements VmExit {
        @Override
        public ExitReason reason() {
            return ExitReason.INTERRUPT_INJECTED;
        }
    }

    /** A page fault the guest never sees: the shadow page tables lacked an entry the guest's tables have. */
    record HiddenPageFault(Site site, int linear) implements VmExit {
        @Override
        public ExitReason reason() {
            return ExitReason.HIDDEN_PAGE_FAULT;
        }
    }

    /** A guest write to one of its page tables: run with the page unprotected; {@code changed} table entries dropped from the shadows. */
    record PageTableWrite(Site site, int linear, int changed) implements VmExit {
        @Override
        public ExitReason reason() {
            return ExitReason.PAGE_TABLE_WRITE;
        }
    }

    /** A guest CR3 with no shadow in the cache: a new, empty shadow was made for it (filled by hidden faults). */
    record ShadowBuilt(Site site, int guestCr3) implements VmExit {
        @Override
        public ExitReason reason() {
            return ExitReason.SHADOW_BUILT;
        }
    }

    /** The shadow cache was full: the least recently used shadow was dropped. */
    record ShadowEvicted(Site site, int guestCr3) implements VmExit {
        @Override
        public ExitReason reason() {
            return ExitReason.SHADOW_EVICTED;
        }
    }

    /**
     * The guest reached for what is not its own, with the reason: memory outside its slice or
     * the hypervisor's window through its page tables or a task switch (the guest is stopped);
     * the window through a segment (the #GP or #SS is reflected); a port no device answers (the
     * access is answered as an empty bus); or the watchdog: a run's budget ran out with the
     * guest's interrupts off (the host has the CPU back).
     */
    record Contained(Site site, String what) implements VmExit {
        @Override
        public ExitReason reason() {
            return ExitReason.CONTAINED;
        }
    }

    /** HLT: the guest waits for its next virtual interrupt. */
    record Halt(Site site, boolean interruptsEnabled) implements VmExit {
        @Override
        public ExitReason reason() {
            return ExitReason.HALT;
        }
    }

    /** A hypercall of a paravirtual guest (VMCALL). */
    record Hypercall(Site site, int number, String name) implements VmExit {
        @Override
        public ExitReason reason() {
            return ExitReason.HYPERCALL;
        }
    }

    /** Something the hypervisor does not support or refused; the guest gets the fault bare hardware would not raise. */
    record Unsupported(Site site, String what) implements VmExit {
        @Override
        public ExitReason reason() {
            return ExitReason.UNSUPPORTED;
        }
    }

    /** The guest triple-faulted (or its exceptions could not be delivered): it has ended; the workbench goes on. */
    record TripleFault(Site site, String why) implements VmExit {
        @Override
        public ExitReason reason() {
            return ExitReason.TRIPLE_FAULT;
        }
    }

    /** One line: where, why, what was done, and the cost. */
    static String describe(VmExit e) {
        Site s = e.site();
        return String.format(Locale.ROOT, "#%d %04X:%08X %-22s %-28s %s (%.1f us)", s.retired(), s.cs(), s.eip(),
                e.reason().label(), s.instructionText(), s.action(), s.nanos() / 1000.0);
    }
}
