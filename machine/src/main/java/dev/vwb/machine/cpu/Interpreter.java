package dev.vwb.machine.cpu;

import static dev.vwb.machine.cpu.Cpu.EAX;
import static dev.vwb.machine.cpu.Cpu.ECX;
import static dev.vwb.machine.cpu.Cpu.EDX;
import static dev.vwb.machine.cpu.Cpu.EBX;
import static dev.vwb.machine.cpu.Cpu.ESP;
import static dev.vwb.machine.cpu.Cpu.EBP;

/**
 * Executes one decoded instruction: a single {@code switch} over {@link Op}, each case a call
 * into the instruction family that implements it ({@link Alu}, {@link Shifts}, {@link MulDiv},
 * {@link Bcd}, {@link StringOps}, {@link BitOps}, {@link Transfers}, {@link SystemOps}), or a
 * line or two for the simplest. The switch is kept small in bytecode so the JIT compiles it.
 *
 * <p>Contract: a case either completes the instruction (state updated, EIP advanced or moved)
 * or throws {@link GuestFault} having changed no register: every case does its reads and checks
 * first and commits EIP, ESP and other registers only after its last possible fault, so the run
 * loop can deliver the fault with the state exactly as it was before the instruction.
 */
final class Interpreter {
    private Interpreter() {
    }

    static void execute(Cpu c, Insn i) {
        int next = c.eip + i.length;
        int op = i.op;
        if (op < Op.ROT) {
            if (op < Op.ALU_A_I) {
                if (op < Op.ALU_R_RM) {
                    Alu.rmReg(c, i, op);
                } else {
                    Alu.regRm(c, i, op - Op.ALU_R_RM);
                }
            } else if (op < Op.ALU_RM_I) {
                Alu.accImm(c, i, op - Op.ALU_A_I);
            } else {
                Alu.rmImm(c, i, op - Op.ALU_RM_I);
            }
            c.eip = next;
            return;
        }
        switch (op) {
            case Op.ROT: case Op.ROT + 1: case Op.ROT + 2: case Op.ROT + 3:
            case Op.ROT + 4: case Op.ROT + 5: case Op.ROT + 6: case Op.ROT + 7:
                Shifts.group2(c, i, op - Op.ROT);
                break;
            case Op.UD:
                throw new GuestFault(Vectors.UD, GuestFault.NO_ERROR_CODE);
            case Op.INC_R:
                Alu.inc(c, i.size, i.reg, c.reg(i.size, i.reg));
                break;
            case Op.DEC_R:
                Alu.dec(c, i.size, i.reg, c.reg(i.size, i.reg));
                break;
            case Op.INC_RM:
                Alu.incDecRm(c, i, true);
                break;
            case Op.DEC_RM:
                Alu.incDecRm(c, i, false);
                break;
            case Op.PUSH_R:
                c.push(i.size, c.reg(i.size, i.reg));
                break;
            case Op.POP_R: {
                int v = c.pop(i.size);
                c.setReg(i.size, i.reg, v);
                break;
            }
            case Op.PUSH_I:
                c.push(i.size, i.imm);
                break;
            case Op.PUSH_RM:
                c.push(i.size, c.readRM(i));
                break;
            case Op.POP_RM:
                StackOps.popRm(c, i);
                break;
            case Op.PUSH_SEG:
                StackOps.pushSeg(c, i);
                break;
            case Op.POP_SEG:
                StackOps.popSeg(c, i);
                break;
            case Op.PUSHA:
                StackOps.pusha(c, i.size);
                break;
            case Op.POPA:
                StackOps.popa(c, i.size);
                break;
            case Op.BOUND:
                MulDiv.bound(c, i);
                break;
            case Op.ARPL:
                SystemOps.arpl(c, i);
                break;
            case Op.IMUL_R_RM_I:
                MulDiv.imul3(c, i, c.readRM(i), i.imm);
                break;
            case Op.IMUL_R_RM:
                MulDiv.imul3(c, i, c.readRM(i), c.reg(i.size, i.reg));
                break;
            case Op.INS:
                if (!StringOps.ins(c, i)) {
                    return;  // a long REP continues in the next step
                }
                break;
            case Op.OUTS:
                if (!StringOps.outs(c, i)) {
                    return;  // a long REP continues in the next step
                }
                break;
            case Op.JCC:
                if (c.flags.condition(i.cc)) {
                    c.jump(next + i.imm, i.size);
                    return;
                }
                break;
            case Op.TEST_RM_R:
                Alu.logic(c, i.size, c.readRM(i) & c.reg(i.size, i.reg));
                break;
            case Op.TEST_A_I:
            case Op.TEST_RM_I:
                Alu.logic(c, i.size, (op == Op.TEST_A_I ? c.reg(i.size, EAX) : c.readRM(i)) & i.imm);
                break;
            case Op.XCHG_RM_R:
                Alu.xchg(c, i);
                break;
            case Op.XCHG_A_R: {
                int a = c.reg(i.size, EAX);
                c.setReg(i.size, EAX, c.reg(i.size, i.reg));
                c.setReg(i.size, i.reg, a);
                break;
            }
            case Op.NOP:
                break;
            case Op.MOV_RM_R:
                c.writeRM(i, c.reg(i.size, i.reg));
                break;
            case Op.MOV_R_RM:
                c.setReg(i.size, i.reg, c.readRM(i));
                break;
            case Op.MOV_RM_SEG:
                // A register destination gets the selector zero-extended with a 32-bit operand (SDM Vol. 2B MOV).
                if (i.mem) {
                    c.mmu.write16(i.seg, c.ea(i), c.seg[i.reg].selector);
                } else {
                    c.setReg(i.size, i.rm, c.seg[i.reg].selector);
                }
                break;
            case Op.MOV_SEG_RM:
                Segments.load(c, i.reg, i.mem ? c.mmu.read16(i.seg, c.ea(i)) : c.reg(2, i.rm));
                if (i.reg == Cpu.SS) {
                    c.attention |= Cpu.ATTN_SHADOW;  // MOV SS holds off interrupts for one instruction
                }
                break;
            case Op.LEA:
                c.setReg(i.size, i.reg, c.ea(i));
                break;
            case Op.MOV_A_MOFFS:
                c.setReg(i.size, EAX, c.mmu.read(i.seg, i.a32 ? i.disp : i.disp & 0xFFFF, i.size));
                break;
            case Op.MOV_MOFFS_A:
                c.mmu.write(i.seg, i.a32 ? i.disp : i.disp & 0xFFFF, i.size, c.reg(i.size, EAX));
                break;
            case Op.MOV_R_I:
                c.setReg(i.size, i.reg, i.imm);
                break;
            case Op.MOV_RM_I:
                c.writeRM(i, i.imm);
                break;
            case Op.CBW:
                if (i.size == 2) {
                    c.setReg(2, EAX, (byte) c.regs[EAX]);
                } else {
                    c.regs[EAX] = (short) c.regs[EAX];
                }
                break;
            case Op.CWD:
                if (i.size == 2) {
                    c.setReg(2, EDX, (short) c.regs[EAX] >> 15);
                } else {
                    c.regs[EDX] = c.regs[EAX] >> 31;
                }
                break;
            case Op.CALL_FAR:
                Transfers.callFar(c, i.imm2, i.imm, i.size, next);
                return;
            case Op.WAIT:
                // WAIT raises #NM only when both MP and TS are set (SDM Vol. 3A §2.5, Table 2-2).
                if ((c.cr0 & (Cpu.CR0_MP | Cpu.CR0_TS)) == (Cpu.CR0_MP | Cpu.CR0_TS)) {
                    throw new GuestFault(Vectors.NM, GuestFault.NO_ERROR_CODE);
                }
                break;
            case Op.PUSHF:
                StackOps.pushf(c, i.size);
                break;
            case Op.POPF:
                StackOps.popf(c, i.size);
                break;
            case Op.SAHF: {
                int mask = Eflags.SF | Eflags.ZF | Eflags.AF | Eflags.PF | Eflags.CF;
                c.flags.materialize();
                c.flags.stored = (c.flags.stored & ~mask) | ((c.regs[EAX] >>> 8) & mask);
                break;
            }
            case Op.LAHF:
                c.setReg(1, 4, c.flags.get() & 0xFF);  // AH
                break;
            case Op.MOVS:
                if (!StringOps.movs(c, i)) {
                    return;  // a long REP continues in the next step
                }
                break;
            case Op.CMPS:
                if (!StringOps.cmps(c, i)) {
                    return;  // a long REP continues in the next step
                }
                break;
            case Op.STOS:
                if (!StringOps.stos(c, i)) {
                    return;  // a long REP continues in the next step
                }
                break;
            case Op.LODS:
                if (!StringOps.lods(c, i)) {
                    return;  // a long REP continues in the next step
                }
                break;
            case Op.SCAS:
                if (!StringOps.scas(c, i)) {
                    return;  // a long REP continues in the next step
                }
                break;
            case Op.RET_NEAR: {
                int target = c.pop(i.size);
                c.setSp(c.sp() + i.imm);
                c.jump(target, i.size);
                return;
            }
            case Op.RET_FAR:
                Transfers.retFar(c, i.size, i.imm);
                return;
            case Op.LOAD_FAR_PTR:
                Segments.loadFarPointer(c, i);
                break;
            case Op.ENTER:
                StackOps.enter(c, i.size, i.imm, i.imm2 & 31);
                break;
            case Op.LEAVE:
                StackOps.leave(c, i.size);
                break;
            case Op.INT3:
                c.softwareInterrupt(Vectors.BP, next);
                return;
            case Op.INT_I:
                c.softwareInterrupt(i.imm & 0xFF, next);
                return;
            case Op.INTO:
                if (c.flags.of()) {
                    c.softwareInterrupt(Vectors.OF, next);
                    return;
                }
                break;
            case Op.INT1:
                // ICEBP raises #DB as hardware does: no gate DPL check, and EXT set in error codes
                // (SDM Vol. 2A "INT n/INTO/INT3/INT1", Vol. 3A §6.13).
                c.eip = next;
                c.raise(Vectors.DB, GuestFault.NO_ERROR_CODE, ExceptionEvent.Kind.EXCEPTION);
                return;
            case Op.IRET:
                Transfers.iret(c, i.size, next);
                return;
            case Op.AAM:
                Bcd.aam(c, i.imm);
                break;
            case Op.AAD:
                Bcd.aad(c, i.imm);
                break;
            case Op.DAA:
                Bcd.daa(c);
                break;
            case Op.DAS:
                Bcd.das(c);
                break;
            case Op.AAA:
                Bcd.aaa(c);
                break;
            case Op.AAS:
                Bcd.aas(c);
                break;
            case Op.SALC:
                c.setReg(1, EAX, c.flags.cf() ? 0xFF : 0);
                break;
            case Op.XLAT: {
                int offset = (i.a32 ? c.regs[EBX] : c.regs[EBX] & 0xFFFF) + (c.regs[EAX] & 0xFF);
                c.setReg(1, EAX, c.mmu.read8(i.seg, i.a32 ? offset : offset & 0xFFFF));
                break;
            }
            case Op.ESC:
                // No x87 here: with EM or TS set the escape is #NM, as the OS expects; without
                // either, the missing coprocessor is reported as #NM too (SDM Vol. 3A §2.5).
                throw new GuestFault(Vectors.NM, GuestFault.NO_ERROR_CODE);
            case Op.LOOPNE: case Op.LOOPE: case Op.LOOP: case Op.JCXZ:
                if (Transfers.loop(c, i)) {
                    c.jump(next + i.imm, i.size);
                    return;
                }
                break;
            case Op.IN_I:
                SystemOps.in(c, i.size, i.imm);
                break;
            case Op.OUT_I:
                SystemOps.out(c, i.size, i.imm);
                break;
            case Op.IN_DX:
                SystemOps.in(c, i.size, c.regs[EDX] & 0xFFFF);
                break;
            case Op.OUT_DX:
                SystemOps.out(c, i.size, c.regs[EDX] & 0xFFFF);
                break;
            case Op.CALL_REL:
                c.push(i.size, next);
                c.jump(next + i.imm, i.size);
                return;
            case Op.JMP_REL:
                c.jump(next + i.imm, i.size);
                return;
            case Op.JMP_FAR:
                Transfers.jmpFar(c, i.imm2, i.imm, i.size, next);
                return;
            case Op.HLT:
                SystemOps.hlt(c);
                break;
            case Op.CMC:
                c.flags.setBit(Eflags.CF, !c.flags.cf());
                break;
            case Op.NOT:
                c.writeRM(i, ~c.readRM(i));
                break;
            case Op.NEG:
                Alu.neg(c, i);
                break;
            case Op.MUL:
                MulDiv.mul(c, i.size, c.readRM(i));
                break;
            case Op.IMUL_RM:
                MulDiv.imul(c, i.size, c.readRM(i));
                break;
            case Op.DIV:
                MulDiv.div(c, i.size, c.readRM(i));
                break;
            case Op.IDIV:
                MulDiv.idiv(c, i.size, c.readRM(i));
                break;
            case Op.CLC:
                c.flags.setBit(Eflags.CF, false);
                break;
            case Op.STC:
                c.flags.setBit(Eflags.CF, true);
                break;
            case Op.CLI:
                SystemOps.cli(c);
                break;
            case Op.STI:
                SystemOps.sti(c);
                break;
            case Op.CLD:
                c.flags.stored &= ~Eflags.DF;
                break;
            case Op.STD:
                c.flags.stored |= Eflags.DF;
                break;
            case Op.CALL_RM: {
                int target = c.readRM(i);
                c.push(i.size, next);
                c.jump(target, i.size);
                return;
            }
            case Op.CALL_FAR_M: {
                FarPointer p = FarPointer.read(c, i);
                Transfers.callFar(c, p.selector(), p.offset(), i.size, next);
                return;
            }
            case Op.JMP_RM:
                c.jump(c.readRM(i), i.size);
                return;
            case Op.JMP_FAR_M: {
                FarPointer p = FarPointer.read(c, i);
                Transfers.jmpFar(c, p.selector(), p.offset(), i.size, next);
                return;
            }
            default:
                TwoByteInterpreter.execute(c, i, next);
                return;
        }
        c.eip = next;
    }
}
