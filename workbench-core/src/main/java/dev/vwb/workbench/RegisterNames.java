package dev.vwb.workbench;

import dev.vwb.machine.cpu.Cpu;
import dev.vwb.machine.cpu.Reg32;
import dev.vwb.machine.cpu.SegReg;
import java.util.Locale;

/**
 * Registers by the names a student types: {@code eax}, {@code ax}, {@code al}, {@code ah},
 * {@code eip}, {@code eflags}, {@code cs}..{@code gs}, {@code cr0}..{@code cr4}, case-insensitive.
 */
final class RegisterNames {
    private static final String[] LOW8 = {"al", "cl", "dl", "bl"};
    private static final String[] HIGH8 = {"ah", "ch", "dh", "bh"};
    private static final String ALL = "eax..edi, ax..di, al..bh, eip, ip, eflags, flags, cs, ds, es, fs, gs, ss, cr0, cr2, cr3, cr4";

    private RegisterNames() {
    }

    static long read(Cpu cpu, String name) {
        String n = name.toLowerCase(Locale.ROOT).trim();
        Reg32 r = gpr32(n);
        if (r != null) {
            return cpu.reg(r) & 0xFFFF_FFFFL;
        }
        if ((r = gpr16(n)) != null) {
            return cpu.reg(r) & 0xFFFF;
        }
        int i = index(LOW8, n);
        if (i >= 0) {
            return cpu.reg(Reg32.of(i)) & 0xFF;
        }
        if ((i = index(HIGH8, n)) >= 0) {
            return cpu.reg(Reg32.of(i)) >>> 8 & 0xFF;
        }
        SegReg s = seg(n);
        if (s != null) {
            return cpu.segment(s).selector();
        }
        return switch (n) {
            case "eip" -> cpu.eip() & 0xFFFF_FFFFL;
            case "ip" -> cpu.eip() & 0xFFFF;
            case "eflags", "flags" -> cpu.eflags() & 0xFFFF_FFFFL;
            case "cr0" -> cpu.cr0() & 0xFFFF_FFFFL;
            case "cr2" -> cpu.cr2() & 0xFFFF_FFFFL;
            case "cr3" -> cpu.cr3() & 0xFFFF_FFFFL;
            case "cr4" -> cpu.cr4() & 0xFFFF_FFFFL;
            default -> throw unknown(name);
        };
    }

    static void write(Cpu cpu, String name, long value) {
        String n = name.toLowerCase(Locale.ROOT).trim();
        int v = (int) value;
        Reg32 r = gpr32(n);
        if (r != null) {
            cpu.setReg(r, v);
            return;
        }
        if ((r = gpr16(n)) != null) {
            cpu.setReg(r, cpu.reg(r) & 0xFFFF_0000 | v & 0xFFFF);
            return;
        }
        int i = index(LOW8, n);
        if (i >= 0) {
            cpu.setReg(Reg32.of(i), cpu.reg(Reg32.of(i)) & ~0xFF | v & 0xFF);
            return;
        }
        if ((i = index(HIGH8, n)) >= 0) {
            cpu.setReg(Reg32.of(i), cpu.reg(Reg32.of(i)) & ~0xFF00 | (v & 0xFF) << 8);
            return;
        }
        SegReg s = seg(n);
        if (s != null) {
            try {
                cpu.loadSegment(s, v & 0xFFFF);  // with every check MOV sreg makes: a bad selector is refused
            } catch (IllegalArgumentException e) {
                throw new WorkbenchException(e.getMessage());
            }
            return;
        }
        switch (n) {
            case "eip" -> cpu.setEip(v);
            case "ip" -> cpu.setEip(v & 0xFFFF);
            case "eflags", "flags" -> cpu.setEflags(v);
            case "cr0" -> {
                if ((v & Cpu.CR0_PG) != 0 && (v & Cpu.CR0_PE) == 0) {
                    throw new WorkbenchException("CR0.PG needs CR0.PE: paging works only in protected mode");
                }
                cpu.setCr0(v);
            }
            case "cr2", "cr3", "cr4" -> throw new WorkbenchException(n.toUpperCase(Locale.ROOT)
                    + " cannot be written from the workbench yet; let the guest load it (MOV " + n + ", reg)");
            default -> throw unknown(name);
        }
    }

    private static WorkbenchException unknown(String name) {
        return new WorkbenchException("no register named '" + name + "'; the registers are " + ALL);
    }

    private static Reg32 gpr32(String n) {
        return named(Reg32.values(), n);
    }

    private static Reg32 gpr16(String n) {
        return n.length() == 2 ? gpr32("e" + n) : null;
    }

    private static SegReg seg(String n) {
        return named(SegReg.values(), n);
    }

    /** The constant whose name is {@code n} in lower case, or null. */
    private static <E extends Enum<E>> E named(E[] values, String n) {
        for (E e : values) {
            if (e.name().toLowerCase(Locale.ROOT).equals(n)) {
                return e;
            }
        }
        return null;
    }

    private static int index(String[] names, String n) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(n)) {
                return i;
            }
        }
        return -1;
    }
}
