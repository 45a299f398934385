package dev.vwb.workbench.hv;

import java.util.Objects;
import java.util.function.Function;

/**
 * The parts of the hypervisor a {@link Hypervisor} can be booted with in place of its own (the
 * extension points the exercises ask students to write): the privileged-instruction emulator,
 * COM1, the shadow pager's core and the isolation policy. What is not given is the reference
 * hypervisor's own.
 *
 * <pre>{@code
 * Extensions mine = Extensions.builder()
 *         .privilegedInstructions(new StudentPrivilegedInstructions())
 *         .uart(StudentUart::new)
 *         .build();
 * Hypervisor hv = Hypervisor.boot(staged, Hypervisor.Mode.PATCH, mine);
 * }</pre>
 */
public final class Extensions {
    /** The reference hypervisor's own parts throughout. */
    public static final Extensions REFERENCE = builder().build();

    private final PrivilegedInstructions privilegedInstructions;
    private final Function<SerialLine, ? extends VirtualUart> uart;
    private final ShadowFill shadowFill;
    private final IsolationPolicy isolation;

    private Extensions(Builder b) {
        this.privilegedInstructions = b.privilegedInstructions;
        this.uart = b.uart;
        this.shadowFill = b.shadowFill;
        this.isolation = b.isolation;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The emulator of CLI, STI, HLT, MOV CRn, LGDT, LIDT, LMSW, CLTS and INVLPG. */
    public PrivilegedInstructions privilegedInstructions() {
        return privilegedInstructions;
    }

    /** Whether COM1 is a {@link VirtualUart} (else the machine's own UART model). */
    public boolean hasUart() {
        return uart != null;
    }

    /** A new virtual UART on {@code line}, or null when the machine's own UART serves. */
    VirtualUart newUart(SerialLine line) {
        return uart == null ? null : Objects.requireNonNull(uart.apply(line), "the UART factory made null");
    }

    public ShadowFill shadowFill() {
        return shadowFill;
    }

    public IsolationPolicy isolation() {
        return isolation;
    }

    /** Which parts are not the reference's, for reports: e.g. "uart, isolation", or "none". */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        if (privilegedInstructions != CorePrivilegedInstructions.INSTANCE) {
            s.append("privileged instructions, ");
        }
        if (uart != null) {
            s.append("uart, ");
        }
        if (shadowFill != ReferenceShadowFill.INSTANCE) {
            s.append("shadow fill, ");
        }
        if (isolation != ReferenceIsolation.INSTANCE) {
            s.append("isolation, ");
        }
        return s.length() == 0 ? "none" : s.substring(0, s.length() - 2);
    }

    /** Which parts to put in place of the reference's; each left unset stays the reference's. */
    public static final class Builder {
        private PrivilegedInstructions privilegedInstructions = CorePrivilegedInstructions.INSTANCE;
        private Function<SerialLine, ? extends VirtualUart> uart;
        private ShadowFill shadowFill = ReferenceShadowFill.INSTANCE;
        private IsolationPolicy isolation = ReferenceIsolation.INSTANCE;

        private Builder() {
        }

        public Builder privilegedInstructions(PrivilegedInstructions p) {
            this.privilegedInstructions = Objects.requireNonNull(p);
            return this;
        }

        /** COM1 becomes the UART {@code factory} makes, on the line the hypervisor gives it: {@code .uart(MyUart::new)}. */
        public Builder uart(Function<SerialLine, ? extends VirtualUart> factory) {
            this.uart = Objects.requireNonNull(factory);
            return this;
        }

        public Builder shadowFill(ShadowFill f) {
            this.shadowFill = Objects.requireNonNull(f);
            return this;
        }

        public Builder isolation(IsolationPolicy p) {
            this.isolation = Objects.requireNonNull(p);
            return this;
        }

        public Extensions build() {
            return new Extensions(this);
        }
    }
}
