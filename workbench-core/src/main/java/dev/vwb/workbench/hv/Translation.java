package dev.vwb.workbench.hv;

import java.util.Locale;

/**
 * One linear address three ways, side by side, for the shadow-paging lesson: the guest's own
 * walk (its CR3, directory and table entries, the guest-physical address), the p2m (guest-physical
 * to host-physical), and the hypervisor's shadow walk (the real CR3, the shadow entries, the
 * host-physical address the CPU uses). The two host addresses agree once the shadow holds the
 * page; an empty shadow entry is one the next access fills (a hidden fault).
 *
 * @param guestPde      the guest's directory entry, or 0 with paging off
 * @param guestPte      the guest's table entry (0 for a 4 MiB page or paging off)
 * @param guestPhysical the guest-physical address, or -1 when the guest's tables do not map it
 * @param host          the host-physical address by the p2m, or -1
 * @param shadowPde     the shadow directory entry
 * @param shadowPte     the shadow table entry (0: not filled yet)
 * @param shadowHost    the host-physical address by the shadow, or -1 when it is not filled
 */
public record Translation(int linear, boolean guestPaging, int guestCr3, int guestPde, int guestPte, boolean bigPage,
                          long guestPhysical, long host, int shadowCr3, int shadowPde, int shadowPte, long shadowHost) {

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "linear %08X%n", linear));
        int dir = linear >>> 22;
        int entry = (linear >>> 12) & 0x3FF;
        if (!guestPaging) {
            b.append("  guest walk:  paging off: guest-physical = linear\n");
        } else {
            b.append(String.format(Locale.ROOT, "  guest walk:  CR3 %08X -> PDE[%d] %08X %s", guestCr3, dir, guestPde, flags(guestPde)));
            if (bigPage) {
                b.append(" (4 MiB page)");
            } else if ((guestPde & 1) != 0) {
                b.append(String.format(Locale.ROOT, " -> PTE[%d] %08X %s", entry, guestPte, flags(guestPte)));
            }
            b.append('\n');
        }
        b.append(guestPhysical < 0 ? "               not mapped: an access is the guest's page fault\n"
                : String.format(Locale.ROOT, "               guest-physical %08X%n", guestPhysical));
        if (guestPhysical >= 0) {
            b.append(host < 0 ? "  p2m:         outside the guest's memory: the hypervisor refuses it\n"
                    : String.format(Locale.ROOT, "  p2m:         guest-physical %08X -> host %08X%n", guestPhysical, host));
        }
        b.append(String.format(Locale.ROOT, "  shadow walk: CR3 %08X -> PDE[%d] %08X", shadowCr3, dir, shadowPde));
        if ((shadowPde & 1) != 0) {
            b.append(String.format(Locale.ROOT, " -> PTE[%d] %08X %s", entry, shadowPte, flags(shadowPte)));
        }
        b.append('\n');
        b.append(shadowHost < 0 ? "               not filled yet: the next access is a hidden page fault\n"
                : String.format(Locale.ROOT, "               host %08X%s%n", shadowHost,
                (shadowPte & 2) == 0 && (guestPte & 2) != 0 ? " (read-only: not dirty yet, or a page table)" : ""));
        return b.toString().stripTrailing();
    }

    /** P, W, U, A, D as letters (lower case when clear). */
    static String flags(int e) {
        return "" + ((e & 1) != 0 ? 'P' : 'p') + ((e & 2) != 0 ? 'W' : 'w') + ((e & 4) != 0 ? 'U' : 'u')
                + ((e & 0x20) != 0 ? 'A' : 'a') + ((e & 0x40) != 0 ? 'D' : 'd');
    }

    /** An HTML table: the three walks side by side. */
    public String toHtml() {
        return "<table class=\"vwb-translation\"><tr><th>guest walk</th><th>p2m</th><th>shadow walk</th></tr><tr><td>"
                + (guestPaging ? String.format(Locale.ROOT, "CR3 %08X<br>PDE %08X %s<br>%s", guestCr3, guestPde, flags(guestPde),
                bigPage ? "4 MiB page" : String.format(Locale.ROOT, "PTE %08X %s", guestPte, flags(guestPte))) : "paging off")
                + "<br>" + (guestPhysical < 0 ? "not mapped" : String.format(Locale.ROOT, "gPA %08X", guestPhysical))
                + "</td><td>" + (host < 0 ? "-" : String.format(Locale.ROOT, "%08X &rarr; %08X", guestPhysical, host))
                + "</td><td>" + String.format(Locale.ROOT, "CR3 %08X<br>PDE %08X<br>PTE %08X %s<br>%s", shadowCr3, shadowPde,
                shadowPte, flags(shadowPte), shadowHost < 0 ? "not filled" : String.format(Locale.ROOT, "hPA %08X", shadowHost))
                + "</td></tr></table>";
    }
}
