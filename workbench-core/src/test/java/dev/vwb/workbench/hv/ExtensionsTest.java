package dev.vwb.workbench.hv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vwb.machine.io.IoDevice;
import dev.vwb.workbench.Vm;
import dev.vwb.workbench.Workbench;
import dev.vwb.workbench.guests.KernelGuests;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The extension points: a hypervisor booted with other parts calls them where it called its
 * own, and with the reference's parts (or wrappers of them) runs the guests as before.
 */
class ExtensionsTest {
    private static final byte[] TEACHKERNEL = KernelGuests.image("teachkernel");

    @Test
    void theEmulatorGivenIsCalledForThePrivilegedInstructions_andTheKernelRunsAsBare() {
        AtomicInteger calls = new AtomicInteger();
        PrivilegedInstructions counting = (insn, cpu) -> {
            calls.incrementAndGet();
            return CorePrivilegedInstructions.INSTANCE.emulate(insn, cpu);
        };
        KernelRun hv = KernelRun.under(TEACHKERNEL, Hypervisor.Mode.PATCH, Extensions.builder().privilegedInstructions(counting).build());
        assertEquals(KernelRun.bare(TEACHKERNEL).output(), hv.output());
        assertTrue(calls.get() > 10, "calls: " + calls);
    }

    @Test
    void anEmulatorThatRefusesEverythingBreaksTheGuest() {
        KernelRun hv = KernelRun.under(TEACHKERNEL, Hypervisor.Mode.PATCH,
                Extensions.builder().privilegedInstructions((insn, cpu) -> PrivilegedInstructions.NOT_MINE).build());
        assertNotEquals(KernelRun.bare(TEACHKERNEL).output(), hv.output());
    }

    @Test
    void aVirtualUartTakesCom1_andWhatItTransmitsIsTheGuestsOutput() {
        AtomicInteger accesses = new AtomicInteger();
        KernelRun hv = KernelRun.under(TEACHKERNEL, Hypervisor.Mode.PATCH, Extensions.builder().uart(line -> new VirtualUart() {
            private int lcr;

            @Override
            public int read(int register) {
                accesses.incrementAndGet();
                return register == 5 ? 0x60 : register == 3 ? lcr : 0;  // LSR: THRE | TEMT
            }

            @Override
            public void write(int register, int value) {
                accesses.incrementAndGet();
                if (register == 3) {
                    lcr = value;
                } else if (register == 0 && (lcr & 0x80) == 0) {
                    line.transmit(value);
                }
            }
        }).build());
        assertEquals(KernelRun.bare(TEACHKERNEL).output(), hv.output());
        assertTrue(accesses.get() > hv.output().length(), "accesses: " + accesses);
    }

    @Test
    void theShadowFillGivenAnswersThePageFaults() {
        AtomicInteger calls = new AtomicInteger();
        ShadowFill counting = (guest, linear, errorCode) -> {
            calls.incrementAndGet();
            return ReferenceShadowFill.INSTANCE.onPageFault(guest, linear, errorCode);
        };
        KernelRun hv = KernelRun.under(TEACHKERNEL, Hypervisor.Mode.PATCH, Extensions.builder().shadowFill(counting).build());
        assertEquals(KernelRun.bare(TEACHKERNEL).output(), hv.output());
        long hidden = hv.hypervisor().shadowStats().hiddenFaults;
        assertTrue(hidden > 0 && calls.get() >= hidden, calls + " calls, " + hidden + " hidden faults");
    }

    /** A host device the guest must not reach: the host's CMOS, which attack-ports writes and reads. */
    private static final IoDevice HOST_CMOS = new IoDevice() {
        @Override
        public int in(int port, int size) {
            return 0x5A;
        }

        @Override
        public void out(int port, int size, int value) {
        }
    };

    @Test
    void thePortPolicyDecidesWhetherAHostDeviceIsReached() {
        byte[] attack = KernelGuests.image("attack-ports");
        IsolationPolicy everything = new IsolationPolicy() {
            @Override
            public long hostAddress(GuestSlice slice, long guestPhysical) {
                return ReferenceIsolation.INSTANCE.hostAddress(slice, guestPhysical);
            }

            @Override
            public boolean portReachable(int port) {
                return true;
            }

            @Override
            public boolean reachesWindow(int linear, long length) {
                return ReferenceIsolation.INSTANCE.reachesWindow(linear, length);
            }

            @Override
            public long expandUpLimit(int base, long limit) {
                return ReferenceIsolation.INSTANCE.expandUpLimit(base, limit);
            }

            @Override
            public long expandDownLimit(int base, long limit, boolean big) {
                return ReferenceIsolation.INSTANCE.expandDownLimit(base, limit, big);
            }
        };
        KernelRun contained = KernelRun.run(attack, Hypervisor.Mode.PATCH, Extensions.REFERENCE, m -> m.io().attach(HOST_CMOS, 0x70, 2));
        KernelRun leaked = KernelRun.run(attack, Hypervisor.Mode.PATCH, Extensions.builder().isolation(everything).build(),
                m -> m.io().attach(HOST_CMOS, 0x70, 2));
        assertEquals(KernelRun.bare(attack).output(), contained.output());
        assertFalse(contained.output().contains("5A"), contained.output());
        assertNotEquals(contained.output(), leaked.output());
    }

    @Test
    void theObjectModelBootsAVmWithExtensions() {
        AtomicInteger calls = new AtomicInteger();
        PrivilegedInstructions counting = (insn, cpu) -> {
            calls.incrementAndGet();
            return CorePrivilegedInstructions.INSTANCE.emulate(insn, cpu);
        };
        Vm vm = Workbench.fromBundled("teachkernel").hypervisor(Hypervisor.Mode.PATCH,
                Extensions.builder().privilegedInstructions(counting).build()).build();
        vm.run();
        assertTrue(calls.get() > 0);
        assertEquals("privileged instructions", vm.hypervisor().extensions().toString());
    }
}
