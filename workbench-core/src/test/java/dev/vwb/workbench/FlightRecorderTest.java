package dev.vwb.workbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vwb.workbench.hv.Hypervisor;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FlightRecorderTest {
    @AfterEach
    void off() {
        System.clearProperty(FlightRecorder.PROPERTY);
        FlightRecorder.clear();
    }

    @Test
    void whenOff_vmsAreNotRecorded() {
        FlightRecorder.clear();
        Workbench.fromBundled("exits").hypervisor(Hypervisor.Mode.TRAP).build().step(100);
        assertEquals(Optional.empty(), FlightRecorder.dump(10, 10));
    }

    @Test
    void whenOn_theLatestVmsLastInstructionsAndExits_areDumped_untilCleared() {
        System.setProperty(FlightRecorder.PROPERTY, "64");
        Vm vm = Workbench.fromBundled("exits").hypervisor(Hypervisor.Mode.TRAP).build();
        vm.setBudget(5_000);
        vm.run();
        String dump = FlightRecorder.dump(5, 3).orElseThrow();
        assertTrue(dump.startsWith("Last 5 instructions of guest exits (of "), dump);
        assertTrue(dump.contains("Last 3 VM exits (of "), dump);
        assertEquals(5 + 3 + 2, dump.lines().count(), dump);
        FlightRecorder.clear();
        assertEquals(Optional.empty(), FlightRecorder.dump(5, 3));
    }
}
