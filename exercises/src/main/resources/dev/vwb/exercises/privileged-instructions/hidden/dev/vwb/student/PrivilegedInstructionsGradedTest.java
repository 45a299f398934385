package dev.vwb.student;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

// The public tests' instructions and fake CPU (the grader compiles the exercise's own public tests with these).
import static dev.vwb.student.PrivilegedInstructionsTest.*;

import dev.vwb.machine.StopReason;
import dev.vwb.machine.cpu.Reg32;
import dev.vwb.machine.cpu.SegReg;
import dev.vwb.workbench.guests.KernelGuests;
import dev.vwb.workbench.hv.Extensions;
import dev.vwb.workbench.hv.Hypervisor;
import dev.vwb.workbench.hv.KernelRun;
import dev.vwb.workbench.hv.PrivilegedInstructions;
import dev.vwb.workbench.hv.TrappedInstruction;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Graded tests of exercise "privileged-instructions": each instruction's rule, then whole guests against bare metal. */
class PrivilegedInstructionsGradedTest {
    private final StudentPrivilegedInstructions emulator = new StudentPrivilegedInstructions();

    @Test
    @Tag("points=1")
    @DisplayName("CLI and STI at guest ring 0 change the virtual IF")
    void cliAndStiAtGuestRingZeroChangeTheVirtualIf() {
        FakeCpu cpu = new FakeCpu();
        cpu.interrupts = true;
        assertInstanceOf(PrivilegedInstructions.Emulated.class, emulator.emulate(op("CLI"), cpu));
        assertFalse(cpu.interrupts, "CLI must clear the virtual IF");
        assertInstanceOf(PrivilegedInstructions.Emulated.class, emulator.emulate(op("STI"), cpu));
        assertTrue(cpu.interrupts, "STI must set the virtual IF");
    }

    @Test
    @Tag("points=2")
    @DisplayName("CLI at CPL 3 is the guest's own #GP unless IOPL is 3")
    void cliAtRingThreeDependsOnIopl() {
        FakeCpu cpu = new FakeCpu();
        cpu.cpl = 3;
        cpu.iopl = 0;
        cpu.interrupts = true;
        assertInstanceOf(PrivilegedInstructions.NotMine.class, emulator.emulate(op("CLI"), cpu), "CPL 3 > IOPL 0: #GP");
        assertTrue(cpu.interrupts, "a refused CLI changes nothing");
        cpu.iopl = 3;
        assertInstanceOf(PrivilegedInstructions.Emulated.class, emulator.emulate(op("CLI"), cpu), "CPL 3 <= IOPL 3: allowed");
        assertFalse(cpu.interrupts);
    }

    @Test
    @Tag("points=1")
    @DisplayName("HLT, MOV CRn, LGDT and CLTS at guest CPL 3 are the guest's own #GP")
    void privilegedInstructionsAtUserLevelAreNotMine() {
        FakeCpu cpu = new FakeCpu();
        cpu.cpl = 3;
        cpu.iopl = 3;
        for (String op : new String[] {"HLT", "MOV_CR_R", "MOV_R_CR", "LGDT", "LIDT", "CLTS", "LMSW", "INVLPG"}) {
            assertInstanceOf(PrivilegedInstructions.NotMine.class, emulator.emulate(op(op), cpu), op + " at CPL 3");
        }
        assertEquals(0x11, cpu.cr[0], "nothing may change");
    }

    @Test
    @Tag("points=1")
    @DisplayName("HLT with the virtual IF set waits for an interrupt")
    void hltWithInterruptsOnWaits() {
        FakeCpu cpu = new FakeCpu();
        cpu.interrupts = true;
        assertInstanceOf(PrivilegedInstructions.Emulated.class, emulator.emulate(op("HLT"), cpu));
        assertTrue(cpu.waiting, "waitForInterrupt() expected");
        assertNull(cpu.stopped);
    }

    @Test
    @Tag("points=1")
    @DisplayName("HLT with the virtual IF clear stops the guest")
    void hltWithInterruptsOffStops() {
        FakeCpu cpu = new FakeCpu();
        cpu.interrupts = false;
        assertInstanceOf(PrivilegedInstructions.Emulated.class, emulator.emulate(op("HLT"), cpu));
        assertTrue(cpu.stopped != null && !cpu.waiting, "stopGuest(why) expected, not waitForInterrupt()");
    }

    @Test
    @Tag("points=1")
    @DisplayName("MOV CR3, r32 loads the virtual CR3 from the r/m register")
    void movToCr3LoadsTheVirtualCr3() {
        FakeCpu cpu = new FakeCpu();
        cpu.regs.put(Reg32.ESI, 0x0012_3000);
        assertInstanceOf(PrivilegedInstructions.Emulated.class, emulator.emulate(mov("MOV_CR_R", 3, Reg32.ESI), cpu));
        assertEquals(0x0012_3000, cpu.cr[3]);
    }

    @Test
    @Tag("points=1")
    @DisplayName("MOV CR0, r32 keeps CR0.ET set (the 486 hardwires it)")
    void movToCr0KeepsEt() {
        FakeCpu cpu = new FakeCpu();
        cpu.regs.put(Reg32.EAX, 0x8000_0001);
        emulator.emulate(mov("MOV_CR_R", 0, Reg32.EAX), cpu);
        assertEquals(0x8000_0011, cpu.cr[0]);
    }

    @Test
    @Tag("points=1")
    @DisplayName("MOV r32, CRn reads the virtual CRn into the r/m register")
    void movFromCrReadsTheVirtualRegister() {
        FakeCpu cpu = new FakeCpu();
        cpu.cr[2] = 0x4000_1234;
        cpu.regs.put(Reg32.EBX, 7);
        assertInstanceOf(PrivilegedInstructions.Emulated.class, emulator.emulate(mov("MOV_R_CR", 2, Reg32.EBX), cpu));
        assertEquals(0x4000_1234, cpu.regs.get(Reg32.EBX));
        assertEquals(0x4000_1234, cpu.cr[2], "reading changes nothing");
    }

    @Test
    @Tag("points=1")
    @DisplayName("LGDT and LIDT read a 2-byte limit and a 4-byte base from the operand")
    void lgdtAndLidtLoadLimitAndBase() {
        FakeCpu cpu = new FakeCpu();
        cpu.bases.put(SegReg.DS, 0x1000);
        cpu.write(0x1000 + 0x40, 0x27, 2);
        cpu.write(0x1000 + 0x42, 0xC010_2000, 4);
        assertInstanceOf(PrivilegedInstructions.Emulated.class, emulator.emulate(memory("LGDT", 4, SegReg.DS, 0x40), cpu));
        assertEquals(0xC010_2000, cpu.gdtBase);
        assertEquals(0x27, cpu.gdtLimit);
        emulator.emulate(memory("LIDT", 4, SegReg.DS, 0x40), cpu);
        assertEquals(0xC010_2000, cpu.idtBase);
        assertEquals(0x27, cpu.idtLimit);
    }

    @Test
    @Tag("points=2")
    @DisplayName("LGDT with a 16-bit operand size loads only 24 bits of base")
    void lgdtWithSixteenBitOperandLoadsTwentyFourBits() {
        FakeCpu cpu = new FakeCpu();
        cpu.write(0x500, 0xFFFF, 2);
        cpu.write(0x502, 0xAB12_3456, 4);
        emulator.emulate(memory("LGDT", 2, SegReg.DS, 0x500), cpu);
        assertEquals(0x0012_3456, cpu.gdtBase);
        assertEquals(0xFFFF, cpu.gdtLimit);
    }

    @Test
    @Tag("points=2")
    @DisplayName("LMSW loads PE, MP, EM and TS only, and cannot clear PE")
    void lmswLoadsTheLowFourBitsButNeverClearsPe() {
        FakeCpu cpu = new FakeCpu();
        cpu.cr[0] = 0x8001_0011;  // PG, WP, ET, PE
        cpu.regs.put(Reg32.ECX, 0xFFF0 | 0x6);  // MP and EM; PE and TS clear; junk above bit 3
        emulator.emulate(mov("LMSW", 6, Reg32.ECX), cpu);
        assertEquals(0x8001_0017, cpu.cr[0]);
    }

    @Test
    @Tag("points=1")
    @DisplayName("CLTS clears CR0.TS and nothing else")
    void cltsClearsTaskSwitchedOnly() {
        FakeCpu cpu = new FakeCpu();
        cpu.cr[0] = 0x8000_001B;
        emulator.emulate(op("CLTS"), cpu);
        assertEquals(0x8000_0013, cpu.cr[0]);
    }

    @Test
    @Tag("points=1")
    @DisplayName("INVLPG drops the page of the operand's linear address (segment base + offset)")
    void invlpgUsesTheLinearAddress() {
        FakeCpu cpu = new FakeCpu();
        cpu.bases.put(SegReg.ES, 0x4000_0000);
        assertInstanceOf(PrivilegedInstructions.Emulated.class, emulator.emulate(memory("INVLPG", 4, SegReg.ES, 0x2345), cpu));
        assertEquals(0x4000_2345, cpu.invalidated);
    }

    @Test
    @Tag("points=2")
    @DisplayName("the teaching kernel prints the same under the hypervisor as on bare metal")
    void teachkernelIsEquivalentToBare() {
        assertEquivalent("teachkernel");
    }

    @Test
    @Tag("points=1")
    @DisplayName("the exits benchmark (CLI/STI pairs) prints the same under the hypervisor as on bare metal")
    void exitsGuestIsEquivalentToBare() {
        assertEquivalent("exits");
    }

    @Test
    @Tag("points=1")
    @DisplayName("the popf and sensitive guests print the same in patch mode as on bare metal")
    void gapGuestsAreEquivalentToBare() {
        assertEquivalent("popf");
        assertEquivalent("sensitive");
    }

    private static void assertEquivalent(String guest) {
        byte[] kernel = KernelGuests.image(guest);
        KernelRun bare = KernelRun.bare(kernel);
        KernelRun hv = KernelRun.under(kernel, Hypervisor.Mode.PATCH,
                Extensions.builder().privilegedInstructions(new StudentPrivilegedInstructions()).build());
        assertEquals(bare.output(), hv.output(), guest + ": the output under the hypervisor differs from bare metal's");
        assertEquals(StopReason.EXIT_DEVICE, hv.result().reason(), guest + ": " + hv.result());
        assertEquals(bare.exitStatus(), hv.exitStatus(), guest + ": exit status");
    }
}
