package dev.vwb.workbench;

/**
 * A page-directory or page-table entry (SDM Vol. 3A §4.3, Tables 4-5 and 4-6), decoded.
 *
 * @param value     the raw 32-bit entry
 * @param directory whether it is a page-directory entry (where bit 7 means a 4 MiB page)
 */
public record PageEntry(int value, boolean directory) implements HtmlRenderable {
    static final int P = 1;          // present
    static final int RW = 1 << 1;    // writable
    static final int US = 1 << 2;    // user accessible
    static final int PWT = 1 << 3;   // write-through
    static final int PCD = 1 << 4;   // cache disabled
    static final int A = 1 << 5;     // accessed
    static final int D = 1 << 6;     // dirty (in a PTE or a 4 MiB PDE)
    static final int PS = 1 << 7;    // 4 MiB page (in a PDE)
    static final int G = 1 << 8;     // global

    public boolean present() { return (value & P) != 0; }
    public boolean writable() { return (value & RW) != 0; }
    public boolean user() { return (value & US) != 0; }
    public boolean accessed() { return (value & A) != 0; }
    public boolean dirty() { return (value & D) != 0; }
    public boolean large() { return directory && (value & PS) != 0; }
    public boolean global() { return (value & G) != 0; }

    /** The physical address the entry points at: a page table, a 4 KiB frame, or a 4 MiB frame. */
    public long frame() {
        return (value & (large() ? 0xFFC0_0000L : 0xFFFF_F000L));
    }

    /** The set flags by their manual names, e.g. {@code P RW US A}; {@code not present} when P is clear. */
    public String flags() {
        if (!present()) {
            return "not present";
        }
        StringBuilder sb = new StringBuilder("P");
        sb.append(writable() ? " RW" : " RO");
        sb.append(user() ? " US" : " S");
        if ((value & PWT) != 0) sb.append(" PWT");
        if ((value & PCD) != 0) sb.append(" PCD");
        if (accessed()) sb.append(" A");
        if (dirty()) sb.append(" D");
        if (large()) sb.append(" PS");
        if (global()) sb.append(" G");
        return sb.toString();
    }

    @Override
    public String toString() {
        return String.format("%08X [%s]", value, flags());
    }

    @Override
    public String toHtml() {
        return "<code class=\"vwb-page-entry\">" + Html.escape(toString()) + "</code>";
    }
}
