package dev.vwb.tracing;

/** One register an instruction changed, with its value before and after. */
public record RegisterChange(Register register, int before, int after) {
    @Override
    public String toString() {
        String width = register.isSegment() ? "%04X" : "%08X";
        return register + "=" + String.format(width, before) + "→" + String.format(width, after);
    }
}
