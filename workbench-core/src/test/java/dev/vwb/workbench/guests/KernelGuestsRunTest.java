package dev.vwb.workbench.guests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vwb.machine.Machine;
import dev.vwb.machine.RunResult;
import dev.vwb.machine.StopReason;
import dev.vwb.machine.bench.QemuRunner;
import dev.vwb.machine.loader.KernelFormatException;
import dev.vwb.machine.loader.MultibootLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The guest kernels run: on the bare vwb machine their COM1 output is the golden file beside this
 * class ({@code NAME.output}), under {@code qemu-system-i386 -kernel} it is the same bytes with the
 * same exit status, and the bare output shows that what each kernel is about really happened.
 * The paravirtual guests cannot run bare; the hypervisor's tests run them. The attack guests of
 * lesson 8 run bare too, where nothing stops them: their golden files pin what bare hardware
 * lets them do, and QEMU agrees where its PC is vwb's (the hypervisor's IsolationTest contains them).
 */
class KernelGuestsRunTest {
    private static final int MEMORY_MIB = 16;
    /** "Well under a second" of the 100-MIPS virtual machine; the kernels need well under 1 M. */
    private static final long MOST_INSTRUCTIONS = 5_000_000;
    /** The exit device's status for the value 0, as QEMU reports it: (0 << 1) | 1. */
    private static final int EXIT_ZERO = 1;

    /** Lines each kernel must print, so that two empty outputs cannot pass for equal ones. */
    private static final Map<String, List<String>> KEY_LINES = Map.of(
            "teachkernel", List.of(
                    "A1: 40001000 holds 'A'; sum of k^1 for k=1..1 = 1",
                    "B5: 40001000 holds 'B'; sum of k^2 for k=1..5 = 55",
                    "teachkernel: the timer preempted a task: yes"),
            "popf", List.of(
                    "popf set IF: yes",
                    "interrupt taken after popf: yes",
                    "popf cleared IF: yes",
                    "interrupts held off after popf: yes"),
            "sensitive", List.of(
                    "mov from cs: 0008 (set up: 0008) matches",
                    "sensitive: 0 of 15 observations differ from what the kernel set up"),
            "compute", List.of(
                    "compute: 00000064 iterations",
                    "checksum F8DE1903"),
            "exits", List.of(
                    "exits: 000003E8 cli/sti pairs, 000003E8 writes to port 80h"));

    /** What a run on the bare machine left. */
    record BareRun(RunResult result, String output, int exitStatus) {
        static BareRun of(String name) {
            return of(KernelGuests.image(name));
        }

        static BareRun of(byte[] kernel) {
            Machine machine = Machine.builder().ramMiB(MEMORY_MIB).build();
            try {
                MultibootLoader.load(machine, kernel);
            } catch (KernelFormatException e) {
                throw new AssertionError("vwb's loader refused the kernel: " + e.getMessage(), e);
            }
            RunResult result = machine.run(MOST_INSTRUCTIONS);
            return new BareRun(result, machine.com1().transmitted(), machine.exitDevice().exitStatus() & 0xFF);
        }
    }

    /** How each attack's bare run ends, nothing stopping it: at the exit device, the budget (it spins) or a shutdown. */
    private static final Map<String, StopReason> ATTACK_ENDS = Map.of(
            "attack-outside", StopReason.EXIT_DEVICE,
            "attack-window", StopReason.EXIT_DEVICE,
            "attack-stale", StopReason.EXIT_DEVICE,
            "attack-ports", StopReason.EXIT_DEVICE,
            "attack-flat", StopReason.EXIT_DEVICE,
            "attack-spin", StopReason.INSTRUCTION_LIMIT,
            "attack-triple", StopReason.SHUTDOWN);
    /**
     * The attacks QEMU runs as vwb does: not attack-ports (QEMU's PC has an IDE controller, a
     * CMOS and a PCI host bridge on the ports it reads, vwb none) nor attack-spin (it never ends).
     */
    private static final List<String> ATTACKS_ON_QEMU = List.of("attack-outside", "attack-window", "attack-stale",
            "attack-flat", "attack-triple");

    /** The guests that run bare and print the same bytes everywhere (not the attacks). */
    static List<String> guests() {
        return KernelGuests.names().stream().filter(KernelGuests::bareMetal).filter(n -> !KernelGuests.attack(n)).toList();
    }

    static List<String> attacks() {
        return KernelGuests.names().stream().filter(KernelGuests::attack).toList();
    }

    @ParameterizedTest
    @MethodSource("guests")
    void onTheBareMachineEachPrintsItsGoldenOutputAndExitsWithZero(String name) throws IOException {
        BareRun run = BareRun.of(name);
        assertEquals(StopReason.EXIT_DEVICE, run.result().reason(), () -> run.result() + "\n" + run.output());
        assertEquals(golden(name), run.output(), name + ".output");
        assertEquals(EXIT_ZERO, run.exitStatus());
        for (String line : KEY_LINES.get(name)) {
            assertTrue(run.output().lines().anyMatch(line::equals), () -> "missing: " + line + "\n" + run.output());
        }
    }

    /**
     * Each guest on QEMU's "pc" (the 8259A reaches the CPU through the local APIC, which QEMU's
     * firmware leaves in virtual-wire mode) and "isapc" (the 8259A drives INTR, as on vwb).
     */
    static Stream<Arguments> guestsAndQemuMachines() {
        return guests().stream().flatMap(name -> Stream.of(Arguments.of(name, "pc"), Arguments.of(name, "isapc")));
    }

    @ParameterizedTest(name = "{0} on qemu -M {1}")
    @MethodSource("guestsAndQemuMachines")
    void underQemuEachPrintsTheSameBytesAndExitsTheSame(String name, String machineType) throws Exception {
        Assumptions.assumeTrue(QemuRunner.available(), "qemu-system-i386 is not installed: " + QemuRunner.INSTALL_HINT);
        BareRun vwb = BareRun.of(name);
        QemuRunner.Result qemu = new QemuRunner(MEMORY_MIB, Duration.ofMinutes(2), machineType).runKernel(KernelGuests.image(name));

        assertEquals(qemu.serialOutput(), vwb.output(), "COM1 output (QEMU said: " + qemu.messages() + ")");
        assertEquals(qemu.exitStatus(), vwb.exitStatus(), "exit status (QEMU said: " + qemu.messages() + ")");
        assertEquals(EXIT_ZERO, qemu.exitStatus());
        for (String line : KEY_LINES.get(name)) {
            assertTrue(qemu.serialOutput().lines().anyMatch(line::equals), () -> "missing: " + line + "\n" + qemu.serialOutput());
        }
    }

    @ParameterizedTest
    @MethodSource("attacks")
    void onTheBareMachineEachAttackPrintsItsGoldenOutput_andEndsAsNothingStoppedIt(String name) throws IOException {
        BareRun run = BareRun.of(name);
        assertEquals(ATTACK_ENDS.get(name), run.result().reason(), () -> run.result() + "\n" + run.output());
        assertEquals(golden(name), run.output(), name + ".output");
        if (run.result().reason() == StopReason.EXIT_DEVICE) {
            assertEquals(EXIT_ZERO, run.exitStatus());
        }
    }

    static Stream<Arguments> attacksAndQemuMachines() {
        return ATTACKS_ON_QEMU.stream().flatMap(name -> Stream.of(Arguments.of(name, "pc"), Arguments.of(name, "isapc")));
    }

    @ParameterizedTest(name = "{0} on qemu -M {1}")
    @MethodSource("attacksAndQemuMachines")
    void underQemuTheAttacksPrintWhatTheyPrintOnTheBareMachine(String name, String machineType) throws Exception {
        Assumptions.assumeTrue(QemuRunner.available(), "qemu-system-i386 is not installed: " + QemuRunner.INSTALL_HINT);
        BareRun vwb = BareRun.of(name);
        QemuRunner.Result qemu = new QemuRunner(MEMORY_MIB, Duration.ofMinutes(2), machineType).runKernel(KernelGuests.image(name));

        assertEquals(qemu.serialOutput(), vwb.output(), "COM1 output (QEMU said: " + qemu.messages() + ")");
        // The exit device's 0, or (attack-triple) the shutdown QEMU ends with under -no-reboot: status 0.
        assertEquals(vwb.result().reason() == StopReason.SHUTDOWN ? 0 : EXIT_ZERO, qemu.exitStatus(), qemu.messages());
    }

    @Test
    void teachkernel_theTwoTasksTakeStrictTurns_eachSeeingItsOwnFrameAtTheSameVirtualAddress() {
        String output = BareRun.of("teachkernel").output();
        Pattern taskLine = Pattern.compile("([AB])(\\d): 40001000 holds '([AB])'; sum of k\\^(\\d) for k=1\\.\\.(\\d) = (\\d+)");
        StringBuilder order = new StringBuilder();
        for (String line : output.lines().toList()) {
            Matcher m = taskLine.matcher(line);
            if (m.matches()) {
                assertEquals(m.group(1), m.group(3), () -> "a task read another's page at 40001000: " + line);
                assertEquals(m.group(2), m.group(5), line);
                order.append(m.group(1)).append(m.group(2)).append(' ');
            }
        }
        assertEquals("A1 B1 A2 B2 A3 B3 A4 B4 A5 B5 ", order.toString(), output);
        // The same virtual pages, different frames (but the shared one).
        assertTrue(output.contains("task A: 40000000-40003FFF -> 00400000 00401000 00402000 00406000\n"), output);
        assertTrue(output.contains("task B: 40000000-40003FFF -> 00403000 00404000 00405000 00406000\n"), output);
        assertTrue(output.contains("task A exit status: 15\n"), output);
        assertTrue(output.contains("task B exit status: 55\n"), output);
        assertTrue(output.contains("the timer preempted a task: yes\n"), output);
    }

    @Test
    void popf_onBareHardwareEveryAnswerIsYes() {
        String output = BareRun.of("popf").output();
        List<String> answers = output.lines().filter(l -> l.endsWith(": yes") || l.endsWith(": no")).toList();
        assertEquals(7, answers.size(), output);
        assertTrue(answers.stream().allMatch(l -> l.endsWith(": yes")), output);
    }

    @Test
    void sensitive_onBareHardwareEveryInstructionShowsWhatTheKernelSetUp() {
        String output = BareRun.of("sensitive").output();
        List<String> observations = output.lines().filter(l -> l.endsWith(" matches") || l.endsWith(" differs")).toList();
        assertEquals(15, observations.size(), output);
        assertTrue(observations.stream().allMatch(l -> l.endsWith(" matches")), output);
        assertTrue(output.contains("smsw bits: PE=1 MP=1 EM=0 TS=1 ET=1\n"), output);
        assertTrue(output.contains("pushf iopl: 3 (set up: 3) matches\n"), output);
        assertTrue(output.contains("lar cs: 00C09B00 (set up: 00C09B00) matches\n"), output);
    }

    private static String golden(String name) throws IOException {
        try (InputStream in = KernelGuestsRunTest.class.getResourceAsStream(name + ".output")) {
            assertTrue(in != null, "no golden file " + name + ".output in src/test/resources/dev/vwb/workbench/guests");
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
