package dev.vwb.workbench;

/**
 * What a step or run did.
 *
 * @param outcome      why it ended
 * @param instructions instructions retired during it
 * @param time         the VM's time after it (instructions retired since the start)
 * @param where        where the CPU is now
 * @param detail       a one-line explanation from the machine (the exit value, the fault, ...), or ""
 */
public record RunReport(Outcome outcome, long instructions, long time, Where where, String detail)
        implements HtmlRenderable {
    @Override
    public String toString() {
        return String.format("%s after %,d instructions (time %,d), at %s%s", outcome, instructions, time, where,
                detail.isEmpty() ? "" : ": " + detail);
    }

    @Override
    public String toHtml() {
        return Html.table("vwb-run", "outcome", "instructions", "time", "where", "detail")
                .append(Html.row(outcome.name(), String.format("%,d", instructions), String.format("%,d", time),
                        where.toString(), detail))
                .append("</table>").toString();
    }
}
