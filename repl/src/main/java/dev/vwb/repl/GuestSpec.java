package dev.vwb.repl;

import dev.vwb.workbench.Vm;
import dev.vwb.workbench.Workbench;
import dev.vwb.workbench.WorkbenchException;
import dev.vwb.workbench.guests.KernelGuests;
import dev.vwb.workbench.hv.Hypervisor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Which guest a session loads and how: a bundled guest's name or a file, under the hypervisor
 * (the default) or bare. The hypervisor takes guests that start in 32-bit protected mode at ring
 * 0 (the guest kernels, Multiboot files); the BIOS-image guests ({@code demo}, ...) start in real
 * mode at F000:FFF0 and always run bare; {@code teachkernel-pv} makes hypercalls and runs only in
 * paravirt mode.
 *
 * @param guest a name of {@link Workbench#bundledGuests()} or a file path
 * @param bare  whether the user asked for no hypervisor
 */
record GuestSpec(String guest, boolean bare) {
    /** The default guest: the teaching kernel, under the hypervisor. */
    static final GuestSpec DEFAULT = new GuestSpec("teachkernel", false);

    /** {@code [GUEST] [--bare]}; a one-line {@link IllegalArgumentException} for anything else. */
    static GuestSpec parse(List<String> args, String defaultGuest) {
        String guest = null;
        boolean bare = false;
        for (String a : args) {
            if (a.equals("--bare")) {
                bare = true;
            } else if (a.startsWith("-")) {
                throw new IllegalArgumentException("unknown option '" + a + "': the options are GUEST and --bare");
            } else if (guest == null) {
                guest = a;
            } else {
                throw new IllegalArgumentException("one guest at a time, not '" + guest + "' and '" + a + "'");
            }
        }
        return new GuestSpec(guest == null ? defaultGuest : guest, bare);
    }

    /** The hypervisor mode the guest gets, or null when it runs bare. */
    Hypervisor.Mode mode() {
        if (KernelGuests.names().contains(guest)) {
            if (!KernelGuests.bareMetal(guest)) {
                if (bare) {
                    throw new WorkbenchException(guest + " makes hypercalls: it runs only under the hypervisor (paravirt mode)");
                }
                return Hypervisor.Mode.PARAVIRT;
            }
            return bare ? null : Hypervisor.Mode.PATCH;
        }
        if (Workbench.bundledGuests().contains(guest)) {
            return null;
        }
        return bare ? null : Hypervisor.Mode.PATCH;
    }

    /** Makes the VM; a {@link WorkbenchException} with one line if the guest cannot be loaded. */
    Vm open() {
        Hypervisor.Mode mode = mode();
        if (Workbench.bundledGuests().contains(guest)) {
            return Workbench.fromBundled(guest).hypervisor(mode).build();
        }
        Path file = Path.of(guest);
        if (!Files.isRegularFile(file)) {
            throw new WorkbenchException("no bundled guest or file named '" + guest + "'; the bundled guests are: "
                    + String.join(", ", Workbench.bundledGuests()));
        }
        return Workbench.fromFile(file).hypervisor(mode).build();
    }

    /** Why the guest runs bare although the user did not ask for it, or "". */
    String note() {
        if (!bare && mode() == null) {
            return guest + " is a BIOS image that starts in real mode: it runs bare (the hypervisor takes guest kernels)";
        }
        return "";
    }

    /** The guest and how it runs, e.g. "teachkernel under the hypervisor (patch mode)". */
    String describe() {
        Hypervisor.Mode m = mode();
        return guest + (m == null ? ", bare" : " under the hypervisor (" + m.label() + " mode)");
    }
}
