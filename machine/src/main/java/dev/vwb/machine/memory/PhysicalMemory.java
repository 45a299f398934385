package dev.vwb.machine.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The physical address space of the PC: flat RAM from address 0, the BIOS ROM image mapped
 * just below 1 MiB and aliased just below 4 GiB (where the reset vector FFFFFFF0 fetches from),
 * and unmapped space everywhere else (reads return all ones, writes are ignored, as on an ISA
 * bus with nothing answering).
 *
 * <p>The RAM path is the hot path: one bounds check and a little-endian {@link VarHandle} access.
 * Writes also feed a per-page "holds decoded code" map so the CPU's decode cache can drop stale
 * instructions (self-modifying code); see {@link #setCodeWriteListener}.
 */
public final class PhysicalMemory {
    /** 4 KiB pages: the granularity of code-write tracking and, later, of paging. */
    public static final int PAGE_SHIFT = 12;
    public static final int PAGE_SIZE = 1 << PAGE_SHIFT;

    private static final VarHandle INT_LE =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT_LE =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    final byte[] ram;
    private final int ramSize;
    private byte[] rom = new byte[0];
    private int romLowBase;          // the ROM's base below 1 MiB
    private long romHighBase = 1L << 32;  // its alias below 4 GiB
    /** Per RAM page: {@link #CODE} while the CPU holds decoded instructions from it, {@link #READ_ONLY} for ROM. */
    private final byte[] pageFlags;
    private static final byte CODE = 1;
    private static final byte READ_ONLY = 2;
    /**
     * Not written since the last snapshot: the page's first write takes the slow path, which
     * clears the mark, so snapshots copy only written pages and share the rest.
     */
    private static final byte CLEAN = 4;
    private CodeWriteListener codeWriteListener = page -> { };

    /** Told when a write lands on a page that holds decoded code. */
    @FunctionalInterface
    public interface CodeWriteListener {
        void codePageWritten(int page);
    }

    public PhysicalMemory(int ramSize) {
        if (ramSize < PAGE_SIZE || ramSize % PAGE_SIZE != 0) {
            throw new IllegalArgumentException("RAM size must be a positive multiple of 4 KiB: " + ramSize);
        }
        this.ram = new byte[ramSize];
        this.ramSize = ramSize;
        this.pageFlags = new byte[ramSize >>> PAGE_SHIFT];
    }

    public int ramSize() {
        return ramSize;
    }

    /**
     * Maps a BIOS image as a PC does: at {@code 1 MiB - size} (the shadow copy in RAM real-mode
     * code runs from) and read-only at {@code 4 GiB - size} (where the reset vector is fetched).
     * The size must be a multiple of 64 KiB and at most 128 KiB, as QEMU's {@code -bios} requires.
     */
    public void loadBios(byte[] image) {
        if (image.length == 0 || image.length % 0x10000 != 0 || image.length > 0x20000) {
            throw new IllegalArgumentException("a BIOS image must be 64 or 128 KiB, not " + image.length + " bytes");
        }
        rom = image.clone();
        romLowBase = 0x100000 - image.length;
        romHighBase = (1L << 32) - image.length;
        if (romLowBase + image.length <= ramSize) {
            System.arraycopy(image, 0, ram, romLowBase, image.length);
            // The low copy is ROM too: writes to it are dropped, as on a PC without shadow RAM.
            for (int page = romLowBase >>> PAGE_SHIFT; page < 0x100000 >>> PAGE_SHIFT; page++) {
                pageFlags[page] |= READ_ONLY;
            }
        }
    }

    /** The CPU installs this to hear about writes to pages it has decoded. */
    public void setCodeWriteListener(CodeWriteListener listener) {
        this.codeWriteListener = listener;
    }

    /** Marks a RAM page as holding decoded code; writes to it will be reported. */
    public void markCodePage(int page) {
        if (page >= 0 && page < pageFlags.length) {
            pageFlags[page] |= CODE;
        }
    }

    /** Clears the code mark of a page (after the CPU dropped its decoded instructions). */
    public void clearCodePage(int page) {
        if (page >= 0 && page < pageFlags.length) {
            pageFlags[page] &= ~CODE;
        }
    }

    // ---- the hot path -------------------------------------------------------------------

    public int read8(int addr) {
        if (Integer.compareUnsigned(addr, ramSize) < 0) {
            return ram[addr] & 0xFF;
        }
        return slowRead8(addr);
    }

    public int read16(int addr) {
        if (Integer.compareUnsigned(addr, ramSize - 1) < 0) {
            return (short) SHORT_LE.get(ram, addr) & 0xFFFF;
        }
        return slowRead8(addr) | slowRead8(addr + 1) << 8;
    }

    public int read32(int addr) {
        if (Integer.compareUnsigned(addr, ramSize - 3) < 0) {
            return (int) INT_LE.get(ram, addr);
        }
        return slowRead8(addr) | slowRead8(addr + 1) << 8 | slowRead8(addr + 2) << 16 | slowRead8(addr + 3) << 24;
    }

    public void write8(int addr, int value) {
        if (Integer.compareUnsigned(addr, ramSize) < 0) {
            int page = addr >>> PAGE_SHIFT;
            if (pageFlags[page] == 0) {
                ram[addr] = (byte) value;
            } else {
                slowWrite8(addr, value);
            }
        }
        // Writes outside RAM (the high ROM alias, unmapped space) are dropped, as the bus does.
    }

    public void write16(int addr, int value) {
        if (Integer.compareUnsigned(addr, ramSize - 1) < 0
                && (pageFlags[addr >>> PAGE_SHIFT] | pageFlags[(addr + 1) >>> PAGE_SHIFT]) == 0) {
            SHORT_LE.set(ram, addr, (short) value);
        } else {
            write8(addr, value);
            write8(addr + 1, value >>> 8);
        }
    }

    public void write32(int addr, int value) {
        // A dword that stays inside its page needs one page-flag check.
        if (Integer.compareUnsigned(addr, ramSize - 3) < 0 && (addr & (PAGE_SIZE - 1)) <= PAGE_SIZE - 4
                && pageFlags[addr >>> PAGE_SHIFT] == 0) {
            INT_LE.set(ram, addr, value);
        } else if (Integer.compareUnsigned(addr, ramSize - 3) < 0
                && (pageFlags[addr >>> PAGE_SHIFT] | pageFlags[(addr + 3) >>> PAGE_SHIFT]) == 0) {
            INT_LE.set(ram, addr, value);
        } else {
            for (int i = 0; i < 4; i++) {
                write8(addr + i, value >>> (8 * i));
            }
        }
    }

    private void slowWrite8(int addr, int value) {
        int page = addr >>> PAGE_SHIFT;
        byte flags = pageFlags[page];
        if ((flags & READ_ONLY) != 0) {
            return;
        }
        if ((flags & CLEAN) != 0) {
            pageFlags[page] = (byte) (flags & ~CLEAN);
        }
        ram[addr] = (byte) value;
        if ((flags & CODE) != 0) {
            codeWriteListener.codePageWritten(page);
        }
    }

    private int slowRead8(int addr) {
        long a = addr & 0xFFFF_FFFFL;
        if (a < ramSize) {
            return ram[(int) a] & 0xFF;
        }
        if (a >= romHighBase) {
            return rom[(int) (a - romHighBase)] & 0xFF;
        }
        if (a >= romLowBase && a < romLowBase + rom.length) {
            return rom[(int) (a - romLowBase)] & 0xFF;
        }
        return 0xFF;
    }

    // ---- bulk access for loaders, debuggers and tests ------------------------------------

    /**
     * RAM as 4 KiB pages for a snapshot. Pages not written since {@code previous} was taken or
     * restored (null: none) are shared with it, so a snapshot costs what the guest wrote since.
     * Afterwards every page counts as unwritten. The arrays returned are never written again.
     */
    public byte[][] snapshotPages(byte[][] previous) {
        byte[][] pages = new byte[pageFlags.length][];
        for (int page = 0; page < pages.length; page++) {
            if (previous != null && (pageFlags[page] & CLEAN) != 0) {
                pages[page] = previous[page];
            } else {
                pages[page] = Arrays.copyOfRange(ram, page << PAGE_SHIFT, (page + 1) << PAGE_SHIFT);
            }
            pageFlags[page] |= CLEAN;
        }
        return pages;
    }

    /**
     * Puts RAM back from snapshot pages. {@code current} are the pages of the snapshot last taken
     * or restored: a page unwritten since then and shared with {@code pages} is already right.
     * Code marks are cleared: the CPU drops its decoded code when it restores its own state.
     */
    public void restorePages(byte[][] pages, byte[][] current) {
        if (pages.length != pageFlags.length) {
            throw new IllegalArgumentException("a snapshot of " + pages.length + " pages for " + pageFlags.length + " pages of RAM");
        }
        for (int page = 0; page < pages.length; page++) {
            boolean same = current != null && current[page] == pages[page] && (pageFlags[page] & CLEAN) != 0;
            if (!same) {
                System.arraycopy(pages[page], 0, ram, page << PAGE_SHIFT, PAGE_SIZE);
            }
            pageFlags[page] = (byte) ((pageFlags[page] & ~CODE) | CLEAN);
        }
    }

    /** Copies bytes into physical memory (RAM only; ROM and unmapped bytes are skipped). */
    public void load(int addr, byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            write8(addr + i, bytes[i]);
        }
    }

    /** Copies bytes into RAM even where it is ROM-backed (for loaders that build the machine). */
    public void loadIgnoringRom(int addr, byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            long a = (addr & 0xFFFF_FFFFL) + i;
            if (a < ramSize) {
                ram[(int) a] = bytes[i];
                pageFlags[(int) (a >>> PAGE_SHIFT)] &= ~CLEAN;
                if ((pageFlags[(int) (a >>> PAGE_SHIFT)] & CODE) != 0) {
                    codeWriteListener.codePageWritten((int) (a >>> PAGE_SHIFT));
                }
            }
        }
    }

    /** Sets {@code length} bytes of RAM from {@code addr} to {@code value}, ROM included (for loaders and tests). */
    public void fill(int addr, int length, byte value) {
        int end = Math.min(addr + length, ramSize);
        if (addr < 0 || addr >= end) {
            return;
        }
        Arrays.fill(ram, addr, end, value);
        for (int page = addr >>> PAGE_SHIFT; page <= (end - 1) >>> PAGE_SHIFT; page++) {
            pageFlags[page] &= ~CLEAN;
            if ((pageFlags[page] & CODE) != 0) {
                codeWriteListener.codePageWritten(page);
            }
        }
    }

    /** Reads {@code length} bytes starting at a physical address. */
    public byte[] read(int addr, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = (byte) read8(addr + i);
        }
        return out;
    }

    /** Zeroes RAM (the ROM image and its shadow copy are restored). */
    public void clear() {
        Arrays.fill(ram, (byte) 0);
        if (rom.length > 0 && romLowBase + rom.length <= ramSize) {
            System.arraycopy(rom, 0, ram, romLowBase, rom.length);
        }
    }
}
