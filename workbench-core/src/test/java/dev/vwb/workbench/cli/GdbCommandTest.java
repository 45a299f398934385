package dev.vwb.workbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vwb.workbench.Workbench;
import dev.vwb.workbench.gdb.RealGdb;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code vwb gdb} as a user runs it: the command in one thread, the real gdb attached to it. */
class GdbCommandTest {
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ExecutorService thread = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        thread.shutdownNow();
    }

    /** Starts {@code vwb gdb ARGS} and returns its status once it ends; {@link #port()} says where it listens. */
    private Future<Integer> vwbGdb(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "gdb";
        System.arraycopy(args, 0, all, 1, args.length);
        return thread.submit(() -> Main.dispatch(all, new PrintStream(stdout, true, StandardCharsets.UTF_8)));
    }

    private String out() {
        return stdout.toString(StandardCharsets.UTF_8);
    }

    /** The port from the line the command prints, waiting for it. */
    private int port() throws InterruptedException {
        Pattern p = Pattern.compile("attach with: gdb -ex 'target remote 127\\.0\\.0\\.1:(\\d+)'");
        for (int i = 0; i < 600; i++) {
            Matcher m = p.matcher(out());
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no attach line: " + out());
    }

    @Test
    void theDemoRomWaitsForGdb_stopsAtABreakpointInProtectedMode_andTheCommandEndsWhenGdbDetaches() throws Exception {
        RealGdb.assumeInstalled();
        Future<Integer> status = vwbGdb("--port", "0", "demo");
        String gdb = RealGdb.run(port(), "info registers eip cs", "break *0xf1000", "continue", "info registers eip cs cr0");
        assertEquals(0, status.get(30, TimeUnit.SECONDS));
        assertTrue(out().startsWith("vwb gdb: demo waits for gdb on 127.0.0.1:"), out());
        assertTrue(out().contains("gdb detached"), out());
        assertTrue(gdb.contains("0x0000fff0 in ?? ()"), "real mode, at F000:FFF0: " + gdb);
        assertTrue(gdb.contains("[real mode] Hello!"), "the guest's console output: " + gdb);
        assertTrue(gdb.contains("Breakpoint 1, 0x000f1000 in ?? ()"), gdb);
        assertEquals(0xF1000, RealGdb.register(gdb.substring(gdb.indexOf("Breakpoint 1,")), "eip"), gdb);
        assertEquals(8, RealGdb.register(gdb.substring(gdb.indexOf("Breakpoint 1,")), "cs"), gdb);
        assertTrue(gdb.contains("[ PE ET"), "CR0.PE set: " + gdb);
    }

    @Test
    void aKernelUnderTheHypervisorShowsTheDeprivilegedCpuToGdb() throws Exception {
        RealGdb.assumeInstalled();
        long pagingInit = Workbench.fromBundled("teachkernel").build().symbols().address("paging_init");
        Future<Integer> status = vwbGdb("--port", "0", "--hv=trap", "teachkernel");
        String gdb = RealGdb.run(port(), String.format("break *0x%x", pagingInit), "continue", "info registers eip cs",
                "stepi", "detach");
        assertEquals(0, status.get(30, TimeUnit.SECONDS));
        String atBreak = gdb.substring(gdb.indexOf("Breakpoint 1,"));
        assertEquals(pagingInit, RealGdb.register(atBreak, "eip"), gdb);
        assertEquals(1, RealGdb.register(atBreak, "cs") & 3, "the guest kernel runs at ring 1: " + gdb);
    }

    @Test
    void aMultibootElfKernelIsDebuggedWithItsSymbols() throws Exception {
        RealGdb.assumeInstalled();
        java.nio.file.Path elf = java.nio.file.Files.createTempFile("vwb-gdb-kernel", ".elf");
        try {
            java.nio.file.Files.write(elf, TinyElf.of("""
                    start:
                        mov al, 'H'
                        out 0xE9, al
                        mov ecx, 7
                    second:
                        inc ecx
                        mov al, 3
                        out 0xF4, al
                        hlt
                    """).file());
            Future<Integer> status = vwbGdb("--port", "0", elf.toString());
            String gdb = RealGdb.output(RealGdb.start(elf, port(), "break second", "continue", "info registers ecx",
                    "info symbol $pc", "stepi", "x/i $pc", "continue"));
            assertEquals(0, status.get(30, TimeUnit.SECONDS));
            assertTrue(gdb.contains("Breakpoint 1, 0x"), gdb);
            assertTrue(gdb.contains(" in second ()"), gdb);
            assertTrue(gdb.contains("second in section .text"), gdb);
            assertEquals(7, RealGdb.register(gdb, "ecx"), gdb);
            assertTrue(gdb.contains("<second+1>:\tmov    $0x3,%al"), gdb);
            assertTrue(gdb.contains("exited with code 07"), gdb);
            assertTrue(out().contains("the guest ended and gdb left"), out());
        } finally {
            java.nio.file.Files.delete(elf);
        }
    }

    @Test
    void helpNamesTheOptionsAndTheBundledGuests() throws Exception {
        assertEquals(0, Main.dispatch(new String[] {"gdb", "--help"}, new PrintStream(stdout, true, StandardCharsets.UTF_8)));
        for (String s : new String[] {"--port N", "--bind ADDR", "--hv[=MODE]", "target remote 127.0.0.1:1234", "demo", "teachkernel"}) {
            assertTrue(out().contains(s), s + " in\n" + out());
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        Main.dispatch(new String[] {"--help"}, new PrintStream(all, true, StandardCharsets.UTF_8));
        assertTrue(all.toString(StandardCharsets.UTF_8).contains("gdb "), "listed in ./vwb --help");
    }

    @Test
    void badArgumentsAreOneLineErrors() {
        PrintStream out = new PrintStream(stdout, true, StandardCharsets.UTF_8);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Main.dispatch(new String[] {"gdb"}, out))
                .getMessage().contains("which guest?"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Main.dispatch(new String[] {"gdb", "nosuch"}, out))
                .getMessage().contains("neither a bundled guest"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Main.dispatch(new String[] {"gdb", "--port", "70000", "demo"}, out))
                .getMessage().contains("--port takes a number"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Main.dispatch(new String[] {"gdb", "--bind", "no.such.host.invalid", "demo"}, out))
                .getMessage().contains("--bind"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Main.dispatch(new String[] {"gdb", "--hv", "demo"}, out))
                .getMessage().startsWith("gdb: "), "the demo ROM starts in real mode: no hypervisor");
    }

    @Test
    void aPortInUseIsAOneLineError() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Main.dispatch(
                    new String[] {"gdb", "--port", Integer.toString(taken.getLocalPort()), "demo"},
                    new PrintStream(stdout, true, StandardCharsets.UTF_8)));
            assertTrue(e.getMessage().contains("cannot listen for gdb on 127.0.0.1:" + taken.getLocalPort()), e.getMessage());
        }
    }
}
