package dev.vwb.machine.cpu;

import dev.vwb.machine.Machine;
import dev.vwb.machine.RunResult;

/**
 * A machine with code loaded at a known place, in real mode or in flat 32-bit protected mode,
 * for tests that run a few hand-encoded instructions (the assembly is in each test's comments).
 */
final class TestRig {
    static final int CODE = 0x1000;
    final Machine machine = Machine.builder().ramMiB(2).build();
    final Cpu cpu = machine.cpu();

    /** Real mode, CS = DS = ES = SS = 0, SP = 0x8000, code at 0000:1000. */
    static TestRig real(int... code) {
        TestRig r = new TestRig();
        for (SegReg s : SegReg.values()) {
            r.cpu.setSegment(s, new SegmentView(0, 0, 0xFFFF, s == SegReg.CS ? Segment.REAL_MODE_CODE : Segment.REAL_MODE_DATA));
        }
        r.cpu.setReg(Reg32.ESP, 0x8000);
        r.load(code);
        return r;
    }

    /** Flat 32-bit protected mode at CPL 0 (no GDT needed: the caches are set directly), ESP = 0x80000. */
    static TestRig flat(int... code) {
        TestRig r = new TestRig();
        r.cpu.setCr0(Cpu.CR0_PE | Cpu.CR0_ET);
        int data = Segment.PRESENT | Segment.S | Segment.WRITABLE_OR_READABLE | Segment.ACCESSED | Segment.DB | Segment.GRANULARITY;
        int codeAttr = Segment.PRESENT | Segment.S | Segment.CODE | Segment.WRITABLE_OR_READABLE | Segment.ACCESSED
                | Segment.DB | Segment.GRANULARITY;
        for (SegReg s : SegReg.values()) {
            r.cpu.setSegment(s, new SegmentView(s == SegReg.CS ? 8 : 16, 0, -1, s == SegReg.CS ? codeAttr : data));
        }
        r.cpu.setReg(Reg32.ESP, 0x80000);
        r.load(code);
        return r;
    }

    private void load(int[] code) {
        byte[] bytes = new byte[code.length];
        for (int i = 0; i < code.length; i++) {
            bytes[i] = (byte) code[i];
        }
        machine.memory().load(CODE, bytes);
        cpu.setEip(CODE);
    }

    /** Runs until HLT (or the budget), returning the result. */
    RunResult run() {
        return machine.run(100_000);
    }

    int reg(Reg32 r) {
        return cpu.reg(r);
    }
}
