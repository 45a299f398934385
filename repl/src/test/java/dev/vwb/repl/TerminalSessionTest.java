package dev.vwb.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The REPL in a pseudo-terminal (tmux), as a user types at it: the JLine front end's editing,
 * history, completion, multi-line input, colours and Ctrl-C. Skipped when tmux is not installed
 * ({@code ./vwb test} installs it as root).
 */
class TerminalSessionTest {
    private static final Duration START = Duration.ofSeconds(30);
    private static final Duration ANSWER = Duration.ofSeconds(20);
    private static final String PROMPT = "vwb> ";

    private Path history;
    private final List<Tmux> terminals = new ArrayList<>();

    @BeforeAll
    static void needsTmux() {
        Assumptions.assumeTrue(Tmux.installed(), "tmux is not installed (apt-get install -y tmux)");
    }

    @BeforeEach
    void historyOfItsOwn() throws IOException {
        history = Files.createTempFile("vwb-history", "");
    }

    @AfterEach
    void closeTerminals() throws Exception {
        for (Tmux t : terminals) {
            t.close();
        }
        Files.deleteIfExists(history);
    }

    /** The REPL in a new terminal, its prompt shown. */
    private Tmux repl() throws Exception {
        List<String> cmd = ReplProcess.command();
        cmd.add(1, "-Dvwb.history=" + history);
        Tmux t = Tmux.run(cmd, 160, 50);
        terminals.add(t);
        t.waitFor(PROMPT.strip(), START);   // the screen drops the space at the end of a line
        return t;
    }

    @Test
    void thePromptComesUpWithTheHintAndCommandsAnswerAtOnce() throws Exception {
        Tmux t = repl();
        assertTrue(t.screen().contains("teachkernel under the hypervisor (patch mode) is loaded as vm"), t.screen());
        t.type("si");
        t.press("Enter");
        t.waitFor("=> 00100021  FC                cld", ANSWER);
    }

    @Test
    void changedRegistersAndTheCurrentInstructionAreHighlighted() throws Exception {
        Tmux t = repl();
        t.type("si 3");
        t.press("Enter");
        t.waitFor("=> 00100027", ANSWER);
        String colours = t.screenWithColours();
        String changed = colours.substring(0, colours.indexOf("ESP=00207000"));
        assertTrue(changed.substring(changed.lastIndexOf("changed:")).contains("\u001B["), colours);
        String current = colours.substring(0, colours.indexOf("=> 00100027"));
        assertTrue(current.endsWith("m"), "an escape sequence just before the current instruction:\n" + colours);
        assertFalse(t.screen().contains("\u001B"));
    }

    @Test
    void lineEditingChangesTheLineBeforeItIsRun() throws Exception {
        Tmux t = repl();
        t.type("s 3");
        t.press("Left", "Left");
        t.type("i");
        t.press("Enter");
        t.waitFor("COMPLETED after 3 instructions", ANSWER);
        t.type("2");
        t.press("C-a");
        t.type("si ");
        t.press("Enter");
        t.waitFor("COMPLETED after 2 instructions (time 5)", ANSWER);
    }

    @Test
    void historyIsKeptFromOneSessionToTheNext() throws Exception {
        Tmux first = repl();
        first.type("si 4");
        first.press("Enter");
        first.waitForCount(PROMPT.strip(), 2, ANSWER);   // Ctrl-D is end of input only at the prompt
        first.press("C-d");
        waitUntilEnded(first);
        assertTrue(Files.readString(history).contains("si 4"), Files.readString(history));

        Tmux second = repl();
        second.press("Up");
        second.waitFor(PROMPT + "si 4", ANSWER);
        second.press("Enter");
        second.waitFor("COMPLETED after 4 instructions (time 4)", ANSWER);
    }

    @Test
    void tabCompletesJavaFromJShell() throws Exception {
        Tmux t = repl();
        t.type("vm.regis");
        t.press("Tab");
        t.waitFor(PROMPT + "vm.registers()", ANSWER);
        t.press("Enter");
        t.waitFor("$1 ==>", ANSWER);
    }

    @Test
    void tabCompletesCommandsAndTheirArguments() throws Exception {
        Tmux t = repl();
        t.type("disa");
        t.press("Tab");
        t.waitFor(PROMPT + "disas", ANSWER);
        t.press("C-u");
        t.type("b uart_i");
        t.press("Tab");
        t.waitFor(PROMPT + "b uart_init", ANSWER);
        t.press("Enter");
        t.waitFor("breakpoint 1:", ANSWER);
        t.type("load teachkernel-");
        t.press("Tab");
        t.waitFor(PROMPT + "load teachkernel-pv", ANSWER);
    }

    @Test
    void incompleteJavaContinuesOnTheNextLine() throws Exception {
        Tmux t = repl();
        t.type("int sq(int n) {");
        t.press("Enter");
        t.waitFor("...>", ANSWER);
        t.type("return n * n; }");
        t.press("Enter");
        t.waitFor("created method sq(int)", ANSWER);
        t.type("sq(7)");
        t.press("Enter");
        t.waitFor("$1 ==> 49", ANSWER);
    }

    @Test
    void ctrlCStopsARunningGuestAndTheSessionGoesOn() throws Exception {
        Tmux t = repl();
        t.type("vm = Workbench.assemble(\"org 0\\nl: inc eax\\njmp l\\n\")");
        t.press("Enter");
        t.waitFor("the commands now work on this vm", ANSWER);
        t.type("c");
        t.press("Enter");
        Thread.sleep(1500);
        t.press("C-c");
        t.waitFor("stopped by Ctrl-C", ANSWER);
        assertTrue(t.screen().contains("STOPPED after "), t.screen());
        t.type("regs");
        t.press("Enter");
        t.waitFor("changed by the last step or run: EAX", ANSWER);
    }

    @Test
    void ctrlCAtThePromptDropsTheLineAndCtrlDLeaves() throws Exception {
        Tmux t = repl();
        t.type("this line is dropped");
        t.press("C-c");
        t.waitForCount(PROMPT.strip(), 2, ANSWER);
        assertEquals(PROMPT.strip(), t.lastLine().strip(), t.screen());
        t.press("C-d");
        waitUntilEnded(t);
    }

    private static void waitUntilEnded(Tmux t) throws InterruptedException {
        long deadline = System.nanoTime() + ANSWER.toNanos();
        while (t.running()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the REPL did not end");
            }
            Thread.sleep(50);
        }
    }
}
