package dev.vwb.machine.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class QemuRunnerTest {
    private static QemuRunner.Result result(int status, String messages) {
        return new QemuRunner.Result("", status, Duration.ZERO, messages, "");
    }

    @Test
    void exitStatusDecoding() {
        assertEquals(OptionalInt.of(3), result(7, "").exitValue());
        assertEquals(OptionalInt.of(0), result(1, "").exitValue());
        assertEquals(OptionalInt.of(0), result(1, "qemu-system-i386: warning: something harmless").exitValue());
        assertEquals(OptionalInt.empty(), result(1, "qemu: could not load PC BIOS 'x'").exitValue());
        assertEquals(OptionalInt.empty(), result(0, "").exitValue(), "a plain shutdown, not the exit device");
    }

    @Test
    void aBadImageIsReportedNotMistakenForAnExit() throws Exception {
        Assumptions.assumeTrue(QemuRunner.available(), QemuRunner.EXECUTABLE + " is not installed: "
                + QemuRunner.INSTALL_HINT);
        QemuRunner.Result r = new QemuRunner().run(new byte[1000]);
        assertEquals(OptionalInt.empty(), r.exitValue(), r.toString());
        assertTrue(r.messages().contains("BIOS"), r.messages());
    }
}
