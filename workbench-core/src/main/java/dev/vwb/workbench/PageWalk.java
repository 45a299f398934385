package dev.vwb.workbench;

/**
 * How the MMU translates one linear address through the page tables in guest memory, level by
 * level (SDM Vol. 3A §4.3): the directory entry, the table entry (absent for a 4 MiB page), and
 * the physical address, or the #PF the access would raise and its error code. The walk reads
 * the tables as they are in memory now (not the CPU's TLB, which may be stale) and changes
 * nothing: no accessed or dirty bits are set.
 *
 * <pre>
 *  linear address:  31        22 21        12 11          0
 *                  | directory  |   table    |    offset   |     4 KiB page
 *                  | directory  |        offset (22 bits)  |     4 MiB page (PDE.PS, CR4.PSE)
 * </pre>
 *
 * @param linear      the linear address walked
 * @param access      the access checked
 * @param paging      whether CR0.PG is set (if not, the physical address is the linear one)
 * @param cr3         CR3: the page directory's physical address in bits 31–12
 * @param pdeAddress  where the directory entry is, or -1 with paging off
 * @param pde         the directory entry, or null with paging off
 * @param pteAddress  where the table entry is, or -1 (paging off, a 4 MiB page, or the PDE not present)
 * @param pte         the table entry, or null when there is none
 * @param physical    the physical address, or -1 if the access faults
 * @param fault       why the access faults, or null
 * @param errorCode   the #PF error code the access raises (P, W/R, U/S), or -1
 */
public record PageWalk(long linear, Access access, boolean paging, int cr3, long pdeAddress, PageEntry pde,
                       long pteAddress, PageEntry pte, long physical, String fault, int errorCode)
        implements HtmlRenderable {

    public boolean faults() {
        return fault != null;
    }

    /** Bits 31–22 of the linear address: the index into the page directory. */
    public int directoryIndex() {
        return (int) (linear >>> 22) & 0x3FF;
    }

    /** Bits 21–12: the index into the page table. */
    public int tableIndex() {
        return (int) (linear >>> 12) & 0x3FF;
    }

    /** Whether the address lies in a 4 MiB page (the directory entry maps it, no table entry). */
    public boolean largePage() {
        return pde != null && pde.present() && pteAddress < 0;
    }

    /** The #PF error code in words, e.g. {@code P=1 W/R=1 U/S=0: a supervisor write to a present page}. */
    public String errorCodeText() {
        if (errorCode < 0) {
            return "";
        }
        return String.format("%d (P=%d W/R=%d U/S=%d: %s %s)", errorCode, errorCode & 1, errorCode >> 1 & 1,
                errorCode >> 2 & 1, (errorCode & 1) != 0 ? "a protection violation by a" : "a", access.describe()
                        + ((errorCode & 1) != 0 ? "" : " to a page that is not present"));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(String.format("linear %08X, %s%n", linear, access.describe()));
        if (!paging) {
            return sb.append(String.format("  paging is off (CR0.PG=0): physical %08X", physical)).toString();
        }
        sb.append(String.format("  CR3 %08X: page directory at %08X%n", cr3, cr3 & 0xFFFF_F000L));
        sb.append(String.format("  PDE #%d (bits 31-22 = %03Xh) at %08X = %s%n", directoryIndex(), directoryIndex(),
                pdeAddress, pde));
        if (pte != null) {
            sb.append(String.format("  PTE #%d (bits 21-12 = %03Xh) at %08X = %s%n", tableIndex(), tableIndex(),
                    pteAddress, pte));
        } else if (largePage()) {
            sb.append("  4 MiB page (PDE.PS with CR4.PSE): bits 21-0 are the offset\n");
        }
        if (faults()) {
            sb.append("  #PF: ").append(fault).append("; error code ").append(errorCodeText());
        } else {
            sb.append(String.format("  physical %08X = frame %08X + offset %X", physical,
                    largePage() ? pde.frame() : pte.frame(), linear & (largePage() ? 0x3F_FFFF : 0xFFF)));
        }
        return sb.toString();
    }

    @Override
    public String toHtml() {
        StringBuilder sb = Html.table("vwb-pagewalk", "step", "address", "value", "meaning");
        row(sb, "linear", String.format("%08X", linear), "", access.describe());
        if (!paging) {
            row(sb, "physical", String.format("%08X", physical), "", "paging is off (CR0.PG=0)");
            return sb.append("</table>").toString();
        }
        row(sb, "CR3", "", String.format("%08X", cr3), "page directory");
        row(sb, "PDE #" + directoryIndex(), String.format("%08X", pdeAddress), String.format("%08X", pde.value()), pde.flags());
        if (pte != null) {
            row(sb, "PTE #" + tableIndex(), String.format("%08X", pteAddress), String.format("%08X", pte.value()), pte.flags());
        }
        if (faults()) {
            row(sb, "#PF", "", errorCode >= 0 ? "error code " + errorCode : "", fault);
        } else {
            row(sb, "physical", String.format("%08X", physical), "", largePage() ? "4 MiB page" : "4 KiB page");
        }
        return sb.append("</table>").toString();
    }

    private static void row(StringBuilder sb, String step, String address, String value, String meaning) {
        sb.append(Html.row(step, address, value, meaning));
    }
}
