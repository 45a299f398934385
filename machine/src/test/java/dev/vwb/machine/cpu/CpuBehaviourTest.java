package dev.vwb.machine.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vwb.machine.RunResult;
import dev.vwb.machine.StopReason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Small programs with hand-checked outcomes, each pinning one rule of the SDM. */
class CpuBehaviourTest {
    @Test
    void resetStartsInRealModeAtTheTopOfTheAddressSpace() {
        TestRig r = new TestRig();
        assertEquals(0xFFF0, r.cpu.eip());
        assertEquals(0xF000, r.cpu.segment(SegReg.CS).selector());
        assertEquals(0xFFFF0000, r.cpu.segment(SegReg.CS).base());
        assertEquals(0x2, r.cpu.eflags());
        assertTrue(!r.cpu.isProtectedMode());
    }

    @Test
    void decWrapsToMinusOne_andSetsSignFlag_butKeepsCarry() {
        // stc ; mov eax,0 ; dec eax ; hlt
        TestRig r = TestRig.flat(0xF9, 0xB8, 0, 0, 0, 0, 0x48, 0xF4);
        assertEquals(StopReason.HALTED, r.run().reason());
        assertEquals(-1, r.reg(Reg32.EAX));
        int f = r.cpu.eflags();
        assertTrue((f & Eflags.SF) != 0 && (f & Eflags.CF) != 0 && (f & Eflags.ZF) == 0 && (f & Eflags.AF) != 0);
    }

    @Test
    void addSetsCarryAndOverflowAtTheirBoundaries() {
        // mov al,0x7F ; add al,1 ; hlt   -> OF set, CF clear, SF set
        TestRig r = TestRig.real(0xB0, 0x7F, 0x04, 0x01, 0xF4);
        r.run();
        int f = r.cpu.eflags();
        assertEquals(0x80, r.reg(Reg32.EAX) & 0xFF);
        assertTrue((f & Eflags.OF) != 0 && (f & Eflags.CF) == 0 && (f & Eflags.SF) != 0);
        // mov al,0xFF ; add al,1 ; hlt   -> CF set, ZF set, OF clear
        r = TestRig.real(0xB0, 0xFF, 0x04, 0x01, 0xF4);
        r.run();
        f = r.cpu.eflags();
        assertTrue((f & Eflags.CF) != 0 && (f & Eflags.ZF) != 0 && (f & Eflags.OF) == 0);
    }

    @Test
    void divideByZeroIsAFaultThatPointsAtTheDivide() {
        // xor ecx,ecx ; div ecx ; hlt
        TestRig r = TestRig.flat(0x31, 0xC9, 0xF7, 0xF1, 0xF4);
        List<ExceptionEvent> seen = new ArrayList<>();
        r.cpu.setExceptionInterceptor((cpu, ev) -> {
            seen.add(ev);
            return ExceptionInterceptor.Decision.STOP;
        });
        RunResult res = r.run();
        assertEquals(StopReason.INTERCEPTED, res.reason());
        assertEquals(Vectors.DE, seen.get(0).vector());
        assertEquals(TestRig.CODE + 2, seen.get(0).eip());
        assertEquals(TestRig.CODE + 2, r.cpu.eip());
    }

    @Test
    void intNInRealModeGoesThroughTheIvtAndIretReturns() {
        // IVT[0x21] = 0000:2000. At 2000: mov bx,0x1234 ; iret
        // main: int 0x21 ; hlt
        TestRig r = TestRig.real(0xCD, 0x21, 0xF4);
        r.machine.memory().load(0x21 * 4, new byte[] {0x00, 0x20, 0x00, 0x00});
        r.machine.memory().load(0x2000, new byte[] {(byte) 0xBB, 0x34, 0x12, (byte) 0xCF});
        r.run();
        assertEquals(0x1234, r.reg(Reg32.EBX) & 0xFFFF);
        assertEquals(TestRig.CODE + 3, r.cpu.eip());  // after the HLT
        assertEquals(0x8000, r.reg(Reg32.ESP));
    }

    @Test
    void repMovsbCopiesAndLeavesCountersAtTheEnd() {
        // mov si,0x3000 ; mov di,0x4000 ; mov cx,5 ; cld ; rep movsb ; hlt
        TestRig r = TestRig.real(0xBE, 0x00, 0x30, 0xBF, 0x00, 0x40, 0xB9, 0x05, 0x00, 0xFC, 0xF3, 0xA4, 0xF4);
        r.machine.memory().load(0x3000, "hello".getBytes());
        r.run();
        assertEquals("hello", new String(r.machine.memory().read(0x4000, 5)));
        assertEquals(0, r.reg(Reg32.ECX) & 0xFFFF);
        assertEquals(0x3005, r.reg(Reg32.ESI) & 0xFFFF);
    }

    @Test
    void selfModifyingCodeSeesItsNewBytes() {
        // Loop twice over "mov al,1 ; ..." where the first pass rewrites the immediate to 2.
        // 1000: mov al,1            B0 01
        // 1002: mov byte [0x1001],2 C6 06 01 10 02
        // 1007: inc bl              FE C3
        // 1009: cmp bl,2            80 FB 02
        // 100C: jne 0x1000          75 F2
        // 100E: hlt                 F4
        TestRig r = TestRig.real(0xB0, 0x01, 0xC6, 0x06, 0x01, 0x10, 0x02, 0xFE, 0xC3, 0x80, 0xFB, 0x02, 0x75, 0xF2, 0xF4);
        r.run();
        assertEquals(2, r.reg(Reg32.EAX) & 0xFF);
    }

    @Test
    void selfModifyingCodeSeesItsNewBytes_evenInsideATranslatedBlock() {
        // 1000: mov dword [0x100B], 42   C7 05 0B 10 00 00 2A 00 00 00  (rewrites the next immediate)
        // 100A: mov eax, 1               B8 01 00 00 00
        // 100F: hlt                      F4
        TestRig r = TestRig.flat(0xC7, 0x05, 0x0B, 0x10, 0x00, 0x00, 0x2A, 0x00, 0x00, 0x00,
                0xB8, 0x01, 0x00, 0x00, 0x00, 0xF4);
        r.cpu.setTranslationThreshold(1);  // the three instructions become one translated block at once
        r.run();
        assertEquals(42, r.reg(Reg32.EAX));
    }

    @Test
    void singleSteppingTrapsAfterEachInstruction_evenInTranslatableCode() {
        // 1000: pushfd ; or dword [esp], 0x100 ; popfd      (sets TF)
        // 1009: nop ; nop ; nop ; hlt
        TestRig r = TestRig.flat(0x9C, 0x81, 0x0C, 0x24, 0x00, 0x01, 0x00, 0x00, 0x9D, 0x90, 0x90, 0x90, 0xF4);
        r.cpu.setTranslationThreshold(1);
        List<Integer> trapEips = new ArrayList<>();
        r.cpu.setExceptionInterceptor((cpu, ev) -> {
            trapEips.add(ev.eip());
            // Resume without delivery (TF stays set) until the third trap.
            return trapEips.size() < 3 ? ExceptionInterceptor.Decision.HANDLED : ExceptionInterceptor.Decision.STOP;
        });
        r.run();
        // A #DB trap follows each instruction after POPFD, pointing at the next one.
        assertEquals(List.of(0x100A, 0x100B, 0x100C), trapEips);
    }

    @Test
    void lockOnARegisterDestinationIsInvalid() {
        // lock add eax,ebx
        TestRig r = TestRig.flat(0xF0, 0x01, 0xD8, 0xF4);
        int[] vector = {-1};
        r.cpu.setExceptionInterceptor((cpu, ev) -> {
            vector[0] = ev.vector();
            return ExceptionInterceptor.Decision.STOP;
        });
        r.run();
        assertEquals(Vectors.UD, vector[0]);
    }

    @Test
    void anInstructionLongerThanFifteenBytesIsAGeneralProtectionFault() {
        int[] code = new int[17];
        java.util.Arrays.fill(code, 0x66);
        code[15] = 0x90;
        code[16] = 0xF4;
        TestRig r = TestRig.flat(code);
        int[] vector = {-1};
        r.cpu.setExceptionInterceptor((cpu, ev) -> {
            vector[0] = ev.vector();
            return ExceptionInterceptor.Decision.STOP;
        });
        r.run();
        assertEquals(Vectors.GP, vector[0]);
    }

    @Test
    void aTripleFaultShutsTheMachineDown() {
        // Flat protected mode with an empty IDT: #UD -> #GP -> #DF -> shutdown.
        TestRig r = TestRig.flat(0x0F, 0x0B);  // ud2
        r.cpu.setIdtr(0, 0);
        RunResult res = r.run();
        assertEquals(StopReason.SHUTDOWN, res.reason());
        assertTrue(res.detail().contains("triple fault"), res.detail());
    }

    @Test
    void hltWithInterruptsDisabledStopsTheRun() {
        TestRig r = TestRig.real(0xFA, 0xF4);  // cli ; hlt
        RunResult res = r.run();
        assertEquals(StopReason.HALTED, res.reason());
        assertEquals(2, res.instructions());
    }
}
