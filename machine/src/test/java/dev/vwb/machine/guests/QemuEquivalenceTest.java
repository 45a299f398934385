package dev.vwb.machine.guests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vwb.machine.StopReason;
import dev.vwb.machine.bench.QemuRunner;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** QEMU as the oracle for whole guests: same image, same console output and exit status. */
class QemuEquivalenceTest {
    private final QemuRunner qemu = new QemuRunner();

    @BeforeAll
    static void needsQemu() {
        Assumptions.assumeTrue(QemuRunner.available(), QemuRunner.EXECUTABLE
                + " is not installed, so vwb cannot be compared with QEMU: " + QemuRunner.INSTALL_HINT);
    }

    static Stream<Arguments> images() {
        return Stream.of(
                Arguments.of("demo", BundledGuests.load("demo")),
                Arguments.of("timer", BundledGuests.load("timer")),
                Arguments.of("serial", BundledGuests.load("serial")),
                Arguments.of("rings", BundledGuests.load("rings")),
                Arguments.of("bench, N = 1", BenchGuest.image(1)),
                Arguments.of("bench, N = 37", BenchGuest.image(37)),
                Arguments.of("bench, N = 0", BenchGuest.image(0)),
                Arguments.of("bench-paging, N = 3", BenchGuest.pagingImage(3)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void sameOutputAndExitStatusAsQemu(String name, byte[] image) throws Exception {
        GuestRun vwb = GuestRun.of(image);
        // Guests that take PIC interrupts run on QEMU's isapc, which has no local APIC in the way.
        QemuRunner runner = name.startsWith("timer") ? new QemuRunner(16, Duration.ofMinutes(5), "isapc") : qemu;
        QemuRunner.Result expected = runner.run(image);

        assertEquals(StopReason.EXIT_DEVICE, vwb.result().reason(), () -> vwb.result() + "\n" + vwb.output());
        assertEquals(expected.debugOutput(), vwb.output(), "console output");
        assertEquals(expected.serialOutput(), vwb.serialOutput(), "COM1 output");
        assertEquals(expected.exitStatus(), vwb.exitStatus(), "exit status (QEMU said: " + expected.messages() + ")");
    }

    /**
     * The benchmark takes QEMU's instruction count to be vwb's: check it, with QEMU executing one
     * instruction per translation block and logging each. (The demo is left out: it uses REP
     * STOSB, whose repetitions QEMU counts one by one.)
     */
    @Test
    void qemuExecutesAsManyInstructionsAsVwbRetires() throws Exception {
        byte[] image = BenchGuest.image(2);
        assertEquals(GuestRun.of(image).result().instructions(), qemu.countInstructions(image));
    }
}
