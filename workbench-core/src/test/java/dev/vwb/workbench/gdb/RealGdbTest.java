package dev.vwb.workbench.gdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vwb.workbench.Outcome;
import dev.vwb.workbench.Vm;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stub against the real gdb from Debian, in batch mode: what gdb shows and does must be what
 * the VM says. Skipped when gdb is not installed.
 */
class RealGdbTest {
    private static final String[] CORE = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "eip", "eflags",
        "cs", "ss", "ds", "es", "fs", "gs"};

    @BeforeAll
    static void gdbIsInstalled() {
        RealGdb.assumeInstalled();
    }

    /** Runs gdb on {@code vm} with {@code commands}; the session must end with gdb's detach. */
    private static String gdb(Vm vm, String... commands) throws Exception {
        try (Stub stub = new Stub(vm)) {
            Future<SessionEnd> session = stub.serve();
            String out = RealGdb.run(stub.server.port(), commands);
            SessionEnd end = Stub.end(session);
            assertTrue(end == SessionEnd.DETACHED || end == SessionEnd.GUEST_ENDED, end + "\n" + out + "\n" + stub.log());
            return out;
        }
    }

    @Test
    void infoRegistersShowsEveryRegisterAsTheVmHasIt() throws Exception {
        Vm vm = GdbGuests.vm(GdbGuests.COUNTER);
        vm.step(4);
        String out = gdb(vm, "info registers");
        for (String r : CORE) {
            assertEquals(vm.reg(r), RealGdb.register(out, r), r + " in\n" + out);
        }
        assertEquals(vm.reg("cr0"), RealGdb.register(out, "cr0"), out);
        assertEquals(0x11223344, RealGdb.register(out, "eax"), out);
        assertTrue(out.contains("0x00100011 in ?? ()"), out);  // where gdb says the target stopped
    }

    @Test
    void xShowsMemoryThroughThePageTables_andAnUnmappedPageCannotBeAccessed() throws Exception {
        Vm vm = GdbGuests.vm(GdbGuests.PAGING);
        assertEquals(Outcome.HALTED, vm.run().outcome());
        String out = gdb(vm, "x/4xb 0x3000", "x/4xb 0x5000", "x/xw 0xc00000", "info registers cr0 cr3");
        assertTrue(out.contains("0x3000:\t0x0d\t0xf0\t0xfe\t0xca"), out);
        assertTrue(out.contains("0x5000:\t0x0d\t0xf0\t0xfe\t0xca"), out);
        assertTrue(out.contains("Cannot access memory at address 0xc00000"), out);
        assertTrue(out.contains("PG"), "CR0's flags decoded: " + out);
        assertEquals(0x200000, RealGdb.register(out, "cr3"), out);
    }

    @Test
    void breakContinueAndStepiStopWhereTheVmSays_andDisassemblyReadsTheGuestsCode() throws Exception {
        Vm vm = GdbGuests.vm(GdbGuests.COUNTER);
        String out = gdb(vm, "break *0x100014", "continue", "info registers eip ecx", "continue",
                "info registers ecx", "stepi", "info registers eip ecx", "x/i $pc");
        assertTrue(out.contains("Breakpoint 1, 0x00100014 in ?? ()"), out);
        assertTrue(out.contains("=> 0x100015:\tmov    %ecx,0x100030"), out);
        assertEquals(0x100015, vm.eip(), "stepi ran inc ecx");
        assertEquals(2, vm.reg("ecx"));
        assertEquals(0x100015, lastValue(out, "eip"), out);
        assertEquals(2, lastValue(out, "ecx"), out);
        assertTrue(vm.breakpoints().list().isEmpty(), "gdb removed its breakpoint");
    }

    @Test
    void watchRwatchAndAwatchStopAfterTheAccess_withTheValuesGdbExpects() throws Exception {
        Vm vm = GdbGuests.vm(GdbGuests.COUNTER);
        String out = gdb(vm, "watch *(int *)0x100030", "continue", "p/x $eip", "continue", "delete",
                "rwatch *(int *)0x100034", "continue", "p/x $eip", "delete",
                "awatch *(short *)0x100030", "continue", "p/x $eip");
        assertTrue(out.contains("Hardware watchpoint 1: *(int *)0x100030"), out);
        assertTrue(out.contains("Old value = 0\nNew value = 1"), out);
        assertTrue(out.contains("Old value = 1\nNew value = 2"), out);
        assertTrue(out.contains("$1 = 0x10001b"), "stopped after mov [counter], ecx: " + out);
        assertTrue(out.contains("Hardware read watchpoint 2: *(int *)0x100034\n\nValue = 5"), out);
        assertTrue(out.contains("$2 = 0x100021"), "stopped after mov edx, [limit]: " + out);
        assertTrue(out.contains("Hardware access (read/write) watchpoint 3: *(short *)0x100030"), out);
        assertTrue(out.contains("$3 = 0x10001b"), out);
        assertEquals(3, vm.reg("ecx"));
    }

    @Test
    void setChangesRegistersAndMemoryInTheVm() throws Exception {
        Vm vm = GdbGuests.vm(GdbGuests.COUNTER);
        String out = gdb(vm, "set $eax = 0x1234", "set $ebx = $eax + 1", "set {int}0x100034 = 2", "set $eip = 0x10000f",
                "continue");
        assertEquals(0x1203, vm.reg("eax"), "0x1234, then the guest's mov al, 3");
        assertEquals(0x1235, vm.reg("ebx"));
        assertEquals(2, vm.physical().read32(0x100034));
        assertEquals(2, vm.reg("ecx"), "the loop ends at the new limit");
        assertTrue(out.contains("exited with code 07"), out);
    }

    @Test
    void continueToPowerOffEndsTheInferiorWithQemusStatus_andShowsTheGuestsOutput() throws Exception {
        Vm vm = GdbGuests.vm(GdbGuests.COUNTER);
        String out = gdb(vm, "continue");
        assertTrue(out.contains("[Inferior 1 (Remote target) exited with code 07]"), out);
        assertTrue(out.contains("K"), out);
        assertTrue(out.contains("vwb: the guest powered off"), out);
    }

    @Test
    void ctrlCInGdbStopsARunningGuestWithSigint() throws Exception {
        Vm vm = GdbGuests.vm(GdbGuests.SPIN);
        try (Stub stub = new Stub(vm)) {
            Future<SessionEnd> session = stub.serve();
            Process gdb = RealGdb.start(stub.server.port(), "continue", "info registers eip");
            long deadline = System.currentTimeMillis() + 20_000;
            while (vm.time() < 1_000_000 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            new ProcessBuilder("kill", "-INT", Long.toString(gdb.pid())).start().waitFor();
            String out = RealGdb.output(gdb);
            assertEquals(SessionEnd.DETACHED, Stub.end(session), out);
            assertTrue(out.contains("Program received signal SIGINT"), out);
            long eip = RealGdb.register(out, "eip");
            assertTrue(eip == 0x100000 || eip == 0x100001, out);
            assertTrue(vm.time() > 1_000_000, "it ran: " + vm.time());
        }
    }

    /** The value in the last {@code info registers} line for {@code register}. */
    private static long lastValue(String out, String register) {
        Matcher m = Pattern.compile("(?m)^" + register + "\\s+0x([0-9a-f]+)").matcher(out);
        long v = -1;
        while (m.find()) {
            v = Long.parseLong(m.group(1), 16);
        }
        return v;
    }
}
