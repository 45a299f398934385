package dev.vwb.tracing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.LinkedHashMap;

/**
 * The symbol table ({@code .symtab}, else {@code .dynsym}) of an ELF32 little-endian file, as
 * name → address in definition order, for breakpoints and disassembly by symbol (System V ABI,
 * "Symbol Table"). Only named functions, objects and untyped labels defined in a section are
 * kept; a file with no symbol table gives an empty map.
 */
public final class ElfSymbols {
    private static final int SHT_SYMTAB = 2;      // section type: symbol table
    private static final int SHT_DYNSYM = 11;     // the dynamic symbols, read when there is no .symtab
    private static final int SHN_UNDEF = 0;       // st_shndx of an undefined symbol
    private static final int STT_NOTYPE = 0, STT_OBJECT = 1, STT_FUNC = 2;

    private ElfSymbols() {
    }

    /** Whether {@code file} starts with the ELF magic. */
    public static boolean isElf(byte[] file) {
        return file.length >= 52 && file[0] == 0x7F && file[1] == 'E' && file[2] == 'L' && file[3] == 'F';
    }

    /** The symbols of an ELF32 file; empty if it has none; a one-line IllegalArgumentException if it is not ELF32. */
    public static Map<String, Long> read(byte[] file) {
        if (!isElf(file) || file[4] != 1 || file[5] != 1) {
            throw new IllegalArgumentException("not a 32-bit little-endian ELF file, so it has no symbols to look up");
        }
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        Map<String, Long> symbols = new LinkedHashMap<>();
        try {
            int shoff = b.getInt(0x20);
            int shentsize = b.getShort(0x2E) & 0xFFFF;
            int shnum = b.getShort(0x30) & 0xFFFF;
            int wanted = SHT_DYNSYM;
            for (int i = 0; i < shnum; i++) {
                if (b.getInt(shoff + i * shentsize + 4) == SHT_SYMTAB) {
                    wanted = SHT_SYMTAB;
                }
            }
            for (int i = 0; i < shnum; i++) {
                int sh = shoff + i * shentsize;
                if (b.getInt(sh + 4) != wanted) {
                    continue;
                }
                int strtab = shoff + b.getInt(sh + 0x18) * shentsize;  // sh_link: its string table
                int strings = b.getInt(strtab + 0x10);
                int offset = b.getInt(sh + 0x10);
                int size = b.getInt(sh + 0x14);
                int entsize = Math.max(16, b.getInt(sh + 0x24));
                for (int at = offset; at + 16 <= offset + size; at += entsize) {
                    int name = b.getInt(at);
                    long value = b.getInt(at + 4) & 0xFFFF_FFFFL;
                    int type = b.get(at + 12) & 0xF;
                    int shndx = b.getShort(at + 14) & 0xFFFF;
                    if (name != 0 && shndx != SHN_UNDEF && (type == STT_NOTYPE || type == STT_OBJECT || type == STT_FUNC)) {
                        symbols.putIfAbsent(cString(file, strings + name), value);
                    }
                }
            }
        } catch (IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("the ELF file's section or symbol table is cut short or corrupt");
        }
        return symbols;
    }

    private static String cString(byte[] file, int at) {
        int end = at;
        while (file[end] != 0) {
            end++;
        }
        return new String(file, at, end - at, StandardCharsets.ISO_8859_1);
    }
}
