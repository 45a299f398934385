package dev.vwb.workbench.cli;

import dev.vwb.machine.asm.Assembler;
import dev.vwb.machine.asm.Assembly;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A Multiboot ELF32 kernel made in the test: one loadable segment at 1 MiB holding the assembled
 * code (which starts with the Multiboot header), and a .symtab with the code's labels — what
 * {@code nasm -f elf32} and {@code ld} would give, without needing them.
 */
record TinyElf(byte[] file, Map<String, Long> symbols) {
    private static final int TEXT = 0x60;  // after the ELF header (52 bytes) and one program header (32)

    static TinyElf of(String body) {
        Assembly a = Assembler.assemble("bits 32\norg 0x100000\nmultiboot:\n dd 0x1BADB002, 0, 0xE4524FFE\n" + body, "kernel.asm");
        if (!a.ok()) {
            throw new IllegalStateException(a.errors().toString());
        }
        byte[] text = a.bytes();
        StringBuilder strtab = new StringBuilder("\0");
        ByteBuffer symtab = le(16 * (a.symbols().size() + 1));
        symtab.position(16);  // symbol 0 is the null symbol
        for (Map.Entry<String, Long> s : a.symbols().entrySet()) {
            symtab.putInt(strtab.length()).putInt((int) (long) s.getValue()).putInt(0).put((byte) 0x10)  // global, no type
                    .put((byte) 0).putShort((short) 1);  // defined in section 1 (.text)
            strtab.append(s.getKey()).append('\0');
        }
        byte[] str = strtab.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] shstr = "\0.text\0.symtab\0.strtab\0.shstrtab\0".getBytes(StandardCharsets.ISO_8859_1);
        int symOff = align(TEXT + text.length);
        int strOff = symOff + symtab.capacity();
        int shstrOff = strOff + str.length;
        int shOff = align(shstrOff + shstr.length);
        ByteBuffer f = le(shOff + 5 * 40);
        f.put(new byte[] {0x7F, 'E', 'L', 'F', 1, 1, 1});
        f.position(16);
        f.putShort((short) 2).putShort((short) 3).putInt(1).putInt(0x10000C).putInt(52).putInt(shOff).putInt(0)
                .putShort((short) 52).putShort((short) 32).putShort((short) 1).putShort((short) 40).putShort((short) 5)
                .putShort((short) 4);
        f.putInt(1).putInt(TEXT).putInt(0x100000).putInt(0x100000).putInt(text.length).putInt(text.length).putInt(5).putInt(4);
        f.position(TEXT);
        f.put(text);
        f.position(symOff);
        f.put(symtab.array()).put(str).put(shstr);
        f.position(shOff + 40);  // section 0 is null
        section(f, 1, 1, 6, 0x100000, TEXT, text.length, 0, 0);         // .text, PROGBITS, SHF_ALLOC | SHF_EXECINSTR
        section(f, 7, 2, 0, 0, symOff, symtab.capacity(), 3, 16);        // .symtab, linked to .strtab
        section(f, 15, 3, 0, 0, strOff, str.length, 0, 0);               // .strtab
        section(f, 23, 3, 0, 0, shstrOff, shstr.length, 0, 0);           // .shstrtab
        return new TinyElf(f.array(), a.symbols());
    }

    private static void section(ByteBuffer f, int name, int type, int flags, int addr, int offset, int size, int link,
                                int entsize) {
        f.putInt(name).putInt(type).putInt(flags).putInt(addr).putInt(offset).putInt(size).putInt(link).putInt(0).putInt(4)
                .putInt(entsize);
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static int align(int n) {
        return (n + 3) & ~3;
    }
}
