package dev.vwb.student;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.vwb.machine.cpu.Reg32;
import dev.vwb.machine.cpu.SegReg;
import dev.vwb.workbench.guests.KernelGuests;
import dev.vwb.workbench.hv.Extensions;
import dev.vwb.workbench.hv.GuestCpu;
import dev.vwb.workbench.hv.Hypervisor;
import dev.vwb.workbench.hv.KernelRun;
import dev.vwb.workbench.hv.PrivilegedInstructions;
import dev.vwb.workbench.hv.TrappedInstruction;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Public tests of exercise "privileged-instructions": run them with {@code ./vwb exercise check}.
 * The graded tests check every instruction's rule (and its edge cases) and more guests.
 */
class PrivilegedInstructionsTest {
    private final StudentPrivilegedInstructions emulator = new StudentPrivilegedInstructions();

    @Test
    void cliAtGuestRingZeroClearsTheVirtualInterruptFlag() {
        FakeCpu cpu = new FakeCpu();
        cpu.interrupts = true;
        assertInstanceOf(PrivilegedInstructions.Emulated.class, emulator.emulate(op("CLI"), cpu),
                "CLI at guest CPL 0 must be emulated");
        assertFalse(cpu.interrupts, "CLI must clear the guest's virtual IF (cpu.setInterruptFlag(false))");
    }

    @Test
    void movToCr3LoadsTheVirtualCr3() {
        FakeCpu cpu = new FakeCpu();
        cpu.regs.put(Reg32.ESI, 0x0012_3000);
        assertInstanceOf(PrivilegedInstructions.Emulated.class, emulator.emulate(mov("MOV_CR_R", 3, Reg32.ESI), cpu),
                "MOV CR3, ESI at guest CPL 0 must be emulated");
        assertEquals(0x0012_3000, cpu.cr[3], "MOV CR3, ESI must load the virtual CR3 with ESI");
    }

    @Test
    void theTeachingKernelPrintsTheSameUnderTheHypervisorAsOnBareMetal() {
        byte[] kernel = KernelGuests.image("teachkernel");
        KernelRun bare = KernelRun.bare(kernel);
        KernelRun hv = KernelRun.under(kernel, Hypervisor.Mode.PATCH,
                Extensions.builder().privilegedInstructions(new StudentPrivilegedInstructions()).build());
        assertEquals(bare.output(), hv.output(), "the teaching kernel's output under your emulator differs from bare metal's"
                + " (the exit log: " + hv.hypervisor().exits().table() + ")");
    }

    // ---- instructions and a CPU made by hand (the graded tests use them too) ---------------------

    static TrappedInstruction op(String op) {
        return new TrappedInstruction(op, 0x1000, 0x1001, 4, 0, 0, false, SegReg.DS, 0);
    }

    static TrappedInstruction mov(String op, int reg, Reg32 rm) {
        return new TrappedInstruction(op, 0x1000, 0x1003, 4, reg, rm.ordinal(), false, SegReg.DS, 0);
    }

    static TrappedInstruction memory(String op, int operandSize, SegReg segment, int offset) {
        return new TrappedInstruction(op, 0x1000, 0x1007, operandSize, 2, 5, true, segment, offset);
    }

    /** A guest CPU that records what was done to it. */
    static final class FakeCpu implements GuestCpu {
        int cpl;
        int iopl;
        boolean interrupts;
        final int[] cr = {0x11, 0, 0, 0, 0};
        final Map<Reg32, Integer> regs = new EnumMap<>(Reg32.class);
        final Map<SegReg, Integer> bases = new EnumMap<>(SegReg.class);
        final Map<Integer, Integer> bytes = new HashMap<>();
        int gdtBase, gdtLimit, idtBase, idtLimit;
        Integer invalidated;
        boolean waiting;
        String stopped;

        void write(int linear, int value, int size) {
            for (int k = 0; k < size; k++) {
                bytes.put(linear + k, (value >>> 8 * k) & 0xFF);
            }
        }

        @Override
        public int cpl() {
            return cpl;
        }

        @Override
        public int iopl() {
            return iopl;
        }

        @Override
        public boolean interruptsEnabled() {
            return interrupts;
        }

        @Override
        public void setInterruptFlag(boolean enabled) {
            interrupts = enabled;
        }

        @Override
        public int register(Reg32 r) {
            return regs.getOrDefault(r, 0);
        }

        @Override
        public void setRegister(Reg32 r, int value) {
            regs.put(r, value);
        }

        @Override
        public int read(SegReg segment, int offset, int size) {
            int linear = segmentBase(segment) + offset;
            int v = 0;
            for (int k = 0; k < size; k++) {
                v |= bytes.getOrDefault(linear + k, 0) << 8 * k;
            }
            return v;
        }

        @Override
        public int segmentBase(SegReg segment) {
            return bases.getOrDefault(segment, 0);
        }

        @Override
        public int controlRegister(int n) {
            return cr[n];
        }

        @Override
        public void setControlRegister(int n, int value) {
            cr[n] = value;
        }

        @Override
        public int gdtBase() {
            return gdtBase;
        }

        @Override
        public int gdtLimit() {
            return gdtLimit;
        }

        @Override
        public int idtBase() {
            return idtBase;
        }

        @Override
        public int idtLimit() {
            return idtLimit;
        }

        @Override
        public void loadGdtr(int base, int limit) {
            gdtBase = base;
            gdtLimit = limit;
        }

        @Override
        public void loadIdtr(int base, int limit) {
            idtBase = base;
            idtLimit = limit;
        }

        @Override
        public void invalidatePage(int linear) {
            invalidated = linear;
        }

        @Override
        public void waitForInterrupt() {
            waiting = true;
        }

        @Override
        public void stopGuest(String why) {
            stopped = why;
        }
    }
}
