package dev.vwb.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The short commands, driven through the plain front end as a script or pipe drives them. */
class ScriptedCommandsTest {
    @Test
    void theSessionStartsWithTwoLinesOfHintAndTheTeachingKernelUnderTheHypervisor() {
        Transcript t = Transcript.of("quit");
        assertEquals(2, t.hint().lines().count(), t.hint());
        assertTrue(t.hint().contains("teachkernel under the hypervisor (patch mode) is loaded as vm"), t.hint());
        assertTrue(t.hint().contains("help"), t.hint());
    }

    @Test
    void siStepsAndShowsTheChangedRegistersAndTheNextInstruction() {
        Transcript t = Transcript.of("si", "si 2");
        assertTrue(t.answer(0).startsWith("COMPLETED after 1 instructions (time 1), at 0011:00100021"), t.answer(0));
        assertTrue(t.answer(0).contains("changed: EIP=00100021"), t.answer(0));
        assertTrue(t.answer(0).contains("=> 00100021  FC                cld"), t.answer(0));
        assertTrue(t.answer(1).contains("changed: ESP=00207000 EIP=00100027"), t.answer(1));
    }

    @Test
    void breakpointsStopContinueAndCountTheirHits() {
        Transcript t = Transcript.of("b uart_init", "c", "info b", "d 1", "c", "info b");
        assertTrue(t.answer(0).startsWith("breakpoint 1: "), t.answer(0));
        assertTrue(t.answer(1).startsWith("BREAKPOINT after 4 instructions"), t.answer(1));
        assertTrue(t.answer(1).contains("<uart_init>"), t.answer(1));
        assertTrue(t.answer(2).contains("1 hit"), t.answer(2));
        assertEquals("deleted breakpoint 1\n", t.answer(3));
        assertTrue(t.answer(4).contains("teachkernel: the timer preempted a task: yes"), t.answer(4));
        assertTrue(t.answer(4).contains("EXITED after"), t.answer(4));
        assertEquals("no breakpoints\n", t.answer(5));
    }

    @Test
    void breakpointsTakeAddressesAndDeleteAll() {
        Transcript t = Transcript.of("b 100027", "b entry+1", "c", "d all", "info b");
        assertTrue(t.answer(2).contains("BREAKPOINT after 1 instructions"), t.answer(2));
        assertEquals("deleted every breakpoint\n", t.answer(3));
        assertEquals("no breakpoints\n", t.answer(4));
    }

    @Test
    void regsShowsEveryRegisterAndNamesThoseTheLastStepChanged() {
        Transcript t = Transcript.of("si 3", "regs");
        assertTrue(t.answer(1).startsWith("EAX=2BADB002 EBX="), t.answer(1));
        assertTrue(t.answer(1).contains("CPL=1 protected mode"), t.answer(1));
        assertTrue(t.answer(1).contains("changed by the last step or run: ESP EIP"), t.answer(1));
    }

    @Test
    void examineAndDisassembleReadGuestMemory() {
        Transcript t = Transcript.of("x/16xb entry", "x/2i pc", "disas", "disas uart_init 2", "x/s 100cdd");
        assertTrue(t.answer(0).startsWith("00100020  FA FC BC 00 70 20 00 E8"), t.answer(0));
        assertTrue(t.answer(1).contains("=> 00100020  FA                cli"), t.answer(1));
        assertTrue(t.answer(2).contains("<entry>:") && t.answer(2).contains("=> 00100020"), t.answer(2));
        assertEquals(3, t.answer(3).lines().count(), t.answer(3));
        assertTrue(t.answer(4).startsWith("00100CDD: \"teachkernel: hello from 1 MiB\\n\""), t.answer(4));
    }

    @Test
    void ptShowsTheGuestWalkTheP2mAndTheShadowWalkSideBySide() {
        Transcript t = Transcript.of("b idle", "c", "pt 40001000", "pt pc");
        assertTrue(t.answer(2).contains("guest walk:  CR3"), t.answer(2));
        assertTrue(t.answer(2).contains("PDE[256]"), t.answer(2));  // the idle kernel's tables: no task there
        assertTrue(t.answer(2).contains("not mapped"), t.answer(2));
        assertTrue(t.answer(3).contains("p2m:         guest-physical"), t.answer(3));
        assertTrue(t.answer(3).contains("shadow walk: CR3"), t.answer(3));
        assertTrue(t.answer(3).contains("host "), t.answer(3));
    }

    @Test
    void gdbserveWithABadPortIsAOneLineError() {
        Transcript t = Transcript.of("gdbserve lots", "si");
        assertTrue(t.answer(0).contains("gdbserve: a port is a number from 0 to 65535, not 'lots'"), t.answer(0));
        assertTrue(t.answer(1).startsWith("COMPLETED"), t.answer(1));
    }

    @Test
    void exitsShowTheTableAndTheLastExits() {
        Transcript t = Transcript.of("c", "exits");
        assertTrue(t.answer(1).startsWith("exit reason"), t.answer(1));
        assertTrue(t.answer(1).contains("port I/O"), t.answer(1));
        assertTrue(t.answer(1).contains("the last 8 exits:"), t.answer(1));
        assertTrue(t.answer(1).contains("out 0xf4,eax"), t.answer(1));
    }

    @Test
    void aBareGuestHasNoExitsToShow() {
        Transcript t = Transcript.of(new GuestSpec("teachkernel", true), "exits");
        assertTrue(t.hint().contains("teachkernel, bare is loaded as vm"), t.hint());
        assertTrue(t.answer(0).contains("there are no VM exits"), t.answer(0));
    }

    @Test
    void traceRecordsInstructionsAndShowsTheLastOnes() {
        Transcript t = Transcript.of("trace show", "trace on", "si 5", "trace show 2", "trace off");
        assertTrue(t.answer(0).startsWith("nothing recorded"), t.answer(0));
        assertTrue(t.answer(1).startsWith("tracing on"), t.answer(1));
        assertEquals(2, t.answer(3).lines().count(), t.answer(3));
        assertTrue(t.answer(3).contains("call"), t.answer(3));
        assertTrue(t.answer(4).startsWith("tracing off"), t.answer(4));
    }

    @Test
    void snapshotsRestoreAndBackStepsBackInTime() {
        Transcript t = Transcript.of("si 10", "snap", "si 100", "restore", "vm.time()", "si 5", "back 3", "vm.time()",
                "reset", "vm.time()", "back 1");
        assertTrue(t.answer(1).startsWith("snapshot 1: snapshot of teachkernel at instruction 10"), t.answer(1));
        assertTrue(t.answer(3).startsWith("restored snapshot 1"), t.answer(3));
        assertEquals("$1 ==> 10\n", t.answer(4));
        assertTrue(t.answer(6).startsWith("COMPLETED after -3 instructions (time 12)"), t.answer(6));
        assertEquals("$2 ==> 12\n", t.answer(7));
        assertEquals("$3 ==> 0\n", t.answer(9));
        assertTrue(t.answer(10).startsWith("error: cannot step back 1 instructions"), t.answer(10));
    }

    @Test
    void loadReplacesTheGuestAndJavaFollows() {
        Transcript t = Transcript.of("load demo", "vm.where()", "si", "load teachkernel --bare", "vm.virtualized()");
        assertTrue(t.answer(0).contains("demo is a BIOS image that starts in real mode: it runs bare"), t.answer(0));
        assertTrue(t.answer(1).contains("F000:0000FFF0"), t.answer(1));
        assertTrue(t.answer(2).startsWith("COMPLETED after 1 instructions"), t.answer(2));
        assertEquals("$2 ==> false\n", t.answer(4));
    }

    @Test
    void loadTakesAKernelFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path kernel = java.nio.file.Files.write(dir.resolve("popf.bin"),
                dev.vwb.workbench.guests.KernelGuests.image("popf"));
        Transcript t = Transcript.of("load " + kernel, "c", "vm.exits().total() > 0");
        assertTrue(t.answer(0).contains("popf.bin (Multiboot kernel"), t.answer(0));
        assertTrue(t.answer(0).contains("under the hypervisor (patch mode"), t.answer(0));
        assertTrue(t.answer(1).contains("EXITED after"), t.answer(1));
        assertEquals("$1 ==> true\n", t.answer(2));
    }

    @Test
    void badInputIsOneLineErrorAndTheSessionGoesOn() {
        Transcript t = Transcript.of("b nosuchsymbol", "x/4q 0", "si 0", "load nosuchguest", "d 9", "restore",
                "info z", "trace sideways", "back 100", "si");
        for (int i = 0; i < 9; i++) {
            assertTrue(t.answer(i).startsWith("error: "), i + ": " + t.answer(i));
            assertEquals(1, t.answer(i).lines().count(), i + ": " + t.answer(i));
        }
        assertTrue(t.answer(9).startsWith("COMPLETED after 1 instructions"), t.answer(9));
        assertFalse(t.output().contains("\tat "), t.output());
    }

    @Test
    void helpNamesEveryCommandAndExplainsOne() {
        Transcript t = Transcript.of("help", "help si", "help nosuch");
        for (String c : new String[] {"si [N]", "c ", "b ADDR|SYMBOL", "d N|all", "info b|r", "regs", "x/NFMT ADDR", "disas",
            "pt ", "exits", "trace on|off|show", "snap", "restore [N]", "back [N]", "load GUEST", "reset", "gdbserve", "quit"}) {
            assertTrue(t.answer(0).contains("  " + c), c + " in " + t.answer(0));
        }
        assertTrue(t.answer(1).startsWith("si [N]   (also stepi)"), t.answer(1));
        assertTrue(t.answer(2).startsWith("error: no command 'nosuch'"), t.answer(2));
    }

    @Test
    void quitAndTheEndOfInputEndTheSession() {
        Transcript t = Transcript.of("quit", "si");
        assertEquals("", t.answer(0));
        assertEquals(2, t.output().split(PlainFrontEnd.PROMPT, -1).length, t.output());
        Transcript eof = Transcript.of("si");
        assertTrue(eof.output().endsWith(PlainFrontEnd.PROMPT + "\n"), eof.output());
    }

    @Test
    void plainOutputHasNoEscapeCodes() {
        Transcript t = Transcript.of("si 3", "regs", "disas", "vm.registers()", "b entry+7", "nosuch", "c");
        assertFalse(t.output().contains("\u001B"), t.output());
    }
}
