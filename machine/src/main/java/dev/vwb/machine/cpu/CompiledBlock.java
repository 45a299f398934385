package dev.vwb.machine.cpu;

/**
 * A block of guest instructions translated into a JVM class by {@link BlockCompiler}: its
 * {@link #run} calls each instruction's kernel in turn, counts it retired, and returns early
 * when the CPU's attention word is raised. Belongs to its first {@link Insn}, so dropping the
 * page's decoded code drops it too.
 */
abstract class CompiledBlock {
    /** The instructions, first to last; all on one physical page. */
    final Insn[] insns;
    /** Offset of each instruction's EIP from the first one's. */
    final int[] offsets;

    /** Up to two successor blocks, by the EIP (relative to this block's) they start at. */
    private CompiledBlock succ0, succ1;
    private int delta0 = Integer.MIN_VALUE, delta1 = Integer.MIN_VALUE;

    CompiledBlock(Insn[] insns, int[] offsets) {
        this.insns = insns;
        this.offsets = offsets;
    }

    /**
     * Executes the block that starts at EIP {@code bpc}, adds the instructions completed to {@link Cpu#retired}, and returns
     * how many steps it took (instructions started: a long REP that yields is a step that does
     * not retire). If an instruction throws {@link GuestFault}, the count is not updated: see
     * {@link #completedBefore}.
     */
    abstract int run(Cpu c, int bpc);

    /** The block linked at {@code delta} bytes from this one's start, or null. */
    final CompiledBlock successor(int delta) {
        if (delta == delta0) {
            return succ0;
        }
        return delta == delta1 ? succ1 : null;
    }

    /** Remembers the block that follows at {@code delta} (the fall-through or the branch target). */
    final void link(int delta, CompiledBlock next) {
        if (succ0 == null) {
            succ0 = next;
            delta0 = delta;
        } else {
            succ1 = next;
            delta1 = delta;
        }
    }

    /** How many instructions completed before the one at {@code offset} (from the block's start) faulted. */
    int completedBefore(int offset) {
        for (int k = 0; k < offsets.length; k++) {
            if (offsets[k] == offset) {
                return k;
            }
        }
        throw new IllegalStateException("a fault at offset " + offset + " is not on an instruction of this block");
    }
}
