package dev.vwb.notebooks;

/**
 * What a notebook's Java can call besides the workbench: {@code display(x)} shows a value richly
 * now, in the middle of a cell (the cell's last value is shown anyway). Imported statically in
 * every kernel session.
 */
public final class Notebook {
    private static volatile VwbKernel kernel;

    private Notebook() {
    }

    static void attach(VwbKernel k) {
        kernel = k;
    }

    /** Shows {@code value} in the cell's output: its HTML where it has one, its text otherwise. */
    public static void display(Object value) {
        VwbKernel k = kernel;
        if (k == null) {
            System.out.println(value);
        } else {
            k.display(Display.of(value));
        }
    }
}
