package dev.vwb.workbench;

/**
 * The symbols of a 32-bit ELF kernel for the object model, read by the tracing module's
 * {@link dev.vwb.tracing.ElfSymbols}. A file that is not ELF, or whose tables are cut off, simply
 * has no symbols: the loader reports real format problems.
 */
final class ElfSymbols {
    private ElfSymbols() {
    }

    static Symbols read(byte[] file) {
        if (!dev.vwb.tracing.ElfSymbols.isElf(file)) {
            return Symbols.NONE;
        }
        try {
            return new Symbols(dev.vwb.tracing.ElfSymbols.read(file));
        } catch (IllegalArgumentException e) {
            return Symbols.NONE;  // not ELF32, or a malformed table: no names, the kernel still loads
        }
    }
}
