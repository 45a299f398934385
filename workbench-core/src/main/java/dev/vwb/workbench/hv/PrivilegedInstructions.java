package dev.vwb.workbench.hv;

/**
 * The emulation of the privileged instructions a guest kernel runs (extension point; exercise
 * {@code privileged-instructions}, lesson 2). The guest kernel runs at ring 1, so each of these
 * instructions raises #GP (SDM Vol. 3A §5.9, "privileged instructions"; CLI and STI because CPL
 * exceeds IOPL, Vol. 2A/2B) and the hypervisor calls {@link #emulate} with the instruction and the
 * guest's {@link GuestCpu}. It is called for CLI, STI, HLT, MOV to and from CR0/CR2/CR3/CR4,
 * LGDT, LIDT, LMSW, CLTS and INVLPG at any guest privilege level; the hypervisor itself
 * emulates the rest (port I/O, LLDT, LTR, debug registers, MSRs, and the fix-ups ring
 * compression needs).
 *
 * <p>The reference hypervisor's own implementation is behind this interface; a {@link Hypervisor}
 * can be booted with another ({@link Extensions.Builder#privilegedInstructions}).
 */
@FunctionalInterface
public interface PrivilegedInstructions {
    /**
     * Emulates {@code insn}, which raised #GP in the guest, against {@code cpu}.
     *
     * @return {@link Emulated} when done (the hypervisor then moves EIP to {@link TrappedInstruction#nextEip()}
     *         and counts the instruction retired), {@link Fault} for an exception the guest gets
     *         instead (as bare hardware would raise it), or {@link #NOT_MINE} when the #GP is the
     *         guest's own (e.g. its user code tried a privileged instruction): it is then delivered
     *         through the guest's IDT, EIP unchanged
     */
    Outcome emulate(TrappedInstruction insn, GuestCpu cpu);

    /** What emulating one instruction came to. */
    sealed interface Outcome permits Emulated, Fault, NotMine {
    }

    /** Emulated; {@code action} says what was done, for the exit log ("virtual IF = 0"). */
    record Emulated(String action) implements Outcome {
    }

    /** The guest gets exception {@code vector} with {@code errorCode} instead (EIP stays on the instruction). */
    record Fault(int vector, int errorCode, String why) implements Outcome {
    }

    /** Not the hypervisor's business: the #GP the instruction raised is the guest's. */
    record NotMine() implements Outcome {
    }

    /** The one {@link NotMine}. */
    Outcome NOT_MINE = new NotMine();
}
