package dev.vwb.machine.cpu;

import dev.vwb.machine.memory.PhysicalMemory;

/**
 * Decoded instructions, kept per 4 KiB physical page and indexed by the offset of their first
 * byte. A write to a page that holds decoded code drops the whole page (and the page before it,
 * whose last instruction may run into this one), so self-modifying code sees its new bytes on
 * the next fetch, as on a Pentium and in QEMU.
 *
 * <p>Instructions outside RAM (the ROM alias below 4 GiB) and instructions that cross a page
 * boundary are never cached: they are decoded on every execution, which is rare and always right.
 */
final class DecodeCache implements PhysicalMemory.CodeWriteListener {
    private static final int SHIFT = PhysicalMemory.PAGE_SHIFT;
    private static final int OFFSET_MASK = PhysicalMemory.PAGE_SIZE - 1;

    private final PhysicalMemory mem;
    private final Insn[][] pages;
    private final Runnable onDrop;
    private int size;

    /** {@code onDrop} runs whenever decoded instructions are dropped, so the CPU stops following links into them. */
    DecodeCache(PhysicalMemory mem, Runnable onDrop) {
        this.mem = mem;
        this.onDrop = onDrop;
        this.pages = new Insn[mem.ramSize() >>> SHIFT][];
        mem.setCodeWriteListener(this);
    }

    /** The instruction decoded at a physical address for the given code size, or null. */
    Insn lookup(int phys, boolean code32) {
        int page = phys >>> SHIFT;
        if (page >= pages.length) {
            return null;
        }
        Insn[] p = pages[page];
        if (p == null) {
            return null;
        }
        Insn insn = p[phys & OFFSET_MASK];
        return insn != null && insn.code32 == code32 ? insn : null;
    }

    void store(int phys, Insn insn) {
        int page = phys >>> SHIFT;
        int offset = phys & OFFSET_MASK;
        if (page >= pages.length || offset + insn.length > PhysicalMemory.PAGE_SIZE) {
            return;
        }
        Insn[] p = pages[page];
        if (p == null) {
            p = new Insn[PhysicalMemory.PAGE_SIZE];
            pages[page] = p;
            mem.markCodePage(page);
        }
        if (p[offset] == null) {
            size++;
        }
        insn.cached = true;
        insn.phys = phys;
        p[offset] = insn;
    }

    @Override
    public void codePageWritten(int page) {
        drop(page);
    }

    private void drop(int page) {
        Insn[] p = pages[page];
        if (p != null) {
            for (Insn i : p) {
                if (i != null) {
                    size--;
                }
            }
            pages[page] = null;
            mem.clearCodePage(page);
            onDrop.run();
        }
    }

    void flushAll() {
        for (int page = 0; page < pages.length; page++) {
            drop(page);
        }
        size = 0;
    }

    int size() {
        return size;
    }
}
