package dev.vwb.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Java in the session: JShell running in this JVM, vm bound, values through toString. */
class ScriptedJavaTest {
    @Test
    void expressionsPrintThroughTheObjectsToString() {
        Transcript t = Transcript.of("vm.step(3)", "vm.registers().eax()", "Long.toHexString(vm.reg(\"eax\"))");
        assertTrue(t.answer(0).startsWith("$1 ==> COMPLETED after 3 instructions (time 3)"), t.answer(0));
        assertEquals("$2 ==> 732803074\n", t.answer(1));
        assertEquals("$3 ==> \"2badb002\"\n", t.answer(2));
    }

    @Test
    void onlyTheLastTenResultsKeepTheirNames_unlessASnippetUsesThem() {
        String[] lines = new String[16];
        lines[0] = "1";
        lines[1] = "int y = $1 * 2";   // uses $1: it stays
        for (int i = 2; i < 14; i++) {
            lines[i] = String.valueOf(i);
        }
        lines[14] = "$1 + $13";
        lines[15] = "$2";
        Transcript t = Transcript.of(lines);
        assertEquals("y ==> 2\n", t.answer(1));
        assertEquals("$14 ==> 14\n", t.answer(14), "$1 kept (y uses it), $13 among the last ten");
        assertTrue(t.answer(15).startsWith("error: cannot find symbol"), "$2 was dropped: " + t.answer(15));
    }

    @Test
    void multiLineValuesStartOnTheirOwnLine() {
        Transcript t = Transcript.of("vm.registers()");
        assertTrue(t.answer(0).startsWith("$1 ==>\nEAX=2BADB002"), t.answer(0));
    }

    @Test
    void objectsStayLiveBetweenJavaAndCommands() {
        Transcript t = Transcript.of("var before = vm.time()", "si 5", "vm.time() - before", "Session.vm() == vm");
        assertEquals("before ==> 0\n", t.answer(0));
        assertEquals("$1 ==> 5\n", t.answer(2));
        assertEquals("$2 ==> true\n", t.answer(3));
    }

    @Test
    void lambdasWorkAsBreakpointPredicatesAndRunConditions() {
        Transcript t = Transcript.of("vm.runUntil(v -> v.reg(\"esp\") == 0x207000)", "vm.breakpoints().when(\"cli\", cpu -> cpu.eip() == 0x100524)",
                "c");
        assertTrue(t.answer(0).startsWith("$1 ==> CONDITION_MET after 3 instructions"), t.answer(0));
        assertTrue(t.answer(2).startsWith("BREAKPOINT"), t.answer(2));
    }

    @Test
    void redefinitionsBehavePredictablyAndSaySo() {
        Transcript t = Transcript.of("int x = 5", "int x = 6", "String x = \"a\"", "x",
                "int twice(int n) { return 2 * n; }", "int twice(int n) { return n + n + 1; }", "twice(2)",
                "class Box { int v = 1; }", "var box = new Box()", "class Box { int v = 2; }", "box.v");
        assertEquals("x ==> 5\n", t.answer(0));
        assertEquals("x ==> 6\nmodified variable x : int\n", t.answer(1));
        assertEquals("x ==> \"a\"\nreplaced variable x : String (was int)\n", t.answer(2));
        assertEquals("x ==> \"a\"\n", t.answer(3));
        assertEquals("created method twice(int)\n", t.answer(4));
        assertEquals("modified method twice(int)\n", t.answer(5));
        assertEquals("$1 ==> 5\n", t.answer(6));
        assertEquals("created class Box\n", t.answer(7));
        assertTrue(t.answer(9).startsWith("replaced class Box (objects made before keep the old class)"), t.answer(9));
    }

    @Test
    void aMethodUsingSomethingUndeclaredSaysWhatItWaitsFor() {
        Transcript t = Transcript.of("int f() { return later * 2; }", "f()", "int later = 21", "f()");
        assertEquals("created method f(); it cannot be used until variable later is declared\n", t.answer(0));
        assertTrue(t.answer(1).startsWith("error: method f() cannot be used until variable later is declared"), t.answer(1));
        assertEquals("$2 ==> 42\n", t.answer(3));
    }

    @Test
    void exceptionsAndCompileErrorsAreShortAndTheSessionGoesOn() {
        Transcript t = Transcript.of("vm.step(0)", "throw new IllegalStateException(\"boom\")", "nosuch + 1", "int y = ;",
                "vm.time()");
        assertEquals("error: WorkbenchException: step takes a positive number of instructions, not 0\n", t.answer(0));
        assertEquals("error: IllegalStateException: boom\n", t.answer(1));
        assertEquals("error: cannot find symbol: variable nosuch\n    nosuch + 1\n    ^----^\n", t.answer(2));
        assertTrue(t.answer(3).startsWith("error: illegal start of expression"), t.answer(3));
        assertEquals("$2 ==> 0\n", t.answer(4));
    }

    @Test
    void incompleteSnippetsTakeMoreLines() {
        Transcript t = Transcript.of("for (int i = 0; i < 3; i++) {", "  System.out.println(\"line \" + i);", "}", "vm.time()");
        assertEquals(PlainFrontEnd.MORE + PlainFrontEnd.MORE + "line 0\nline 1\nline 2\n", t.answer(0));
        assertEquals("$1 ==> 0\n", t.answer(1));
    }

    @Test
    void severalSnippetsOnOneLineRunInTurn() {
        Transcript t = Transcript.of("int a = 1; int b = a + 1; a + b");
        assertEquals("a ==> 1\nb ==> 2\n$1 ==> 3\n", t.answer(0));
    }

    @Test
    void assigningAnotherVmToVmMovesTheCommands() {
        Transcript t = Transcript.of("vm = Workbench.bundled(\"demo\")", "si", "(c)", "int c = 3", "(c)");
        assertTrue(t.answer(0).contains("the commands now work on this vm"), t.answer(0));
        assertTrue(t.answer(1).contains("at F000:"), t.answer(1));
        assertTrue(t.answer(2).startsWith("error: cannot find symbol: variable c"), t.answer(2));
        assertEquals("$1 ==> 3\n", t.answer(4));
    }
}
