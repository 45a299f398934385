package dev.vwb.workbench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the symbol table ({@code .symtab}, else {@code .dynsym}) of a 32-bit ELF file: the
 * functions, objects and untyped labels a kernel defines. A file that is not ELF, or whose
 * tables are cut off, simply has no symbols: the loader reports real format problems.
 */
final class ElfSymbols {
    private static final int SHT_SYMTAB = 2;
    private static final int SHT_DYNSYM = 11;
    private static final int STT_SECTION = 3;
    private static final int STT_FILE = 4;

    private ElfSymbols() {
    }

    static Symbols read(byte[] file) {
        try {
            return new Symbols(parse(file));
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            return Symbols.NONE;  // a malformed table: no names, the kernel still loads
        }
    }

    private static Map<String, Long> parse(byte[] file) {
        Map<String, Long> out = new LinkedHashMap<>();
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        if (file.length < 52 || b.getInt(0) != 0x464C457F || file[4] != 1) {
            return out;
        }
        int shoff = b.getInt(32);
        int shentsize = b.getShort(46) & 0xFFFF;
        int shnum = b.getShort(48) & 0xFFFF;
        if (shoff <= 0 || shentsize < 40) {
            return out;
        }
        int table = -1;
        for (int i = 0; i < shnum; i++) {
            int type = b.getInt(shoff + i * shentsize + 4);
            if (type == SHT_SYMTAB || (type == SHT_DYNSYM && table < 0)) {
                table = i;
            }
        }
        if (table < 0) {
            return out;
        }
        int sh = shoff + table * shentsize;
        int symOff = b.getInt(sh + 16);
        int symSize = b.getInt(sh + 20);
        int link = b.getInt(sh + 24);
        int strOff = b.getInt(shoff + link * shentsize + 16);
        for (int at = symOff + 16; at + 16 <= symOff + symSize; at += 16) {  // entry 0 is the null symbol
            int name = b.getInt(at);
            int value = b.getInt(at + 4);
            int type = file[at + 12] & 0xF;
            int section = b.getShort(at + 14) & 0xFFFF;
            if (name == 0 || section == 0 || type == STT_SECTION || type == STT_FILE) {
                continue;  // undefined, or not an address
            }
            out.putIfAbsent(cString(file, strOff + name), value & 0xFFFF_FFFFL);
        }
        return out;
    }

    private static String cString(byte[] file, int at) {
        int end = at;
        while (file[end] != 0) {
            end++;
        }
        return new String(file, at, end - at, StandardCharsets.ISO_8859_1);
    }
}
