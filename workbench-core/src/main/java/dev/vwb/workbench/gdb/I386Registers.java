package dev.vwb.workbench.gdb;

import dev.vwb.workbench.Vm;
import dev.vwb.workbench.WorkbenchException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The registers as gdb's i386 target sees them, numbered as the target description
 * ({@code i386-vwb.xml}, served by {@code qXfer:features:read:target.xml}) lists them:
 *
 * <pre>
 *   0-7    eax ecx edx ebx esp ebp esi edi      4 bytes each, little-endian   (the g packet:
 *   8-9    eip eflags                                                         registers 0-15,
 *   10-15  cs ss ds es fs gs                    the selector, zero-extended   64 bytes)
 *   16-23  st0-st7                              10 bytes, always zero         (p only: the 486
 *   24-31  fctrl fstat ftag fiseg fioff foseg fooff fop   4 bytes, zero      model has no FPU)
 *   32-35  cr0 cr2 cr3 cr4                      4 bytes                       (p; P for cr0)
 * </pre>
 *
 * The core order is QEMU's for i386. The x87 registers are there only because gdb's i386
 * architecture requires them in the core feature. A {@code g} reply shorter than the whole
 * description is the protocol's way of saying "fetch the rest with {@code p}", so gdb does.
 * Values come from and go to {@link Vm#reg}/{@link Vm#setReg}: a segment register is loaded with
 * MOV's checks, and a write the VM refuses is a {@link WorkbenchException}.
 */
final class I386Registers {
    /** The g packet's registers, in order. */
    private static final String[] CORE = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "eip", "eflags",
        "cs", "ss", "ds", "es", "fs", "gs"};
    private static final int FIRST_SEGMENT = 10;
    private static final int FIRST_ST = 16;
    private static final int FIRST_FPU_CONTROL = 24;
    private static final int FIRST_CR = 32;
    private static final String[] CONTROL = {"cr0", "cr2", "cr3", "cr4"};
    /** Registers in the description. */
    static final int COUNT = FIRST_CR + CONTROL.length;
    /** The g packet's length in hex digits. */
    static final int G_DIGITS = CORE.length * 8;

    private static final String TARGET_XML = load("i386-vwb.xml");

    private I386Registers() {
    }

    /** The target description gdb reads as {@code target.xml}. */
    static String targetXml() {
        return TARGET_XML;
    }

    /** The {@code g} reply: registers 0-15. */
    static String readAll(Vm vm) {
        StringBuilder b = new StringBuilder(G_DIGITS);
        for (String name : CORE) {
            b.append(Hex.littleEndian(vm.reg(name), 4));
        }
        return b.toString();
    }

    /**
     * A {@code G} packet's data: registers 0-15 (anything after them is ignored). Segment
     * registers whose value changed are loaded first, so that a selector the CPU refuses leaves
     * the general registers as they were.
     */
    static void writeAll(Vm vm, String hex) {
        if (hex.length() < G_DIGITS) {
            throw new MalformedPacketException("a G packet holds " + G_DIGITS + " hex digits, not " + hex.length());
        }
        long[] values = new long[CORE.length];
        for (int i = 0; i < CORE.length; i++) {
            values[i] = Hex.fromLittleEndian(hex.substring(8 * i, 8 * i + 8), 4);
        }
        for (int i = FIRST_SEGMENT; i < CORE.length; i++) {
            if (vm.reg(CORE[i]) != (values[i] & 0xFFFF)) {
                vm.setReg(CORE[i], values[i] & 0xFFFF);
            }
        }
        for (int i = 0; i < FIRST_SEGMENT; i++) {
            vm.setReg(CORE[i], values[i]);
        }
    }

    /** The {@code p} reply for register {@code n}, or a {@link MalformedPacketException} past the last one. */
    static String read(Vm vm, int n) {
        if (n >= 0 && n < CORE.length) {
            return Hex.littleEndian(vm.reg(CORE[n]), 4);
        }
        if (n >= FIRST_ST && n < FIRST_FPU_CONTROL) {
            return Hex.littleEndian(0, 10);
        }
        if (n >= FIRST_FPU_CONTROL && n < FIRST_CR) {
            return Hex.littleEndian(0, 4);
        }
        if (n >= FIRST_CR && n < COUNT) {
            return Hex.littleEndian(vm.reg(CONTROL[n - FIRST_CR]), 4);
        }
        throw new MalformedPacketException("no register number " + n + " (0 to " + (COUNT - 1) + ")");
    }

    /** A {@code P} packet: register {@code n} := the little-endian {@code hex}. */
    static void write(Vm vm, int n, String hex) {
        if (n >= 0 && n < CORE.length) {
            long v = Hex.fromLittleEndian(hex, 4);
            vm.setReg(CORE[n], n >= FIRST_SEGMENT ? v & 0xFFFF : v);
        } else if (n >= FIRST_ST && n < FIRST_CR) {
            throw new WorkbenchException("the 486 model has no FPU: its registers cannot be written");
        } else if (n >= FIRST_CR && n < COUNT) {
            vm.setReg(CONTROL[n - FIRST_CR], Hex.fromLittleEndian(hex, 4));
        } else {
            throw new MalformedPacketException("no register number " + n + " (0 to " + (COUNT - 1) + ")");
        }
    }

    private static String load(String resource) {
        try (InputStream in = I386Registers.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the target description " + resource + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
