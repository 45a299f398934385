package dev.vwb.machine.difftest;

import java.util.Arrays;

/**
 * What the generator knows about the machine at the current point of the code: which registers hold
 * known values, the segment selectors, which status flags are architecturally undefined and the
 * direction flag. ESP is always known (the generator only emits stack-pointer changes it can follow)
 * so every stack access can be kept inside the stack block.
 */
final class GenState {

    static final int ESP = 4;

    final int[] reg = new int[8];
    private int knownMask;
    final int[] seg = new int[6];
    /** Status flags whose value is undefined now (must neither be read nor compared). */
    int undefinedFlags;
    /** Direction flag: 0 or 1, or -1 when not known. */
    int df;

    boolean known(int r) {
        return (knownMask & (1 << r)) != 0;
    }

    int value(int r) {
        if (!known(r)) {
            throw new IllegalStateException("register " + DiffCase.GPR_NAMES[r] + " not known");
        }
        return reg[r];
    }

    void set(int r, int value) {
        reg[r] = value;
        knownMask |= 1 << r;
    }

    void forget(int r) {
        if (r == ESP) {
            throw new IllegalStateException("generator bug: ESP must stay known");
        }
        knownMask &= ~(1 << r);
    }

    /** An instruction wrote these status flags (now defined) and left these others undefined. */
    void flags(int defined, int undefined) {
        undefinedFlags = (undefinedFlags & ~defined) | undefined;
    }

    GenState copy() {
        GenState c = new GenState();
        System.arraycopy(reg, 0, c.reg, 0, 8);
        c.knownMask = knownMask;
        System.arraycopy(seg, 0, c.seg, 0, 6);
        c.undefinedFlags = undefinedFlags;
        c.df = df;
        return c;
    }

    /** Joins the state of another control-flow path reaching the same point. */
    void merge(GenState other) {
        for (int r = 0; r < 8; r++) {
            if (known(r) && (!other.known(r) || other.reg[r] != reg[r])) {
                knownMask &= ~(1 << r);
            }
        }
        if (!known(ESP) || !Arrays.equals(seg, other.seg)) {
            throw new IllegalStateException("generator bug: paths disagree on ESP or segments");
        }
        undefinedFlags |= other.undefinedFlags;
        if (df != other.df) {
            df = -1;
        }
    }
}
