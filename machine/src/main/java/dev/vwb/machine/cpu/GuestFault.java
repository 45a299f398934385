package dev.vwb.machine.cpu;

/**
 * A guest exception raised deep inside an instruction and caught once, in the run loop, which
 * rolls the instruction back and delivers the exception through the IVT/IDT. It carries no Java
 * stack trace: it is guest behaviour, not an emulator error.
 */
final class GuestFault extends RuntimeException {
    /** No error code is pushed. */
    static final int NO_ERROR_CODE = -1;

    final int vector;
    final int errorCode;

    GuestFault(int vector, int errorCode) {
        super(null, null, false, false);
        this.vector = vector;
        this.errorCode = errorCode;
    }

    @Override
    public String getMessage() {
        return Vectors.name(vector) + (errorCode == NO_ERROR_CODE ? "" : String.format("(%04Xh)", errorCode));
    }
}
