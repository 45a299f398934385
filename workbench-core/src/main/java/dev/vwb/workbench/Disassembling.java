package dev.vwb.workbench;

import dev.vwb.machine.asm.Disassembler;
import dev.vwb.machine.asm.Instruction;
import dev.vwb.machine.cpu.Cpu;
import dev.vwb.machine.cpu.SegReg;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds {@link Disassembly} listings from guest memory. x86 code cannot be decoded backwards,
 * so "around an address" starts at the earliest of the addresses up to 32 bytes before it whose
 * decoding lands exactly on it (usually the true instruction boundaries resynchronize by then).
 */
final class Disassembling {
    /** How far back a listing around an address looks for a start that decodes onto it. */
    private static final int LOOK_BACK = 32;
    /** The longest listing asked for by count. */
    static final int MAX_COUNT = 10_000;

    private Disassembling() {
    }

    /**
     * {@code count} (0 to {@link #MAX_COUNT}) instructions from linear address {@code start},
     * decoded with CS's code size, the one at CS:EIP marked.
     */
    static Disassembly from(MemoryView memory, Symbols symbols, Cpu cpu, long start, int count) {
        if (count < 0 || count > MAX_COUNT) {
            throw new WorkbenchException(String.format("a listing has 0 to %,d instructions, not %d", MAX_COUNT, count));
        }
        return from(memory, symbols, start, count, bits(cpu), current(cpu), csBase(cpu));
    }

    /** {@code count} instructions from a symbol (in real mode its value is an offset in CS). */
    static Disassembly fromSymbol(MemoryView memory, Symbols symbols, Cpu cpu, String symbol, int count) {
        long a = symbols.address(symbol);
        return from(memory, symbols, cpu, cpu.isProtectedMode() ? a : a + csBase(cpu), count);
    }

    /** About {@code before} instructions before CS:EIP, and {@code after} from it. */
    static Disassembly around(MemoryView memory, Symbols symbols, Cpu cpu, int before, int after) {
        long here = current(cpu);
        return around(memory, symbols, here, before, after, bits(cpu), here, csBase(cpu));
    }

    private static int bits(Cpu cpu) {
        return cpu.segment(SegReg.CS).big() ? 32 : 16;
    }

    private static long csBase(Cpu cpu) {
        return cpu.segmentBase(SegReg.CS) & 0xFFFF_FFFFL;
    }

    /** The linear address of CS:EIP. */
    private static long current(Cpu cpu) {
        return (cpu.segmentBase(SegReg.CS) + cpu.eip()) & 0xFFFF_FFFFL;
    }

    private static Disassembly from(MemoryView memory, Symbols symbols, long start, int count, int bits, long current,
                                    long csBase) {
        List<Disassembly.Line> lines = new ArrayList<>();
        long at = start & 0xFFFF_FFFFL;
        for (int i = 0; i < count && memory.mapped(at); i++) {
            byte[] code = readable(memory, at, 16);
            Instruction insn = Disassembler.disassemble(code, 0, at - csBase & 0xFFFF_FFFFL, bits);
            String label = symbols.at(at).orElse(bits == 16 && csBase != 0 ? symbols.at(at - csBase).orElse(null) : null);
            lines.add(new Disassembly.Line(at, insn.hex(), insn.text(), label, at == current));
            at = (at + insn.length()) & 0xFFFF_FFFFL;
        }
        return new Disassembly(lines, bits);
    }

    private static Disassembly around(MemoryView memory, Symbols symbols, long address, int before, int after, int bits,
                              long current, long csBase) {
        long start = startBefore(memory, symbols, address, before, bits, csBase);
        Disassembly all = from(memory, symbols, start, before + after + LOOK_BACK, bits, current, csBase);
        List<Disassembly.Line> lines = all.lines();
        int at = 0;
        while (at < lines.size() && lines.get(at).address() < address) {
            at++;
        }
        int from = Math.max(0, at - before);
        int to = Math.min(lines.size(), at + after);
        return new Disassembly(lines.subList(from, to), bits);
    }

    /**
     * Where to start decoding so that the instructions land on {@code address}: the earliest
     * symbol within {@link #LOOK_BACK} bytes before it that does (a label is an instruction
     * boundary), else the earliest address that does.
     */
    private static long startBefore(MemoryView memory, Symbols symbols, long address, int before, int bits, long csBase) {
        if (before == 0) {
            return address;
        }
        for (long start = address - LOOK_BACK; start < address; start++) {
            boolean labelled = symbols.at(start).isPresent() || bits == 16 && symbols.at(start - csBase).isPresent();
            if (labelled && landsOn(memory, start, address, bits, csBase)) {
                return start;
            }
        }
        for (long start = address - LOOK_BACK; start < address; start++) {
            if (landsOn(memory, start, address, bits, csBase)) {
                return start;
            }
        }
        return address;
    }

    private static boolean landsOn(MemoryView memory, long start, long address, int bits, long csBase) {
        if (start < 0 || !memory.mapped(start)) {
            return false;
        }
        long at = start;
        while (at < address) {
            Instruction insn = Disassembler.disassemble(readable(memory, at, 16), 0, at - csBase, bits);
            if (!insn.valid()) {
                return false;
            }
            at += insn.length();
        }
        return at == address;
    }

    /** Up to {@code length} bytes from {@code at}, stopping at the first unreadable one. */
    private static byte[] readable(MemoryView memory, long at, int length) {
        int n = 0;
        while (n < length && memory.mapped(at + n)) {
            n++;
        }
        return memory.read(at, Math.max(n, 0));
    }
}
