package dev.vwb.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The launcher as a process whose stdin and stdout are pipes: plain output, status 0, Ctrl-C as a signal. */
class LauncherPipeTest {
    @Test
    void noArgumentsOpenTheReplOnTheTeachingKernelWithPlainOutput() throws Exception {
        try (ReplProcess repl = ReplProcess.start()) {
            String hint = repl.answer();
            assertTrue(hint.contains("teachkernel under the hypervisor (patch mode) is loaded as vm"), hint);
            repl.send("si 3");
            assertTrue(repl.answer().contains("changed: ESP=00207000 EIP=00100027"));
            repl.send("vm.exits().count(dev.vwb.workbench.hv.ExitReason.PRIVILEGED_INSTRUCTION)");  // the CLI
            assertEquals("$1 ==> 1\n", repl.answer());
            assertEquals(0, repl.finish());
            assertFalse(repl.output().contains("\u001B"), repl.output());
        }
    }

    @Test
    void replTakesAGuestAndBare() throws Exception {
        try (ReplProcess repl = ReplProcess.start("repl", "popf", "--bare")) {
            assertTrue(repl.answer().contains("popf, bare is loaded as vm"));
            repl.send("quit");
            assertEquals(0, repl.finish());
        }
    }

    @Test
    void anUnknownGuestIsOneLineAndStatusTwo() throws Exception {
        try (ReplProcess repl = ReplProcess.start("repl", "nosuchguest")) {
            assertEquals(2, repl.finish());
            assertTrue(repl.output().startsWith("vwb: no bundled guest or file named 'nosuchguest'"), repl.output());
            assertEquals(1, repl.output().lines().count(), repl.output());
        }
    }

    @Test
    void ctrlCStopsARunningGuestAtAnInstructionBoundaryAndTheSessionGoesOn() throws Exception {
        try (ReplProcess repl = ReplProcess.start("repl", "--plain")) {
            repl.answer();
            repl.send("vm = Workbench.assemble(\"org 0\\nl: inc eax\\njmp l\\n\")");
            repl.answer();
            repl.send("c");
            Thread.sleep(1500);
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(repl.pid())).start();
            assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
            String stopped = repl.answer();
            assertTrue(stopped.startsWith("STOPPED after "), stopped);
            assertTrue(stopped.contains("stopped by Ctrl-C"), stopped);
            repl.send("vm.time() > 1_000_000 && (vm.time() + 1) / 2 == vm.registers().eax()");   // inc, jmp, inc ...
            assertEquals("$1 ==> true\n", repl.answer());
            repl.send("while (true) { }");
            Thread.sleep(1500);
            new ProcessBuilder("kill", "-INT", Long.toString(repl.pid())).start().waitFor(10, TimeUnit.SECONDS);
            assertEquals("stopped by Ctrl-C\n", repl.answer());
            assertEquals(0, repl.finish());
        }
    }

    @Test
    void helpListsTheReplBesideTheOtherCommands() throws Exception {
        try (ReplProcess repl = ReplProcess.start("--help")) {
            assertEquals(0, repl.finish());
            assertTrue(repl.output().contains("  repl "), repl.output());
            assertTrue(repl.output().contains("  bench-repl "), repl.output());
            assertTrue(repl.output().contains("  demo "), repl.output());
        }
    }
}
