package dev.vwb.machine.cpu;

/**
 * A guest exception that an operation of {@link CpuControl} raised on a monitor's behalf: the
 * vector and error code the CPU would have delivered, for the monitor to reflect into the guest.
 */
public final class CpuFault extends RuntimeException {
    private final int vector;
    private final int errorCode;

    CpuFault(int vector, int errorCode) {
        super(Vectors.name(vector) + (errorCode < 0 ? "" : String.format("(%04Xh)", errorCode)), null, false, false);
        this.vector = vector;
        this.errorCode = errorCode;
    }

    public int vector() {
        return vector;
    }

    /** The error code, or -1 when the exception has none. */
    public int errorCode() {
        return errorCode;
    }
}
