package dev.vwb.machine.difftest;

import java.util.List;

/**
 * One differential test case: an initial machine state plus a short piece of code to run from it.
 *
 * <p>Execution model shared by every {@link Engine}:
 * <ul>
 *   <li>{@link Mode#REAL16}: real-address mode, CR0.PE = 0, CPL 0. Each segment register's base is
 *       {@code selector * 16} with limit 0xFFFF; code and stack are 16-bit.</li>
 *   <li>{@link Mode#FLAT32}: protected mode, CPL 0, paging off, every segment flat (base 0, limit
 *       4 GiB, 32-bit code and stack, CS readable). The selectors in {@link #selectors} are all 0 and
 *       are what MOV r/m,Sreg and PUSH Sreg observe; no descriptor table exists.</li>
 *   <li>{@link Mode#PM32}: starts exactly like FLAT32, but the case's own code then builds the system
 *       state a protected-mode guest has: LGDT, loads of real selectors, LLDT 0, maybe paging
 *       (CR3/CR4/CR0) and an IRET to CPL 3 (see {@link SystemCaseGenerator}). Exceptions end the case
 *       as in the other modes; the engines also report the error code and CR2.</li>
 *   <li>Memory: the {@link #code} bytes live at linear {@code csBase + startEip}; each {@link MemBlock}
 *       holds the initial contents at its linear address; every other byte is zero. Generated code
 *       only touches the code and the blocks.</li>
 *   <li>Execution starts at CS:startEip and ends when the linear address {@code csBase + EIP}
 *       reaches {@code csBase + endEip} (csBase of the initial CS; the generator restores CS before
 *       the end), or at the first exception or software interrupt, which is recorded but NOT
 *       delivered (nothing is pushed, no vector is read): see {@link DiffResult#exceptionVector}.</li>
 *   <li>{@code maxInstructions} only guards against runaway code; a REP iteration counts as one.</li>
 * </ul>
 *
 * @param id                 stable case number (the generator can rebuild the case from seed + id)
 * @param mode               processor mode
 * @param gprs               EAX ECX EDX EBX ESP EBP ESI EDI (x86 encoding order)
 * @param eflags             initial EFLAGS (bit 1 set, TF clear, reserved bits clear)
 * @param selectors          ES CS SS DS FS GS (see the mode notes above)
 * @param startEip           initial EIP
 * @param code               machine code, placed at linear csBase + startEip
 * @param memory             initial memory blocks; the result reads back the same ranges
 * @param endEip             execution stops when EIP reaches this (normally startEip + code.length)
 * @param maxInstructions    safety limit
 * @param opcodes            stable opcode keys covered, e.g. "01", "0F A4", "F7/6", prefixes "66", "F3"
 * @param undefinedFlagsMask EFLAGS bits left architecturally undefined wherever execution may stop;
 *                           excluded from the comparison
 */
record DiffCase(long id, Mode mode, int[] gprs, int eflags, int[] selectors, int startEip, byte[] code,
                List<MemBlock> memory, int endEip, int maxInstructions, List<String> opcodes,
                int undefinedFlagsMask) {

    enum Mode { REAL16, FLAT32, PM32 }

    /** A run of bytes at a linear address. */
    record MemBlock(int address, byte[] bytes) { }

    static final int ES = 0, CS = 1, SS = 2, DS = 3, FS = 4, GS = 5;
    static final String[] GPR_NAMES = {"EAX", "ECX", "EDX", "EBX", "ESP", "EBP", "ESI", "EDI"};
    static final String[] SREG_NAMES = {"ES", "CS", "SS", "DS", "FS", "GS"};

    /** Base of the initial code segment: selector*16 in real mode, 0 in flat mode. */
    int csBase() {
        return mode == Mode.REAL16 ? selectors[CS] << 4 : 0;
    }

    /** Linear address of the first code byte. */
    int codeLinear() {
        return csBase() + startEip;
    }
}
