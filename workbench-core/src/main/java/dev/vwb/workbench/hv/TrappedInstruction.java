package dev.vwb.workbench.hv;

import dev.vwb.machine.cpu.GuestInstruction;
import dev.vwb.machine.cpu.Reg32;
import dev.vwb.machine.cpu.SegReg;

/**
 * A guest instruction that trapped into the hypervisor, decoded by the CPU's own decoder: what an
 * emulator needs to know of it. A plain record, so tests can make one without a CPU.
 *
 * @param op             the decoder's mnemonic: {@code CLI}, {@code STI}, {@code HLT},
 *                       {@code MOV_CR_R} (MOV CRn, r32), {@code MOV_R_CR} (MOV r32, CRn),
 *                       {@code LGDT}, {@code LIDT}, {@code LMSW}, {@code CLTS}, {@code INVLPG} ...
 * @param eip            where it starts (an offset in CS)
 * @param nextEip        where the next instruction starts: EIP once this one is emulated
 * @param operandSize    2 or 4 (bytes): 16- or 32-bit operand size, after prefixes
 * @param reg            the ModRM reg field (for MOV CRn: the control register's number n)
 * @param rm             the ModRM r/m field (for a register operand: the register's number, EAX = 0 ... EDI = 7)
 * @param memoryOperand  whether the ModRM operand is in memory (then {@code segment}:{@code offset} is its address)
 * @param segment        the memory operand's segment, after overrides
 * @param offset         the memory operand's offset (effective address) in {@code segment}
 */
public record TrappedInstruction(String op, int eip, int nextEip, int operandSize, int reg, int rm, boolean memoryOperand,
                                 SegReg segment, int offset) {

    /** The register the r/m field names (meaningful when {@link #memoryOperand()} is false). */
    public Reg32 rmRegister() {
        return Reg32.values()[rm & 7];
    }

    /** The instruction the CPU decoded, as an emulator sees it. */
    static TrappedInstruction of(GuestInstruction insn) {
        return new TrappedInstruction(insn.op(), insn.eip(), insn.nextEip(), insn.operandSize(), insn.reg(), insn.rm(),
                insn.hasMemoryOperand(), insn.segment(), insn.offset());
    }
}
