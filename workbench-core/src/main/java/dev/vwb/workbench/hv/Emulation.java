package dev.vwb.workbench.hv;

/** What emulating one trapped instruction came to. */
sealed interface Emulation {
    /** Emulated: EIP is past the instruction, which counts as retired. */
    record Done(String action) implements Emulation {
    }

    /** Emulated port I/O. */
    record PortAccess(String action, int port, int size, boolean in, int value) implements Emulation {
    }

    /** Port I/O to a port no device of the guest's answers: answered as an empty bus, never forwarded. */
    record NoDevice(String action, int port, int size, boolean in, int value) implements Emulation {
    }

    /** The guest's state was adjusted so that the instruction, run again natively, does what the guest meant. */
    record Retry(String action) implements Emulation {
    }

    /** The guest gets this exception instead (a fault while emulating, or the rule the guest broke). */
    record Reflect(int vector, int errorCode, String why) implements Emulation {
    }

    /** Not an instruction this emulator takes: the original exception belongs to the guest. */
    record NotMine() implements Emulation {
    }

    /** A hardware task switch (IRET with NT set): run in the guest's view by the hypervisor. */
    record TaskSwitch() implements Emulation {
    }

    /** Something the hypervisor cannot do for the guest. */
    record Unsupported(String what) implements Emulation {
    }

    Emulation NOT_MINE = new NotMine();
}
