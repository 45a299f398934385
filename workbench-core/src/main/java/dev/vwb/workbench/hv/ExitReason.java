package dev.vwb.workbench.hv;

/** Why the guest left native execution: the key of the hypervisor's statistics. */
public enum ExitReason {
    PRIVILEGED_INSTRUCTION("privileged instruction"),
    PORT_IO("port I/O"),
    SENSITIVE_INSTRUCTION("patched instruction"),
    GUEST_EXCEPTION("guest exception"),
    SOFTWARE_INTERRUPT("software interrupt"),
    INTERRUPT_INJECTED("interrupt injected"),
    HIDDEN_PAGE_FAULT("hidden page fault"),
    PAGE_TABLE_WRITE("page-table write"),
    SHADOW_BUILT("shadow built"),
    SHADOW_EVICTED("shadow evicted"),
    CONTAINED("contained"),
    HALT("halt"),
    HYPERCALL("hypercall"),
    UNSUPPORTED("unsupported"),
    TRIPLE_FAULT("triple fault");

    private final String label;

    ExitReason(String label) {
        this.label = label;
    }

    /** Lower-case words, for tables. */
    public String label() {
        return label;
    }
}
