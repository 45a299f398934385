package dev.vwb.machine.difftest;

/**
 * Where generated cases put things (linear addresses, identical in both modes and all below 64 KiB,
 * so 16-bit addressing reaches them in FLAT32 too). Unicorn maps only the pages these touch, so a
 * generator bug that strays elsewhere shows up as an "unmapped memory" engine error.
 */
final class Layout {

    /** Code starts here (REAL16: CS:IP with CS*16 + IP = CODE). */
    static final int CODE = 0x1000;
    static final int CODE_MAX = 0x400;

    /** Data block: general operands first, then read-only slots for pointers / bounds / selectors. */
    static final int DATA = 0x2000;
    static final int GENERAL_END = 0x2200;
    static final int POINTERS = GENERAL_END;
    static final int DATA_END = 0x2240;

    /** Stack block; ESP is (re)placed between STACK_TOP_MIN and STACK_TOP_MAX. */
    static final int STACK = 0x7F00;
    static final int STACK_END = 0x8100;
    static final int STACK_TOP_MIN = 0x7FC0;
    static final int STACK_TOP_MAX = 0x8040;

    /** Instruction limit per case: only a runaway guard (loops and REP counts are tiny). */
    static final int MAX_INSTRUCTIONS = 1000;

    private Layout() {
    }
}
