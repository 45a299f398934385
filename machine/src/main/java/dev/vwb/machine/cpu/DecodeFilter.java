package dev.vwb.machine.cpu;

/**
 * Picks instructions that the decoder turns into traps (#UD) as it decodes them, before they
 * first run: the hook a scan-and-patch translator builds on. The guest's memory is not changed,
 * so the guest reads its own code as it wrote it; writing code drops its decoded instructions
 * (as it always does) and they are decoded, and filtered, afresh.
 */
@FunctionalInterface
public interface DecodeFilter {
    /** Whether {@code insn}, at physical address {@code physical}, becomes a trap. */
    boolean trap(GuestInstruction insn, int physical);
}
