package dev.vwb.workbench.guests;

import dev.vwb.machine.asm.Assembler;
import dev.vwb.machine.asm.Assembly;
import dev.vwb.machine.asm.Diagnostic;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
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
 * {@code popf} and {@code sensitive}.
 *
 * <ul>
 *   <li>{@code teachkernel}: the teaching kernel: its own GDT, IDT and TSS, the 8259A and 8254,
 *       paging with one address space per task, two ring-3 tasks switched by the timer
 *       (preemptive round robin) that take turns printing lines through a shared page, and
 *       system calls write, yield and exit through {@code INT 80h}.
 *   <li>{@code popf}: at ring 0, sets and clears IF with POPF and asks PUSHF and the timer
 *       whether it worked ("yes" on bare hardware; deprivileged, POPF ignores IF silently).
 *   <li>{@code sensitive}: SGDT, SIDT, SMSW, STR, SLDT, MOV from CS/SS/DS, PUSH CS, LAR, LSL and
 *       PUSHF's IOPL and IF, each beside the value the kernel set up ("matches" on bare hardware).
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
    private static final List<String> NAMES = List.of("teachkernel", "popf", "sensitive");
    private static final Map<String, byte[]> IMAGES = new ConcurrentHashMap<>();

    private KernelGuests() {
    }

    /** The names {@link #source} and {@link #image} accept, teaching kernel first. */
    public static List<String> names() {
        return NAMES;
    }

    /**
     * The NASM-syntax source of a guest kernel, for readers, listings and the test that assembles
     * it with nasm.
     *
     * @throws IllegalArgumentException if there is no such guest
     */
    public static String source(String name) {
        check(name);
        String resource = name + ".asm";
        try (InputStream in = KernelGuests.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the guest source " + resource
                        + " is missing from the class path (is workbench-core/src/main/resources packaged?)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the guest source " + resource, e);
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
        return IMAGES.computeIfAbsent(name, KernelGuests::assemble).clone();
    }

    private static byte[] assemble(String name) {
        Assembly assembly = Assembler.assemble(source(name), name + ".asm");
        if (!assembly.ok()) {
            throw new IllegalStateException("the bundled guest " + name + ".asm does not assemble:\n"
                    + assembly.errors().stream().map(Diagnostic::toString).collect(Collectors.joining("\n")));
        }
        return assembly.bytes();
    }

    private static void check(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("no guest kernel named '" + name + "'; the guest kernels are: "
                    + String.join(", ", NAMES));
        }
    }
}
