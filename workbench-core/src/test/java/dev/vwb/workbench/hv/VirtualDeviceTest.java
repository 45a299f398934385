package dev.vwb.workbench.hv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vwb.machine.io.IoDevice;
import dev.vwb.workbench.Vm;
import dev.vwb.workbench.Workbench;
import org.junit.jupiter.api.Test;

/** A device the hypervisor emulates for its guest: reached through port exits, not filtered by the isolation policy. */
class VirtualDeviceTest {
    /** Reads port 510h until it gives 0, echoing each byte to port E9h, then exits. */
    private static Vm echoGuest() {
        return Workbench.fromAssembly("""
                bits 32
                org 0x100000
                        mov  dx, 0x510
                next:   in   al, dx
                        test al, al
                        jz   done
                        out  0xE9, al
                        jmp  next
                done:   mov  al, 0
                        out  0xF4, al
                """).protectedMode(0x100000).hypervisor(Hypervisor.Mode.PATCH).build();
    }

    private static final class Message implements IoDevice {
        final String text = "hi\n";
        int next;

        @Override
        public int in(int port, int size) {
            return next < text.length() ? text.charAt(next++) : 0;
        }

        @Override
        public void out(int port, int size, int value) {
        }
    }

    @Test
    void theGuestReadsAnAttachedVirtualDeviceThroughPortExits() {
        Vm vm = echoGuest();
        vm.hypervisor().attachDevice(new Message(), 0x510, 1);
        vm.run();
        assertEquals("hi\n", vm.console());
        assertTrue(vm.exits().count(ExitReason.PORT_IO) >= 4 + 3, "each IN and OUT is an exit: " + vm.exits().count(ExitReason.PORT_IO));
    }

    @Test
    void withoutIt_thePortIsAnEmptyBusAndTheGuestNeverSeesAZero() {
        Vm vm = echoGuest();
        vm.setBudget(10_000);
        vm.run();
        assertTrue(vm.console().chars().allMatch(c -> c == 0xFF), "an empty bus reads FFh");
    }

    @Test
    void aPortTakenTwiceOrOutsideTheIoSpaceIsAOneLineError() {
        Vm vm = echoGuest();
        vm.hypervisor().attachDevice(new Message(), 0x510, 2);
        assertThrows(IllegalArgumentException.class, () -> vm.hypervisor().attachDevice(new Message(), 0x511, 1));
        assertThrows(IllegalArgumentException.class, () -> vm.hypervisor().attachDevice(new Message(), 0xFFFF, 2));
    }
}
