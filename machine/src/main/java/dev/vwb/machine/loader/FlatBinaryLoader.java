package dev.vwb.machine.loader;

import dev.vwb.machine.Machine;
import dev.vwb.machine.cpu.Cpu;
import dev.vwb.machine.cpu.Reg32;
import dev.vwb.machine.cpu.SegReg;
import dev.vwb.machine.cpu.SegmentView;
import dev.vwb.machine.memory.PhysicalMemory;

/**
 * Loads a flat binary (raw code and data, no header) at a physical address and starts it there,
 * in real mode or in 32-bit protected mode. There is no firmware: the interrupt vector table is
 * all zeros, interrupts are off, and the program talks to the devices directly.
 *
 * <table>
 *   <caption>the start state</caption>
 *   <tr><th></th><th>real mode</th><th>protected mode</th></tr>
 *   <tr><td>code</td><td>CS = ADDR &gt;&gt; 4, IP = ADDR &amp; 0Fh</td>
 *       <td>CS = 10h (flat 32-bit code), EIP = ADDR</td></tr>
 *   <tr><td>data</td><td>DS = ES = FS = GS = SS = CS (a DOS .COM's tiny model)</td>
 *       <td>DS = ES = FS = GS = SS = 18h (flat data)</td></tr>
 *   <tr><td>stack</td><td>SP = 0: the stack grows down from the top of CS's 64 KiB</td>
 *       <td>ESP = the top of RAM</td></tr>
 *   <tr><td>limits</td><td>the binary ends within the first MiB</td>
 *       <td>the binary starts at 1000h or above (the GDT is at 500h)</td></tr>
 * </table>
 *
 * <p>Everything else is as after reset: other registers 0 (EDX the CPU signature), EFLAGS = 2,
 * paging off. The protected-mode GDT is MultibootLoader's: null, null, code at 10h, data at 18h.
 */
public final class FlatBinaryLoader {
    /** How the CPU starts the binary. */
    public enum Mode {
        REAL, PROTECTED;

        /** "real" or "protected", as the command line spells them. */
        public String spelling() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The lowest load address in protected mode: clear of the IVT, the BIOS data area and the GDT. */
    static final int PROTECTED_MIN_ADDRESS = 0x1000;
    private static final int FIRST_MIB = 0x100000;

    private FlatBinaryLoader() {
    }

    /** Copies {@code binary} to {@code address} and sets the CPU to start it in {@code mode}. */
    public static void load(Machine machine, byte[] binary, long address, Mode mode) throws KernelFormatException {
        PhysicalMemory mem = machine.memory();
        long end = address + binary.length;
        if (address < 0 || end > mem.ramSize()) {
            throw new KernelFormatException(String.format("a binary of %d bytes at %Xh does not fit in the RAM"
                    + " (%d MiB; give --memory more or load it lower)", binary.length, address, mem.ramSize() >> 20));
        }
        if (mode == Mode.REAL && end > FIRST_MIB) {
            throw new KernelFormatException(String.format("a binary of %d bytes at %Xh does not end within the first"
                    + " MiB, all that real mode reaches; load it lower or use --mode protected", binary.length, address));
        }
        if (mode == Mode.PROTECTED && address < PROTECTED_MIN_ADDRESS) {
            throw new KernelFormatException(String.format("in protected mode the binary must start at %Xh or above"
                    + " (the GDT is at 500h), not at %Xh", PROTECTED_MIN_ADDRESS, address));
        }
        if (mode == Mode.REAL && (address & ~0xF) + 0x10000 > mem.ramSize()) {
            throw new KernelFormatException(String.format("the real-mode stack (the top of the 64 KiB segment at %Xh)"
                    + " lies outside the RAM (%d MiB; give --memory more)", address & ~0xF, mem.ramSize() >> 20));
        }
        Cpu cpu = machine.cpu();
        mem.loadIgnoringRom((int) address, binary);
        if (mode == Mode.REAL) {
            startReal(cpu, (int) address);
        } else {
            MultibootLoader.enterFlatProtectedMode(cpu, mem, (int) address);
            cpu.setReg(Reg32.ESP, mem.ramSize());
        }
    }

    private static void startReal(Cpu cpu, int address) {
        int segment = address >>> 4;
        cpu.reset();
        for (SegReg s : SegReg.values()) {
            cpu.setSegment(s, SegmentView.realMode(segment, s == SegReg.CS));
        }
        cpu.setEip(address & 0xF);
        cpu.setReg(Reg32.ESP, 0);
        cpu.flushDecodeCache();
    }
}
