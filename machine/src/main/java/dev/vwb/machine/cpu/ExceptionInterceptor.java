package dev.vwb.machine.cpu;

/**
 * Sees every exception and interrupt before the guest's IVT/IDT does, and decides what happens.
 * This is the hook a hypervisor builds on; the machine itself never needs one.
 */
@FunctionalInterface
public interface ExceptionInterceptor {
    /** What to do with the event. */
    enum Decision {
        /** Deliver it through the guest's IVT/IDT as the hardware would. */
        DELIVER,
        /** Stop the run before delivery; the CPU state is as the event left it. */
        STOP,
        /** The interceptor handled it (it may have changed CPU state); resume without delivery. */
        HANDLED
    }

    Decision onException(Cpu cpu, ExceptionEvent event);

    /**
     * Called after an event this interceptor let through ({@link Decision#DELIVER}) was delivered
     * through the IDT: the handler's frame is on its stack and EIP is the handler's. A monitor
     * adjusts the frame here (what the guest must see of its own state). Not called when the
     * delivery itself faulted.
     */
    default void delivered(Cpu cpu, ExceptionEvent event) {
    }
}
