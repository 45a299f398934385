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
        b.append(shadowHost < 0 ? "               " + unfilled() + "\n"
                : String.format(Locale.ROOT, "               host %08X%s%n", shadowHost,
                (shadowPte & 2) == 0 && (guestPte & 2) != 0 ? " (read-only: not dirty yet, or a page table)" : ""));
        return b.toString().stripTrailing();
    }

    /** Why the shadow holds no host address, and what the next access does about it. */
    private String unfilled() {
        if (guestPhysical < 0) {
            return "not filled: the guest's tables do not map it, so an access is a true fault, the guest's";
        }
        return host < 0 ? "never filled: no host frame for it, so an access stops the guest"
                : "not filled yet: the next access is a hidden page fault";
    }

    /** P, W, U, A, D as letters (lower case when clear). */
    static String flags(int e) {
        return "" + ((e & 1) != 0 ? 'P' : 'p') + ((e & 2) != 0 ? 'W' : 'w') + ((e & 4) != 0 ? 'U' : 'u')
                + ((e & 0x20) != 0 ? 'A' : 'a') + ((e & 0x40) != 0 ? 'D' : 'd');
    }

    /** An HTML rendering: the three walks side by side as an SVG diagram (see {@link #toSvg()}). */
    public String toHtml() {
        return "<div class=\"vwb-translation\">" + toSvg() + "</div>";
    }

    /**
     * An SVG diagram: the guest's walk (CR3, directory entry, table entry, guest-physical page) in
     * the left column, the p2m in the middle, the shadow walk (the real CR3, its entries, the host
     * page) in the right column; arrows follow each walk, and the two host addresses meet when the
     * shadow holds the page.
     */
    public String toSvg() {
        int dir = linear >>> 22;
        int entry = (linear >>> 12) & 0x3FF;
        StringBuilder b = new StringBuilder();
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"vwb-walk\" width=\"660\" height=\"300\" font-family=\"monospace\" font-size=\"12\">");
        b.append("<defs><marker id=\"arrow\" markerWidth=\"8\" markerHeight=\"8\" refX=\"7\" refY=\"4\" orient=\"auto\">"
                + "<path d=\"M0,0 L8,4 L0,8 z\" fill=\"#444\"/></marker></defs>");
        b.append(text(330, 18, String.format(Locale.ROOT, "linear %08X", linear), "middle", true));
        b.append(text(100, 42, "guest walk", "middle", true)).append(text(330, 42, "p2m", "middle", true))
                .append(text(560, 42, "shadow walk", "middle", true));
        // The guest's column.
        String[] guest;
        if (!guestPaging) {
            guest = new String[] {"paging off", "", "", guestPhysical < 0 ? "-" : String.format(Locale.ROOT, "gPA %08X", guestPhysical)};
        } else {
            guest = new String[] {String.format(Locale.ROOT, "CR3 %08X", guestCr3),
                    String.format(Locale.ROOT, "PDE[%d] %08X %s", dir, guestPde, flags(guestPde)),
                    bigPage ? "4 MiB page" : (guestPde & 1) == 0 ? "-" : String.format(Locale.ROOT, "PTE[%d] %08X %s", entry, guestPte, flags(guestPte)),
                    guestPhysical < 0 ? "not mapped" : String.format(Locale.ROOT, "gPA %08X", guestPhysical)};
        }
        String[] shadow = {String.format(Locale.ROOT, "CR3 %08X", shadowCr3),
                String.format(Locale.ROOT, "PDE[%d] %08X", dir, shadowPde),
                (shadowPde & 1) == 0 ? "-" : String.format(Locale.ROOT, "PTE[%d] %08X %s", entry, shadowPte, flags(shadowPte)),
                shadowHost < 0 ? unfilled().split(":")[0] : String.format(Locale.ROOT, "hPA %08X", shadowHost)};
        for (int k = 0; k < 4; k++) {
            int y = 60 + k * 58;
            b.append(box(10, y, 180, guest[k], k == 3 && guestPhysical < 0 ? "#fde2e2" : "#e8f0fe"));
            b.append(box(470, y, 180, shadow[k], k == 3 && shadowHost < 0 ? "#fff4d6" : "#e6f4ea"));
            if (k < 3) {
                b.append(arrow(100, y + 30, 100, y + 58)).append(arrow(560, y + 30, 560, y + 58));
            }
        }
        // The p2m in the middle, from the guest-physical page to the host page.
        int y = 60 + 3 * 58;
        String p2m = guestPhysical < 0 ? "-" : host < 0 ? "outside the slice" : String.format(Locale.ROOT, "%08X -> %08X", guestPhysical, host);
        b.append(box(240, y, 180, p2m, host < 0 ? "#fde2e2" : "#f3e8fd"));
        b.append(arrow(190, y + 15, 240, y + 15));
        if (host >= 0 && shadowHost == host) {
            b.append(arrow(420, y + 15, 470, y + 15)).append(text(445, y + 45, "same host page", "middle", false));
        }
        b.append("</svg>");
        return b.toString();
    }

    private static String box(int x, int y, int width, String label, String fill) {
        return String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"30\" rx=\"4\" fill=\"%s\" stroke=\"#555\"/>",
                x, y, width, fill) + text(x + width / 2, y + 19, label, "middle", false);
    }

    private static String arrow(int x1, int y1, int x2, int y2) {
        return String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\" marker-end=\"url(#arrow)\"/>",
                x1, y1, x2, y2);
    }

    private static String text(int x, int y, String s, String anchor, boolean bold) {
        return String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\"%s>%s</text>", x, y, anchor,
                bold ? " font-weight=\"bold\"" : "", s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"));
    }
}
