package dev.vwb.workbench;

import dev.vwb.machine.asm.Assembler;
import dev.vwb.machine.asm.Assembly;
import dev.vwb.machine.guests.BundledGuests;
import dev.vwb.machine.loader.MultibootLoader;
import dev.vwb.workbench.guests.KernelGuests;
import dev.vwb.workbench.hv.Extensions;
import dev.vwb.workbench.hv.Hypervisor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Makes virtual machines from guests. The one-line forms use the defaults (16 MiB of RAM;
 * assembly text is a flat real-mode binary at 7C00h; a file is a Multiboot kernel):
 *
 * <pre>{@code
 * Vm demo = Workbench.bundled("demo");
 * Vm boot = Workbench.assemble("org 0\nmov ax, 1\nhlt\n");   // at 07C0:0000
 * Vm kern = Workbench.kernel(Path.of("kernel.elf"));
 * }</pre>
 *
 * and the builders say more:
 *
 * <pre>{@code
 * Vm vm = Workbench.fromAssembly(source).protectedMode(0x100000).ramMiB(64).build();
 * Vm rom = Workbench.fromFile(Path.of("bios.bin")).rom().build();
 * }</pre>
 *
 * Every problem (no such guest, assembly errors, a file that is not a kernel) is a
 * {@link WorkbenchException} with a one-line message ({@link AssemblyException} lists every
 * assembler diagnostic).
 */
public final class Workbench {
    /** Where assembly text goes by default: the boot-sector address, as a BIOS would load it. */
    public static final long DEFAULT_ORG = 0x7C00;

    private Workbench() {
    }

    /** The names {@link #bundled} accepts: the BIOS-image guests, then the guest kernels. */
    public static List<String> bundledGuests() {
        List<String> all = new java.util.ArrayList<>(BundledGuests.names());
        all.addAll(KernelGuests.names());
        return all;
    }

    /**
     * A VM running a bundled guest: a 64 KiB BIOS image (e.g. {@code "demo"}) or a guest kernel
     * for the hypervisor lessons (e.g. {@code "teachkernel"}, loaded as a Multiboot kernel).
     */
    public static Vm bundled(String name) {
        return fromBundled(name).build();
    }

    /** A VM running assembly text as a flat real-mode binary at {@link #DEFAULT_ORG}. */
    public static Vm assemble(String source) {
        return fromAssembly(source).build();
    }

    /** A VM running a Multiboot kernel file (ELF or a.out kludge), as {@code qemu -kernel}. */
    public static Vm kernel(Path file) {
        return fromFile(file).build();
    }

    public static Builder fromBundled(String name) {
        if (KernelGuests.names().contains(name)) {
            return new Builder(name, KernelGuests.image(name), Guest.Kind.MULTIBOOT, new Symbols(KernelGuests.symbols(name), KernelGuests.constants(name)));
        }
        if (!BundledGuests.names().contains(name)) {
            throw new WorkbenchException("no bundled guest named '" + name + "'; the bundled guests are: "
                    + String.join(", ", bundledGuests()));
        }
        return new Builder(name, BundledGuests.load(name), Guest.Kind.ROM, bundledSymbols(name));
    }

    /**
     * Assembly text (NASM syntax); by default placed as a flat real-mode binary at 7C00h,
     * started at CS:IP = 07C0:0000, so a real-mode source says {@code org 0} (its labels are
     * offsets in CS); a protected-mode one says {@code org} its load address.
     *
     * @throws AssemblyException listing every error if it does not assemble
     */
    public static Builder fromAssembly(String source) {
        return fromAssembly(source, "guest.asm");
    }

    /** As {@link #fromAssembly(String)}, naming the source {@code fileName} in diagnostics. */
    public static Builder fromAssembly(String source, String fileName) {
        Assembly a = Assembler.assemble(source, fileName);
        if (!a.ok()) {
            throw new AssemblyException(a.errors());
        }
        Builder b = new Builder(fileName, a.bytes(), Guest.Kind.FLAT_REAL, Symbols.of(a));
        b.address = DEFAULT_ORG;
        return b;
    }

    /**
     * A file: a Multiboot kernel if it has a Multiboot header (the default), otherwise say how to
     * place it with {@link Builder#realMode}, {@link Builder#protectedMode} or {@link Builder#rom}.
     */
    public static Builder fromFile(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new WorkbenchException("cannot read " + file + ": " + e.getMessage());
        }
        return fromBytes(bytes, file.getFileName().toString());
    }

    /** Bytes of a kernel or binary; placed as for {@link #fromFile}. */
    public static Builder fromBytes(byte[] bytes) {
        return fromBytes(bytes, "bytes");
    }

    static Builder fromBytes(byte[] bytes, String name) {
        boolean multiboot = MultibootLoader.findHeader(bytes).isPresent();
        return new Builder(name, bytes.clone(), multiboot ? Guest.Kind.MULTIBOOT : null, Symbols.fromElf(bytes));
    }

    /**
     * The bundled guest's labels, from assembling its source here. A source this assembler
     * cannot take (or that assembles to other bytes) gives no symbols rather than wrong ones.
     */
    private static Symbols bundledSymbols(String name) {
        try {
            Assembly a = Assembler.assemble(BundledGuests.source(name), name + ".asm");
            return a.ok() && Arrays.equals(a.bytes(), BundledGuests.load(name))
                    ? Symbols.of(a) : Symbols.NONE;
        } catch (RuntimeException e) {
            return Symbols.NONE;
        }
    }

    /** Options for a guest: RAM size and placement. */
    public static final class Builder {
        private final String name;
        private final byte[] bytes;
        private Guest.Kind kind;
        private long address;
        private int ramMiB = 16;
        private final Symbols symbols;
        private Hypervisor.Mode hypervisor;
        private Extensions extensions = Extensions.REFERENCE;
        private int shadowCache = Hypervisor.DEFAULT_SHADOW_CACHE;

        private Builder(String name, byte[] bytes, Guest.Kind kind, Symbols symbols) {
            this.name = name;
            this.bytes = bytes;
            this.kind = kind;
            this.symbols = symbols;
        }

        /** RAM in MiB, 1 to 2048 (default 16). */
        public Builder ramMiB(int mib) {
            if (mib < 1 || mib > 2048) {
                throw new WorkbenchException("RAM must be between 1 and 2048 MiB, not " + mib);
            }
            this.ramMiB = mib;
            return this;
        }

        /**
         * Runs the guest deprivileged under the hypervisor in {@code mode} (a guest that starts
         * in 32-bit protected mode: a Multiboot kernel or {@link #protectedMode}); null runs it bare.
         */
        public Builder hypervisor(Hypervisor.Mode mode) {
            this.hypervisor = mode;
            return this;
        }

        /**
         * Runs the guest under the hypervisor in {@code mode} with {@code extensions} in place of
         * the reference hypervisor's own parts (a student's emulator, UART, shadow fill or isolation policy).
         */
        public Builder hypervisor(Hypervisor.Mode mode, Extensions extensions) {
            if (mode == null || extensions == null) {
                throw new WorkbenchException("hypervisor(mode, extensions) needs both (Extensions.REFERENCE for the reference's own parts)");
            }
            this.hypervisor = mode;
            this.extensions = extensions;
            return this;
        }

        /**
         * How many shadow page tables the hypervisor keeps for guest CR3s, 1 to 64 (default
         * {@link Hypervisor#DEFAULT_SHADOW_CACHE}): with fewer than the guest's address spaces, a
         * CR3 switch rebuilds a shadow (the shadow-paging lesson). Used only with {@link #hypervisor}.
         */
        public Builder shadowCache(int shadows) {
            if (shadows < 1 || shadows > 64) {
                throw new WorkbenchException("the shadow cache holds 1 to 64 shadows, not " + shadows);
            }
            this.shadowCache = shadows;
            return this;
        }

        /** A flat binary at {@code address}, started in real mode (CS = address >> 4). */
        public Builder realMode(long address) {
            return flat(Guest.Kind.FLAT_REAL, address);
        }

        /** A flat binary at {@code address} (1000h or above), started in 32-bit flat protected mode. */
        public Builder protectedMode(long address) {
            return flat(Guest.Kind.FLAT_PROTECTED, address);
        }

        /** A ROM image of up to 128 KiB in the BIOS window, started at F000:FFF0. */
        public Builder rom() {
            kind = Guest.Kind.ROM;
            return this;
        }

        /** A Multiboot kernel (the default for files with a Multiboot header). */
        public Builder multiboot() {
            if (MultibootLoader.findHeader(bytes).isEmpty()) {
                throw new WorkbenchException(name + " has no Multiboot header (magic 1BADB002h with a valid checksum)"
                        + " in its first 8 KiB; load it with realMode(addr), protectedMode(addr) or rom()");
            }
            kind = Guest.Kind.MULTIBOOT;
            return this;
        }

        private Builder flat(Guest.Kind k, long address) {
            if (address < 0 || address > 0xFFFF_FFFFL) {
                throw new WorkbenchException(String.format("the load address %Xh is not a 32-bit physical address", address));
            }
            this.kind = k;
            this.address = address;
            return this;
        }

        /** Builds the machine and loads the guest. */
        public Vm build() {
            if (kind == null) {
                throw new WorkbenchException(name + " has no Multiboot header; say how to load it:"
                        + " .realMode(addr), .protectedMode(addr) or .rom()");
            }
            Guest guest = new Guest(name, kind, bytes, address, symbols);
            return new Vm(guest, ramMiB, hypervisor, shadowCache, extensions);
        }
    }
}
