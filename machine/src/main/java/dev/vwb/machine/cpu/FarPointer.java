package dev.vwb.machine.cpu;

/**
 * A far pointer read from memory (m16:16 or m16:32): the offset first, then the selector
 * (SDM Vol. 2A "CALL", "JMP", "LDS/LES/LFS/LGS/LSS").
 */
record FarPointer(int selector, int offset) {
    /** Reads the far pointer that instruction {@code i}'s memory operand addresses. */
    static FarPointer read(Cpu c, Insn i) {
        int off = c.ea(i);
        int offset = c.mmu.read(i.seg, off, i.size);
        int selector = c.mmu.read16(i.seg, i.a32 ? off + i.size : (off + i.size) & 0xFFFF);
        return new FarPointer(selector, offset);
    }
}
