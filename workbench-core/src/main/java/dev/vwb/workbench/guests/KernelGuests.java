package dev.vwb.workbench.guests;

import dev.vwb.machine.asm.Assembler;
import dev.vwb.machine.asm.Assembly;
import dev.vwb.machine.asm.Diagnostic;
import dev.vwb.machine.asm.Includes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The guest kernels that ship with the workbench, for the hypervisor lessons: NASM-syntax sources
 * (resources beside this class) assembled on demand by the project's own {@link Assembler}.
 *
 * <p>Each is a Multiboot kernel in a flat binary ({@code org 0x100000}, a Multiboot header with the
 * a.out-kludge address fields), so QEMU's {@code -kernel} and vwb's {@code MultibootLoader} both
 * load it. It prints on COM1 (3F8h), ends by writing its exit value to the exit device at F4h
 * (0 when all went as planned, 1 after an unexpected exception), and then halts with interrupts
 * off. Give it at least 8 MiB of RAM (the tests use 16, as {@code qemu -m 16}). Nothing it prints
 * depends on timing, so the same kernel prints the same bytes under QEMU, on vwb bare and under
 * the hypervisor - unless the hypervisor changes what the guest observes, which is the point of
 * {@code popf} and {@code sensitive}. All but {@code teachkernel-pv} run on bare hardware
 * ({@link #bareMetal}); that one runs only under vwb's hypervisor in paravirt mode. The attack
 * guests ({@link #attack}) are the exception to "the same bytes": they run bare too, where
 * nothing stops them, and under the hypervisor they are contained, which is the point.
 *
 * <ul>
 *   <li>{@code teachkernel}: the teaching kernel: its own GDT, IDT and TSS, the 8259A and 8254,
 *       paging with one address space per task, two ring-3 tasks switched by the timer
 *       (preemptive round robin) that take turns printing lines through a shared page, and
 *       system calls write, yield and exit through {@code INT 80h}.
 *   <li>{@code teachkernel-pv}: the same kernel paravirtualized (lesson 5): hypercalls (VMCALL,
 *       the ABI of the hypervisor's {@code Hypercalls}) instead of the instructions that trap;
 *       it prints byte for byte what {@code teachkernel} prints, with a tenth of the exits.
 *   <li>{@code popf}: at ring 0, sets and clears IF with POPF and asks PUSHF and the timer
 *       whether it worked ("yes" on bare hardware; deprivileged, POPF ignores IF silently).
 *   <li>{@code sensitive}: SGDT, SIDT, SMSW, STR, SLDT, MOV from CS/SS/DS, PUSH CS, LAR, LSL and
 *       PUSHF's IOPL and IF, each beside the value the kernel set up ("matches" on bare hardware).
 *   <li>{@code compute}: a benchmark: the loop of the machine's {@code bench} guest at ring 0, with
 *       no exit inside it; N iterations ({@link #computeImage}), then its checksum.
 *   <li>{@code exits}: a benchmark: N1 pairs of CLI; STI and N2 writes to port 80h
 *       ({@link #exitsImage}), each a VM exit under the hypervisor.
 * </ul>
 *
 * <p>The attack guests of lesson 8, "Isolation", each a lesson in miniature (its source's header
 * says what it tries and why it fails under the hypervisor; each ends in a "contained" exit,
 * a reflected fault or a triple fault the hypervisor reports):
 * <ul>
 *   <li>{@code attack-outside}: a page table entry for a frame outside the guest's memory;
 *   <li>{@code attack-window}: SGDT's leak of the hypervisor's GDT, and a hardware task switch
 *       whose TSS lies over it, saving forged descriptors;
 *   <li>{@code attack-stale}: a page table entry changed without INVLPG, read through the stale
 *       translation while the old frame is reused;
 *   <li>{@code attack-ports}: IN, OUT and INSW to ports no device of the guest answers (disk,
 *       CMOS, PCI configuration);
 *   <li>{@code attack-flat}: segments covering all 4 GiB (flat, and expand-down) at FFFF0000h;
 *   <li>{@code attack-spin}: interrupts off and a loop forever (it never ends: give it a budget);
 *   <li>{@code attack-triple}: an IDT with no gate and a division by zero (a triple fault).
 * </ul>
 *
 * <pre>{@code
 * Machine m = Machine.builder().ramMiB(16).build();
 * MultibootLoader.load(m, KernelGuests.image("teachkernel"));
 * m.run(10_000_000);
 * m.com1().transmitted();   // "teachkernel: hello from 1 MiB\n..."
 * }</pre>
 */
public final class KernelGuests {
    /** Image offset of {@code compute}'s iteration count (a little-endian dword, label {@code iterations}). */
    public static final int COMPUTE_ITERATIONS_OFFSET = 0x20;
    /** Image offset of {@code exits}' number of CLI; STI pairs (label {@code cli_sti_pairs}). */
    public static final int EXITS_PAIRS_OFFSET = 0x20;
    /** Image offset of {@code exits}' number of writes to port 80h (label {@code port_writes}). */
    public static final int EXITS_WRITES_OFFSET = 0x24;
    /** The largest count a guest's 32-bit counter holds. */
    public static final long MAX_COUNT = 0xFFFF_FFFFL;

    private static final List<String> NAMES = List.of("teachkernel", "teachkernel-pv", "popf", "sensitive", "compute", "exits",
            "attack-outside", "attack-window", "attack-stale", "attack-ports", "attack-flat", "attack-spin", "attack-triple");
    /** The folder of the include files the guests share, below this class's package. */
    static final String LIBRARY = "lib/";
    /** The guests that make hypercalls: on bare hardware their first VMCALL is #UD. */
    private static final Set<String> PARAVIRTUAL = Set.of("teachkernel-pv");
    /** The attack guests' names start with it. */
    private static final String ATTACK_PREFIX = "attack-";
    /** Each guest assembled once: its image and its labels (the REPL's start waits for one assembly, not two). */
    private static final Map<String, Assembly> ASSEMBLIES = new ConcurrentHashMap<>();

    private KernelGuests() {
    }

    /** The names {@link #source} and {@link #image} accept, teaching kernel first. */
    public static List<String> names() {
        return NAMES;
    }

    /**
     * Whether the guest runs on bare hardware (vwb without the hypervisor, QEMU) and under the
     * hypervisor in any mode; false for the paravirtual guests, which run only under
     * {@code --hv=paravirt}.
     *
     * @throws IllegalArgumentException if there is no such guest
     */
    public static boolean bareMetal(String name) {
        check(name);
        return !PARAVIRTUAL.contains(name);
    }

    /**
     * Whether the guest is an attack on the hypervisor's isolation (lesson 8). It runs on bare
     * hardware too ({@link #bareMetal}), where nothing stops it, so its output there is not its
     * output under the hypervisor, and it may not end at the exit device ({@code attack-spin}
     * never ends; {@code attack-triple} shuts the CPU down): comparisons of bare and virtualized
     * runs leave the attacks out.
     *
     * @throws IllegalArgumentException if there is no such guest
     */
    public static boolean attack(String name) {
        check(name);
        return name.startsWith(ATTACK_PREFIX);
    }

    /**
     * The NASM-syntax source of a guest kernel, for readers, listings and the test that assembles
     * it with nasm. Its {@code %include}s name files of {@link #includes}.
     *
     * @throws IllegalArgumentException if there is no such guest
     */
    public static String source(String name) {
        check(name);
        String resource = name + ".asm";
        String text = resource(resource);
        if (text == null) {
            throw new IllegalStateException("the guest source " + resource
                    + " is missing from the class path (is workbench-core/src/main/resources packaged?)");
        }
        return text;
    }

    /**
     * Where the guests' {@code %include}s are found: beside the including file, then in
     * {@value #LIBRARY} (the routines several guests share: COM1 printing, hex, the Multiboot
     * header, the exit device), as {@code nasm -i lib/} finds them. Files are named by their
     * resource path below this class's package ({@code lib/com1.inc}).
     */
    public static Includes includes() {
        return (name, from) -> {
            int slash = from.lastIndexOf('/');
            for (String candidate : List.of(from.substring(0, slash + 1) + name, LIBRARY + name)) {
                String text = resource(candidate);
                if (text != null) {
                    return Optional.of(new Includes.Source(candidate, text));
                }
            }
            return Optional.empty();
        };
    }

    /** The resource's text, or null when there is none. */
    private static String resource(String path) {
        try (InputStream in = KernelGuests.class.getResourceAsStream(path)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the guest source " + path, e);
        }
    }

    /**
     * The flat binary of a guest kernel, assembled from {@link #source} by the project's assembler
     * (once; each call returns a fresh copy, so callers may patch it).
     *
     * @throws IllegalArgumentException if there is no such guest
     * @throws IllegalStateException    if the source does not assemble (a bug in the build, not in
     *                                  the caller): the message holds every diagnostic
     */
    public static byte[] image(String name) {
        check(name);
        return ASSEMBLIES.computeIfAbsent(name, KernelGuests::assemble).bytes().clone();
    }

    /**
     * The labels and {@code equ}s of a guest kernel's source with their values, from the same
     * assembly as {@link #image}.
     *
     * @throws IllegalArgumentException if there is no such guest
     */
    public static Map<String, Long> symbols(String name) {
        check(name);
        return Collections.unmodifiableMap(assembly(name).symbols());
    }

    /** The names among {@link #symbols} that {@code equ} defined (values, not places in the code). */
    public static java.util.Set<String> constants(String name) {
        check(name);
        return assembly(name).constants();
    }

    private static Assembly assembly(String name) {
        return ASSEMBLIES.computeIfAbsent(name, KernelGuests::assemble);
    }

    /**
     * The {@code compute} benchmark with its iteration count set: it runs {@code iterations}
     * times the 10,502-instruction loop of the machine's {@code bench} guest and prints the same
     * checksum as {@code bench.bin} for the same count.
     *
     * @throws IllegalArgumentException if {@code iterations} is not in 0..{@link #MAX_COUNT}
     */
    public static byte[] computeImage(long iterations) {
        byte[] image = image("compute");
        patch(image, COMPUTE_ITERATIONS_OFFSET, iterations, "iteration count");
        return image;
    }

    /**
     * The {@code exits} benchmark with its counts set: {@code cliStiPairs} pairs of CLI; STI,
     * then {@code portWrites} writes to port 80h (under the hypervisor: 2 * cliStiPairs
     * privileged-instruction exits and portWrites port-I/O exits, beside a fixed number for its
     * boot, its line of output and its end).
     *
     * @throws IllegalArgumentException if a count is not in 0..{@link #MAX_COUNT}
     */
    public static byte[] exitsImage(long cliStiPairs, long portWrites) {
        byte[] image = image("exits");
        patch(image, EXITS_PAIRS_OFFSET, cliStiPairs, "number of CLI; STI pairs");
        patch(image, EXITS_WRITES_OFFSET, portWrites, "number of port writes");
        return image;
    }

    private static void patch(byte[] image, int offset, long count, String what) {
        if (count < 0 || count > MAX_COUNT) {
            throw new IllegalArgumentException("the " + what + " must be between 0 and " + MAX_COUNT + ", not " + count);
        }
        for (int i = 0; i < 4; i++) {
            image[offset + i] = (byte) (count >>> (8 * i));
        }
    }

    private static Assembly assemble(String name) {
        Assembly assembly = Assembler.assemble(source(name), name + ".asm", includes());
        if (!assembly.ok()) {
            throw new IllegalStateException("the bundled guest " + name + ".asm does not assemble:\n"
                    + assembly.errors().stream().map(Diagnostic::toString).collect(Collectors.joining("\n")));
        }
        return assembly;
    }

    private static void check(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("no guest kernel named '" + name + "'; the guest kernels are: "
                    + String.join(", ", NAMES));
        }
    }
}
