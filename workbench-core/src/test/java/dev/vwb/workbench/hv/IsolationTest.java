package dev.vwb.workbench.hv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vwb.machine.Machine;
import dev.vwb.machine.RunResult;
import dev.vwb.machine.StopReason;
import dev.vwb.machine.asm.Assembler;
import dev.vwb.machine.asm.Assembly;
import dev.vwb.machine.cpu.Cpu;
import dev.vwb.machine.cpu.Eflags;
import dev.vwb.machine.cpu.Vectors;
import dev.vwb.machine.loader.FlatBinaryLoader;
import dev.vwb.machine.loader.KernelFormatException;
import dev.vwb.machine.loader.MultibootLoader;
import dev.vwb.workbench.Outcome;
import dev.vwb.workbench.RunReport;
import dev.vwb.workbench.Vm;
import dev.vwb.workbench.Workbench;
import dev.vwb.workbench.guests.KernelGuests;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Lesson 8, "Isolation": each attack guest ({@code attack-*}, see its source's header) is
 * contained with the exit that names what it tried, and leaves the hypervisor as it found it:
 * the host memory that no guest action may change hashes the same before and after (below the
 * window, the window's page table, the hypervisor's TSS but for the ring-1 stack it copies from
 * the guest, the gap before the shadow pool), the tables the real CPU uses still give the guest
 * no ring 0 and no reach into the window, every real translation still ends in the guest's slice,
 * and no instruction ever ran at the real ring 0. A crashed guest ends with a report and the
 * next guest runs in the same JVM.
 */
class IsolationTest {
    private static final int MEMORY_MIB = 32;
    private static final long BUDGET = 5_000_000;
    private static final long GUEST_RAM = MEMORY_MIB << 20;
    private static final int PRESENT = 1;
    private static final int LARGE_PAGE = 1 << 7;  // PDE.PS

    /** One attack under the hypervisor: what it printed, how it ended, and the host before and after. */
    record Attack(RunResult result, String output, String report, Hypervisor hv, Map<String, String> before,
                  Map<String, String> after, long ringZeroRetired, List<Integer> portsOnTheHostBus) {
        List<VmExit.Contained> contained() {
            return hv.exits().recent().stream().filter(e -> e instanceof VmExit.Contained)
                    .map(e -> (VmExit.Contained) e).toList();
        }

        String exits() {
            return hv.exits().table() + hv.exits().last(5).stream().map(VmExit::describe).reduce("", (a, b) -> a + b + "\n");
        }
    }

    static Attack attack(String name, Hypervisor.Mode mode) {
        Machine staged = Machine.builder().ramMiB(MEMORY_MIB).build();
        try {
            MultibootLoader.load(staged, KernelGuests.image(name));
        } catch (KernelFormatException e) {
            throw new AssertionError(e);
        }
        Hypervisor hv = Hypervisor.boot(staged, mode);
        Machine host = hv.machine();
        Map<String, String> before = fingerprints(host);
        long[] ring0 = {0};
        List<Integer> ports = new ArrayList<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        host.com1().setSink(out::write);
        try (AutoCloseable r = host.cpu().addRetireListener((cpu, eip, length) -> ring0[0] += cpu.cpl() == 0 ? 1 : 0);
             AutoCloseable p = host.io().addListener((port, size, value, write) -> ports.add(port))) {
            RunResult result = host.run(BUDGET);
            String report = hv.afterRun(result);
            return new Attack(result, out.toString(StandardCharsets.ISO_8859_1), report, hv, before, fingerprints(host),
                    ring0[0], ports);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    // ---- what must not change, and what must still hold -----------------------------------------

    /** SHA-256 of each host region no guest action may change. */
    static Map<String, String> fingerprints(Machine host) {
        Map<String, String> m = new LinkedHashMap<>();
        int window = Hypervisor.WINDOW_HOST;
        m.put("host memory below the window", sha256(host.memory().read(0, window)));
        byte[] pt = host.memory().read(window + MonitorMemory.WINDOW_PT, 4096);
        for (int k = 0; k < pt.length; k += 4) {
            pt[k] &= (byte) ~0x60;  // A and D: the CPU sets them as it reaches the tables through the window
        }
        m.put("the window's page table", sha256(pt));
        byte[] tss = host.memory().read(window + MonitorMemory.TSS, 104);
        java.util.Arrays.fill(tss, 12, 20, (byte) 0);  // ESP1 and SS1: the guest kernel's stack, copied at each delivery
        m.put("the hypervisor's TSS", sha256(tss));
        m.put("host memory between the window and the shadow pool",
                sha256(host.memory().read(window + MonitorMemory.SIZE, Hypervisor.POOL_HOST - window - MonitorMemory.SIZE)));
        return m;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Everything the hypervisor owns is as an untouched hypervisor leaves it. */
    static void assertHypervisorIntact(Attack a) {
        assertEquals(a.before(), a.after(), "host memory the guest must not change");
        // The one instruction the hypervisor itself runs at ring 0 is a task switch, in the guest's view.
        long switches = a.hv().exits().recent().stream().filter(e -> e instanceof VmExit.PrivilegedInstruction
                && e.site().action().startsWith("hardware task switch in the guest's view")).count();
        assertEquals(switches, a.ringZeroRetired(), "instructions retired at the real ring 0");
        assertEquals(0, a.hv().exits().count(ExitReason.UNSUPPORTED), a::exits);
        Machine host = a.hv().machine();
        Cpu cpu = host.cpu();
        assertEquals(MonitorMemory.linear(MonitorMemory.GDT), cpu.gdtrBase(), "the real GDTR");
        assertEquals(MonitorMemory.linear(MonitorMemory.IDT), cpu.idtrBase(), "the real IDTR");
        assertEquals(MonitorMemory.TSS_SELECTOR, cpu.control().trSelector(), "the real TR");
        assertEquals(0, cpu.eflags() & Eflags.IOPL, "the real IOPL");
        assertRealTablesKeepTheGuestOut(host);
        assertRealTranslationsEndInTheSlice(host);
    }

    /** The shadow GDT, LDT and IDT: no present descriptor or gate of privilege 0, none reaching the window, no TSS or task gate present. */
    private static void assertRealTablesKeepTheGuestOut(Machine host) {
        for (int off = 8; off < MonitorMemory.TSS_SELECTOR; off += 8) {
            checkDescriptor(host, MonitorMemory.GDT + off, "shadow GDT entry " + Integer.toHexString(off));
        }
        for (int off = 0; off + 7 <= MonitorMemory.LDT_LIMIT; off += 8) {
            checkDescriptor(host, MonitorMemory.LDT + off, "shadow LDT entry " + Integer.toHexString(off));
        }
        for (int v = 0; v < 256; v++) {
            long g = read64(host, MonitorMemory.IDT + v * 8);
            int vector = v;
            int type = RingCompression.type(g);
            boolean gate = RingCompression.system(g) && (type == 5 || type == 6 || type == 7 || type == 0xE || type == 0xF);
            if ((g & RingCompression.PRESENT) != 0 && gate) {  // anything else there is no gate: delivering through it is #GP
                assertTrue(RingCompression.dpl(g) > 0 && type != 5, () -> "shadow IDT gate " + vector);
            }
        }
    }

    private static void checkDescriptor(Machine host, int offset, String what) {
        long d = read64(host, offset);
        if ((d & RingCompression.PRESENT) == 0) {
            return;
        }
        int type = RingCompression.type(d);
        if (RingCompression.system(d)) {
            assertTrue(type == 2 || type == 4 || type == 0xC, () -> what + " is a present system descriptor of type " + type);
            assertTrue(type == 2 || RingCompression.dpl(d) > 0, () -> what + " is a call gate of DPL 0");
            return;
        }
        assertTrue(RingCompression.dpl(d) > 0, () -> what + " has DPL 0: " + Long.toHexString(d));
        long base = RingCompression.base(d) & 0xFFFF_FFFFL;
        long limit = RingCompression.limitBytes(d);
        boolean expandDown = (type & 0xC) == 0x4;
        long lowest = expandDown ? base + limit + 1 : base;
        long highest = expandDown ? base + ((d & 1L << 54) != 0 ? 0xFFFF_FFFFL : 0xFFFFL) : base + limit;
        boolean empty = expandDown && lowest > highest;
        boolean clear = highest < Isolation.WINDOW || lowest >= 1L << 32 && highest < (1L << 32) + Isolation.WINDOW;
        assertTrue(empty || clear, () -> what + " reaches the window: " + Long.toHexString(d));
    }

    /** Every present entry of the real page tables maps a frame of the guest's slice, but the window's own. */
    private static void assertRealTranslationsEndInTheSlice(Machine host) {
        int pd = host.cpu().cr3() & ~0xFFF;
        assertTrue(pd >= Hypervisor.POOL_HOST && pd < Hypervisor.SLICE_HOST, () -> "the real CR3 " + Integer.toHexString(pd));
        for (int dir = 0; dir < 1024; dir++) {
            int pde = host.memory().read32(pd + dir * 4);
            if ((pde & PRESENT) == 0) {
                continue;
            }
            int table = pde & ~0xFFF;
            if (dir == 1023) {
                assertEquals(Hypervisor.WINDOW_HOST + MonitorMemory.WINDOW_PT, table, "the window's directory entry");
                continue;
            }
            int d = dir;
            assertEquals(0, pde & LARGE_PAGE, () -> "a large shadow page at directory entry " + d);
            assertTrue(table >= Hypervisor.POOL_HOST && table < Hypervisor.SLICE_HOST, () -> "shadow table " + Integer.toHexString(table));
            for (int k = 0; k < 1024; k++) {
                int pte = host.memory().read32(table + k * 4);
                long frame = pte & 0xFFFF_F000L;
                int e = k;
                assertTrue((pte & PRESENT) == 0 || frame >= Hypervisor.SLICE_HOST && frame < Hypervisor.SLICE_HOST + GUEST_RAM,
                        () -> "linear " + Integer.toHexString(d << 22 | e << 12) + " -> host " + Long.toHexString(frame));
            }
        }
    }

    private static long read64(Machine host, int windowOffset) {
        int at = Hypervisor.WINDOW_HOST + windowOffset;
        return (host.memory().read32(at) & 0xFFFF_FFFFL) | (long) host.memory().read32(at + 4) << 32;
    }

    private static String bareOutput(String name) {
        return KernelRun.of(KernelGuests.image(name), null).output();
    }

    // ---- every attack, every mode --------------------------------------------------------------

    static Stream<Arguments> attacksAndModes() {
        return KernelGuests.names().stream().filter(KernelGuests::attack)
                .flatMap(n -> Stream.of(Hypervisor.Mode.values()).map(m -> Arguments.of(n, m)));
    }

    @ParameterizedTest(name = "{0} under {1}")
    @MethodSource("attacksAndModes")
    void everyAttackInEveryModeLeavesTheHypervisorAsItFoundIt(String name, Hypervisor.Mode mode) {
        Attack a = attack(name, mode);
        assertHypervisorIntact(a);
        assertFalse(a.output().contains("RING 0"), a.output());
        assertFalse(a.output().contains(" NO\n"), a.output());
    }

    // ---- each attack, the exit that contains it ----------------------------------------------------

    @Test
    void aFrameOutsideTheSliceStopsTheGuestAtTheAccess() {
        Attack a = attack("attack-outside", Hypervisor.Mode.PATCH);
        assertEquals(StopReason.INTERCEPTED, a.result().reason(), a::exits);
        List<VmExit.Contained> c = a.contained();
        assertEquals(1, c.size(), a::exits);
        assertEquals("the guest's page tables map 40000000 to physical 7F000000, outside its 32 MiB", c.get(0).what());
        assertTrue(a.output().endsWith("paging on; reading 40000000\n"), a.output());
        assertTrue(bareOutput("attack-outside").startsWith(a.output()), "the same lines up to the attack");
        assertEquals(0, a.hv().exits().count(ExitReason.GUEST_EXCEPTION), a::exits);
    }

    @Test
    void inTrapModeSgdtLeaksTheWindowAndATaskSwitchOverItIsRefused() {
        Attack a = attack("attack-window", Hypervisor.Mode.TRAP);
        assertTrue(a.output().contains("sgdt says the GDT is at FFFE0000\n"), a.output());
        assertTrue(a.output().contains("my physical 00100000 (the window's host address) holds 1BADB002\n"), a.output());
        assertEquals(StopReason.INTERCEPTED, a.result().reason(), a::exits);
        List<VmExit.Contained> c = a.contained();
        assertEquals(1, c.size(), a::exits);
        assertEquals("a task switch would have the CPU use the TSS of selector 0018 at FFFE00D8, in the hypervisor's window",
                c.get(0).what());
        assertTrue(c.get(0).site().instructionText().startsWith("jmp"), c.get(0).site()::toString);
        assertFalse(a.output().contains("the switch is done"), a.output());
        assertHypervisorIntact(a);
    }

    @Test
    void inPatchModeSgdtShowsTheGuestItsOwnGdtSoTheAttackHitsOnlyItself() {
        Attack a = attack("attack-window", Hypervisor.Mode.PATCH);
        assertEquals(bareOutput("attack-window"), a.output());
        assertEquals(StopReason.EXIT_DEVICE, a.result().reason(), a::exits);
        assertTrue(a.hv().exits().recent().stream().anyMatch(e -> e instanceof VmExit.SensitiveInstruction s
                && s.mnemonic().equals("SGDT")), a::exits);
        assertEquals(0, a.contained().size(), a::exits);
    }

    @Test
    void aStaleTranslationOnlyEverShowsTheGuestsOwnFrames() {
        Attack a = attack("attack-stale", Hypervisor.Mode.PATCH);
        assertEquals(bareOutput("attack-stale"), a.output());
        assertTrue(a.output().contains("2. pte -> B, no invlpg:       AAAA0001 mine: yes\n"), "the stale translation, as bare");
        assertTrue(a.output().contains("3. A filled with new data:    AAAA0004 mine: yes\n"), a.output());
        assertEquals(StopReason.EXIT_DEVICE, a.result().reason(), a::exits);
        assertTrue(a.hv().exits().count(ExitReason.PAGE_TABLE_WRITE) >= 1, a::exits);
        assertTrue(a.hv().shadowStats().builds() >= 2, () -> a.hv().shadowStats().toString());
    }

    @Test
    void portsWithoutADeviceReadAsAnEmptyBusAreLoggedAndNeverReachTheHostsBus() {
        Attack a = attack("attack-ports", Hypervisor.Mode.PATCH);
        assertEquals(bareOutput("attack-ports"), a.output());
        assertEquals(StopReason.EXIT_DEVICE, a.result().reason(), a::exits);
        List<String> what = a.contained().stream().map(VmExit.Contained::what).toList();
        assertEquals(List.of("01F7", "01F0", "0070", "0071", "0CF8", "0CFC").stream()
                .map(p -> "port " + p + " has no device: the guest's bus is empty there").toList(), what);
        for (int port : new int[] {0x1F0, 0x1F7, 0x70, 0x71, 0xCF8, 0xCFC}) {
            assertFalse(a.portsOnTheHostBus().contains(port), () -> Integer.toHexString(port) + " reached the host's bus");
        }
        assertTrue(a.hv().exits().count(ExitReason.PORT_IO) > 0, "COM1 and the exit device are still emulated");
    }

    @Test
    void theParavirtualPortHypercallsAnswerPortsWithoutADeviceAsAnEmptyBusToo() throws Exception {
        Assembly asm = Assembler.assemble("""
                bits 32
                org 0x100000
                mov eax, 8                  ; IN: EBX = port, EDX = size
                mov ebx, 0x1F7
                mov edx, 1
                db 0x0F, 0x01, 0xC1         ; VMCALL
                mov esi, eax
                mov eax, 7                  ; OUT: EBX = port, ECX = value, EDX = size
                mov ebx, 0x70
                mov ecx, 0x8F
                db 0x0F, 0x01, 0xC1
                cli
                hlt
                """, "pv-ports.asm");
        assertTrue(asm.ok(), asm.errors().toString());
        Machine staged = Machine.builder().ramMiB(8).build();
        FlatBinaryLoader.load(staged, asm.bytes(), 0x100000, FlatBinaryLoader.Mode.PROTECTED);
        Hypervisor hv = Hypervisor.boot(staged, Hypervisor.Mode.PARAVIRT);
        List<Integer> ports = new ArrayList<>();
        hv.machine().io().addListener((port, size, value, write) -> ports.add(port));
        assertEquals(StopReason.HALTED, hv.machine().run(1_000).reason());
        assertEquals(0xFF, hv.machine().cpu().reg(dev.vwb.machine.cpu.Reg32.ESI), "the empty bus's all ones");
        assertEquals(2, hv.exits().count(ExitReason.HYPERCALL), hv.exits().table());
        assertEquals(List.of("port 01F7 has no device: the guest's bus is empty there",
                "port 0070 has no device: the guest's bus is empty there"),
                hv.exits().recent().stream().filter(e -> e instanceof VmExit.Contained).map(e -> ((VmExit.Contained) e).what()).toList());
        assertEquals(List.of(), ports, "nothing reached the host's bus");
    }

    @Test
    void segmentsCoveringAllMemoryStopBelowTheWindow_expandDownToo() {
        Attack a = attack("attack-flat", Hypervisor.Mode.PATCH);
        assertEquals(StopReason.EXIT_DEVICE, a.result().reason(), a::exits);
        assertEquals(4, a.output().lines().filter(l -> l.endsWith(": #GP")).count(), a.output());
        assertEquals(4, bareOutput("attack-flat").lines().filter(l -> l.endsWith(": allowed")).count(), "bare lets all four through");
        List<VmExit.Contained> c = a.contained();
        assertEquals(4, c.size(), a::exits);
        assertEquals("DS reaches FFFF0000 in the hypervisor's window: the guest's segment ends below it", c.get(0).what());
        assertEquals("ES reaches FFFF0000 in the hypervisor's window: the guest's segment ends below it", c.get(3).what());
        assertEquals(4, a.hv().exits().recent().stream().filter(e -> e instanceof VmExit.GuestException g
                && g.vector() == Vectors.GP).count(), a::exits);
        // FFFF0000 is the shadow IDT's gate 0: still the compression of the guest's (empty) gate 0.
        assertEquals(0, read64(a.hv().machine(), MonitorMemory.IDT));
    }

    @Test
    void aGuestSpinningWithInterruptsOffIsCaughtByTheWatchdog_andCanBeRunOn() {
        Attack a = attack("attack-spin", Hypervisor.Mode.PATCH);
        assertEquals(StopReason.INSTRUCTION_LIMIT, a.result().reason());
        assertEquals("", a.report(), "not a crash");
        assertEquals(List.of("watchdog: the run's budget ran out with the guest's interrupts off"),
                a.contained().stream().map(VmExit.Contained::what).toList());
        RunResult again = a.hv().machine().run(100_000);
        assertEquals(StopReason.INSTRUCTION_LIMIT, again.reason());
        a.hv().afterRun(again);
        assertEquals(2, a.hv().exits().count(ExitReason.CONTAINED), a::exits);
    }

    @Test
    void aTripleFaultEndsTheGuestWithAReport_andTheNextKernelRunsInTheSameJvm() {
        Attack a = attack("attack-triple", Hypervisor.Mode.PATCH);
        assertEquals(StopReason.SHUTDOWN, a.result().reason());
        assertTrue(a.report().startsWith("the guest triple-faulted ("), a.report());
        assertTrue(a.report().endsWith("); the hypervisor contained it"), a.report());
        assertEquals(1, a.hv().exits().count(ExitReason.TRIPLE_FAULT), a::exits);
        assertEquals("", a.hv().afterRun(a.result()), "reported once");

        KernelRun next = KernelRun.of(KernelGuests.image("exits"), Hypervisor.Mode.PATCH);
        assertEquals(StopReason.EXIT_DEVICE, next.result().reason());
        assertEquals(KernelRun.of(KernelGuests.image("exits"), null).output(), next.output());
    }

    @Test
    void throughTheWorkbenchACrashedVmReportsAShutdown_andTheNextVmRuns() {
        Vm crashed = Workbench.fromBundled("attack-triple").hypervisor(Hypervisor.Mode.PATCH).build();
        RunReport r = crashed.run();
        assertEquals(Outcome.SHUT_DOWN, r.outcome(), r::toString);
        Vm next = Workbench.fromBundled("attack-ports").hypervisor(Hypervisor.Mode.PATCH).build();
        assertEquals(Outcome.EXITED, next.run().outcome());
        assertEquals(6, next.exits().count(ExitReason.CONTAINED), next.exits().table());
        assertTrue(next.serial().endsWith("attack-ports: done; all ones is what an empty bus answers\n"), next.serial());
    }
}
