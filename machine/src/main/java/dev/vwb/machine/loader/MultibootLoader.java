package dev.vwb.machine.loader;

import dev.vwb.machine.Machine;
import dev.vwb.machine.cpu.Cpu;
import dev.vwb.machine.cpu.Reg32;
import dev.vwb.machine.cpu.SegReg;
import dev.vwb.machine.cpu.SegmentView;
import dev.vwb.machine.memory.PhysicalMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Loads a Multiboot (version 1) kernel as QEMU's {@code -kernel} does, and starts it in the
 * Multiboot machine state (Multiboot Specification 0.6.96, §3.2): EAX = 2BADB002h, EBX = the
 * physical address of the information structure, 32-bit protected mode with flat segments,
 * paging off, interrupts off. The kernel is an ELF32 file (its PT_LOAD segments at their
 * physical addresses) or any file whose header uses the a.out kludge (flag 16).
 *
 * <p>The information structure gives the memory sizes (flag 0), a memory map (flag 6) and the
 * boot loader's name (flag 9). As with QEMU's loader, a GDT with a flat code segment at 10h and
 * a flat data segment at 18h is in place, so a kernel may reload its segment registers.
 */
public final class MultibootLoader {
    public static final int HEADER_MAGIC = 0x1BADB002;
    public static final int BOOTLOADER_MAGIC = 0x2BADB002;
    private static final int SEARCH_LIMIT = 8192;
    private static final int FLAG_AOUT_KLUDGE = 1 << 16;

    // Where the loader puts its own structures: low memory, below the conventional 7C00h.
    private static final int GDT = 0x0500;
    private static final int INFO = 0x0600;
    private static final int MMAP = 0x0700;
    private static final int NAME = 0x0800;
    private static final int CODE_SELECTOR = 0x10;
    private static final int FIRMWARE_RESERVED = 128 * 1024;
    private static final int DATA_SELECTOR = 0x18;

    private MultibootLoader() {
    }

    /** The offset of a Multiboot header in the first 8 KiB of {@code file}, if it has one. */
    public static Optional<Integer> findHeader(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = 0; at + 12 <= Math.min(file.length, SEARCH_LIMIT); at += 4) {
            if (b.getInt(at) == HEADER_MAGIC && b.getInt(at) + b.getInt(at + 4) + b.getInt(at + 8) == 0) {
                return Optional.of(at);
            }
        }
        return Optional.empty();
    }

    /** Loads {@code file} into the machine's memory and sets the CPU to the Multiboot entry state. */
    public static void load(Machine machine, byte[] file) throws KernelFormatException {
        int header = findHeader(file).orElseThrow(() ->
                new KernelFormatException("no Multiboot header (magic 1BADB002h with a valid checksum) in the first 8 KiB"));
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int flags = b.getInt(header + 4);
        PhysicalMemory mem = machine.memory();
        int entry;
        if ((flags & FLAG_AOUT_KLUDGE) != 0) {
            entry = loadAout(mem, file, b, header);
        } else {
            entry = loadElf(mem, file, b);
        }
        writeInfo(mem);
        start(machine.cpu(), mem, entry);
    }

    /** The a.out kludge: the header says where the file's bytes go and where to start. */
    private static int loadAout(PhysicalMemory mem, byte[] file, ByteBuffer b, int header) throws KernelFormatException {
        if (header + 32 > file.length) {
            throw new KernelFormatException("the Multiboot header's address fields are cut off");
        }
        long headerAddr = b.getInt(header + 12) & 0xFFFF_FFFFL;
        long loadAddr = b.getInt(header + 16) & 0xFFFF_FFFFL;
        long loadEnd = b.getInt(header + 20) & 0xFFFF_FFFFL;
        long bssEnd = b.getInt(header + 24) & 0xFFFF_FFFFL;
        int entry = b.getInt(header + 28);
        long fileOffset = header - (headerAddr - loadAddr);
        if (loadAddr > headerAddr || fileOffset < 0) {
            throw new KernelFormatException("the a.out-kludge header puts the load address after the header");
        }
        long length = loadEnd == 0 ? file.length - fileOffset : loadEnd - loadAddr;
        if (length < 0 || fileOffset + length > file.length) {
            throw new KernelFormatException("the a.out-kludge header asks for bytes past the end of the file");
        }
        long end = bssEnd == 0 ? loadAddr + length : bssEnd;
        checkFits(mem, loadAddr, end, "the kernel");
        byte[] image = new byte[(int) length];
        System.arraycopy(file, (int) fileOffset, image, 0, (int) length);
        mem.loadIgnoringRom((int) loadAddr, image);
        if (end > loadAddr + length) {
            mem.fill((int) (loadAddr + length), (int) (end - loadAddr - length), (byte) 0);
        }
        return entry;
    }

    /** ELF32: each PT_LOAD segment goes to its physical address; memsz beyond filesz is zeroed. */
    private static int loadElf(PhysicalMemory mem, byte[] file, ByteBuffer b) throws KernelFormatException {
        if (file.length < 52 || b.getInt(0) != 0x464C457F) {
            throw new KernelFormatException("neither an ELF file nor a Multiboot header with the a.out kludge (flag 16)");
        }
        if (file[4] != 1 || file[5] != 1 || (b.getShort(18) & 0xFFFF) != 3) {
            throw new KernelFormatException("not a 32-bit little-endian i386 ELF file");
        }
        int entry = b.getInt(24);
        long phoff = b.getInt(28) & 0xFFFF_FFFFL;
        int phentsize = b.getShort(42) & 0xFFFF;
        int phnum = b.getShort(44) & 0xFFFF;
        if (phnum == 0 || phentsize < 32 || phoff + (long) phnum * phentsize > file.length) {
            throw new KernelFormatException("the ELF program headers are missing or cut off");
        }
        int loaded = 0;
        for (int i = 0; i < phnum; i++) {
            int ph = (int) (phoff + (long) i * phentsize);
            if (b.getInt(ph) != 1) {
                continue;  // only PT_LOAD segments occupy memory
            }
            long offset = b.getInt(ph + 4) & 0xFFFF_FFFFL;
            long paddr = b.getInt(ph + 12) & 0xFFFF_FFFFL;
            long filesz = b.getInt(ph + 16) & 0xFFFF_FFFFL;
            long memsz = b.getInt(ph + 20) & 0xFFFF_FFFFL;
            if (offset + filesz > file.length || memsz < filesz) {
                throw new KernelFormatException("ELF segment " + i + " is cut off or smaller in memory than in the file");
            }
            checkFits(mem, paddr, paddr + memsz, "ELF segment " + i);
            byte[] bytes = new byte[(int) filesz];
            System.arraycopy(file, (int) offset, bytes, 0, (int) filesz);
            mem.loadIgnoringRom((int) paddr, bytes);
            if (memsz > filesz) {
                mem.fill((int) (paddr + filesz), (int) (memsz - filesz), (byte) 0);
            }
            loaded++;
        }
        if (loaded == 0) {
            throw new KernelFormatException("the ELF file has no loadable segment");
        }
        return entry;
    }

    private static void checkFits(PhysicalMemory mem, long from, long to, String what) throws KernelFormatException {
        if (from < 0x1000 || to > mem.ramSize()) {
            throw new KernelFormatException(String.format("%s at %08X-%08X lies outside the RAM (%d MiB; give --memory more)",
                    what, from, to, mem.ramSize() >> 20));
        }
    }

    /** The information structure (§3.3): memory sizes, a memory map and the loader's name. */
    private static void writeInfo(PhysicalMemory mem) {
        int ram = mem.ramSize();
        ByteBuffer info = ByteBuffer.allocate(88).order(ByteOrder.LITTLE_ENDIAN);
        info.putInt(0, 1 | 1 << 6 | 1 << 9);           // flags: mem_*, mmap_*, boot_loader_name
        info.putInt(4, 639);                            // mem_lower: KiB below 1 MiB (640 KiB less the EBDA)
        // The top 128 KiB are reserved, as QEMU's SeaBIOS reserves them for its own tables, so
        // a kernel sees the same sizes here as under qemu-system-i386 -kernel.
        int usableTop = ram - FIRMWARE_RESERVED;
        info.putInt(8, (usableTop - 0x100000) / 1024);  // mem_upper: KiB of RAM from 1 MiB on
        ByteBuffer mmap = ByteBuffer.allocate(72).order(ByteOrder.LITTLE_ENDIAN);
        putRegion(mmap, 0, 0, 0x9FC00, 1);
        putRegion(mmap, 24, 0x100000, usableTop - 0x100000, 1);
        putRegion(mmap, 48, usableTop, FIRMWARE_RESERVED, 2);  // 2: reserved
        info.putInt(44, mmap.capacity());               // mmap_length
        info.putInt(48, MMAP);                          // mmap_addr
        info.putInt(64, NAME);                          // boot_loader_name
        mem.loadIgnoringRom(INFO, info.array());
        mem.loadIgnoringRom(MMAP, mmap.array());
        mem.loadIgnoringRom(NAME, "vwb\0".getBytes(StandardCharsets.US_ASCII));
    }

    private static void putRegion(ByteBuffer mmap, int at, long base, long length, int type) {
        mmap.putInt(at, 20);                            // size of the rest of this entry
        mmap.putLong(at + 4, base);
        mmap.putLong(at + 12, length);
        mmap.putInt(at + 20, type);                     // 1: available RAM
    }

    /** The Multiboot machine state (§3.2). */
    private static void start(Cpu cpu, PhysicalMemory mem, int entry) {
        enterFlatProtectedMode(cpu, mem, entry);
        cpu.setReg(Reg32.EAX, BOOTLOADER_MAGIC);
        cpu.setReg(Reg32.EBX, INFO);
        cpu.setReg(Reg32.ESP, 0x7C00);
    }

    /**
     * Resets the CPU into 32-bit protected mode with flat segments at {@code entry}: a GDT like
     * QEMU's loader leaves at 500h (null, null, flat code at 10h, flat data at 18h), paging and
     * interrupts off. Shared with {@link FlatBinaryLoader}.
     */
    static void enterFlatProtectedMode(Cpu cpu, PhysicalMemory mem, int entry) {
        ByteBuffer gdt = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        gdt.putLong(16, 0x00CF_9A00_0000_FFFFL);
        gdt.putLong(24, 0x00CF_9200_0000_FFFFL);
        mem.loadIgnoringRom(GDT, gdt.array());
        cpu.reset();
        cpu.setGdtr(GDT, 31);
        cpu.setCr0(Cpu.CR0_PE | Cpu.CR0_ET);
        for (SegReg s : SegReg.values()) {
            cpu.setSegment(s, SegmentView.flat32(s == SegReg.CS ? CODE_SELECTOR : DATA_SELECTOR, s == SegReg.CS));
        }
        cpu.setEflags(0x2);
        cpu.setEip(entry);
        cpu.flushDecodeCache();
    }
}
