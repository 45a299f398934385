package dev.vwb.machine.cpu;

import static dev.vwb.machine.cpu.Op.FN_ADC;
import static dev.vwb.machine.cpu.Op.FN_ADD;
import static dev.vwb.machine.cpu.Op.FN_AND;
import static dev.vwb.machine.cpu.Op.FN_CMP;
import static dev.vwb.machine.cpu.Op.FN_OR;
import static dev.vwb.machine.cpu.Op.FN_SBB;
import static dev.vwb.machine.cpu.Op.FN_SUB;
import static dev.vwb.machine.cpu.Op.FN_XOR;

/**
 * Chooses a {@link FastPath} for the instruction forms that dominate 32-bit compiled code:
 * ALU ops and MOVs between 32-bit registers, memory and immediates, INC/DEC, PUSH/POP, LEA,
 * TEST, and the near branches. Everything else (and every 8- and 16-bit form) takes the generic
 * {@link Interpreter}. Each fast path calls a small kernel with a constant ALU function, so the
 * JIT folds the function away.
 */
final class FastPaths {
    private FastPaths() {
    }

    /** The fast path for a decoded instruction, or null when the generic interpreter handles it. */
    static FastPath select(Insn i) {
        int op = i.op;
        if (op == Op.NOP) {
            return NOP;
        }
        boolean d32 = i.size == 4;
        if (op < Op.ROT && d32) {
            int fn = op & 7;
            int slot = slot(fn);
            if (op < Op.ALU_R_RM) {               // r/m32 op= r32
                if (!i.mem) {
                    i.dst = i.rm;
                    i.src = i.reg;
                    return REG_REG[slot];
                }
                i.src = i.reg;
                return MEM_REG[slot];
            } else if (op < Op.ALU_A_I) {         // r32 op= r/m32
                i.dst = i.reg;
                if (!i.mem) {
                    i.src = i.rm;
                    return REG_REG[slot];
                }
                return REG_MEM[slot];
            } else if (op < Op.ALU_RM_I) {        // EAX op= imm32
                i.dst = Cpu.EAX;
                return REG_IMM[slot];
            } else if (!i.mem) {                  // r32 op= imm
                i.dst = i.rm;
                return REG_IMM[slot];
            }
            return null;
        }
        if (!d32) {
            return i.size == 1 ? selectByte(i) : null;
        }
        if (op >= Op.ROT && op < Op.ROT + 8 && !i.mem) {
            // The count is fixed at decode time: imm8 (C1), 1 (D1), or -1 for CL (D3).
            i.src = i.opcode == 0xD3 ? -1 : i.opcode == 0xD1 ? 1 : i.imm & 0x1F;
            i.dst = i.rm;
            return SHIFT_REG[op - Op.ROT];
        }
        switch (op) {
            case Op.MOV_RM_R:
                if (i.mem) {
                    return MOV_MEM_REG;
                }
                i.dst = i.rm;
                i.src = i.reg;
                return MOV_REG_REG;
            case Op.MOV_R_RM:
                if (i.mem) {
                    return MOV_REG_MEM;
                }
                i.dst = i.reg;
                i.src = i.rm;
                return MOV_REG_REG;
            case Op.MOV_R_I:
                return MOV_REG_IMM;
            case Op.MOV_RM_I:
                return i.mem ? MOV_MEM_IMM : null;
            case Op.INC_R:
                return INC_REG;
            case Op.DEC_R:
                return DEC_REG;
            case Op.PUSH_R:
                return PUSH_REG;
            case Op.POP_R:
                return POP_REG;
            case Op.LEA:
                return LEA;
            case Op.TEST_RM_R:
                return i.mem ? null : TEST_REG_REG;
            case Op.JCC:
                return JCC;
            case Op.JMP_REL:
                return JMP;
            case Op.CALL_REL:
                return CALL;
            case Op.RET_NEAR:
                return i.imm == 0 ? RET : null;
            case Op.IMUL_R_RM_I:
                return IMUL_IMM;
            case Op.IMUL_R_RM:
                return IMUL_REG;
            case Op.MOVZX:
            case Op.MOVSX:
                return EXTEND;
            case Op.INC_RM:
            case Op.DEC_RM:
                return i.mem ? INC_DEC_MEM : null;
            case Op.LOOP:
                return i.a32 ? LOOP : null;
            default:
                return null;
        }
    }

    /** Fast paths for 8-bit forms that compiled code uses in its inner loops. */
    private static FastPath selectByte(Insn i) {
        return i.op == Op.SETCC ? SETCC : null;
    }

    private static int slot(int fn) {
        switch (fn) {
            case FN_ADD: return 0;
            case FN_OR: return 1;
            case FN_AND: return 2;
            case FN_SUB: return 3;
            case FN_XOR: return 4;
            case FN_CMP: return 5;
            case FN_ADC: return 6;
            default: return 7;  // FN_SBB
        }
    }

    // ---- kernels: the constant fn makes the JIT fold each into straight-line code ---------------

    static int alu(Flags f, int fn, int a, int b) {
        int r;
        switch (fn) {
            case FN_ADD:
                r = a + b;
                f.set(Flags.ADD, 32, a, b, r);
                return r;
            case FN_OR:
                r = a | b;
                f.set(Flags.LOGIC, 32, a, b, r);
                return r;
            case FN_AND:
                r = a & b;
                f.set(Flags.LOGIC, 32, a, b, r);
                return r;
            case FN_XOR:
                r = a ^ b;
                f.set(Flags.LOGIC, 32, a, b, r);
                return r;
            case FN_ADC: {
                int cin = f.cf() ? 1 : 0;
                r = a + b + cin;
                f.setWithCarry(Flags.ADC, 32, a, b, r, cin);
                return r;
            }
            case FN_SBB: {
                int cin = f.cf() ? 1 : 0;
                r = a - b - cin;
                f.setWithCarry(Flags.SBB, 32, a, b, r, cin);
                return r;
            }
            default: // SUB, CMP
                r = a - b;
                f.set(Flags.SUB, 32, a, b, r);
                return r;
        }
    }

    private static void regReg(Cpu c, Insn i, int fn) {
        Kernels.aluRR(c, fn, i.dst, i.src, i.length);
    }

    private static void regMem(Cpu c, Insn i, int fn) {
        Kernels.aluRM(c, fn, i.dst, i.seg, i.base, i.index, i.scale, i.disp, i.a32 ? 1 : 0, i.length);
    }

    private static void memReg(Cpu c, Insn i, int fn) {
        Kernels.aluMR(c, fn, i.src, i.seg, i.base, i.index, i.scale, i.disp, i.a32 ? 1 : 0, i.length);
    }

    private static void regImm(Cpu c, Insn i, int fn) {
        Kernels.aluRI(c, fn, i.dst, i.imm, i.length);
    }

    static void regRegAdd(Cpu c, Insn i) {
        regReg(c, i, FN_ADD);
    }
    static void regRegOr(Cpu c, Insn i) {
        regReg(c, i, FN_OR);
    }
    static void regRegAnd(Cpu c, Insn i) {
        regReg(c, i, FN_AND);
    }
    static void regRegSub(Cpu c, Insn i) {
        regReg(c, i, FN_SUB);
    }
    static void regRegXor(Cpu c, Insn i) {
        regReg(c, i, FN_XOR);
    }
    static void regRegCmp(Cpu c, Insn i) {
        regReg(c, i, FN_CMP);
    }
    static void regRegAdc(Cpu c, Insn i) {
        regReg(c, i, FN_ADC);
    }
    static void regRegSbb(Cpu c, Insn i) {
        regReg(c, i, FN_SBB);
    }
    static void regMemAdd(Cpu c, Insn i) {
        regMem(c, i, FN_ADD);
    }
    static void regMemOr(Cpu c, Insn i) {
        regMem(c, i, FN_OR);
    }
    static void regMemAnd(Cpu c, Insn i) {
        regMem(c, i, FN_AND);
    }
    static void regMemSub(Cpu c, Insn i) {
        regMem(c, i, FN_SUB);
    }
    static void regMemXor(Cpu c, Insn i) {
        regMem(c, i, FN_XOR);
    }
    static void regMemCmp(Cpu c, Insn i) {
        regMem(c, i, FN_CMP);
    }
    static void regMemAdc(Cpu c, Insn i) {
        regMem(c, i, FN_ADC);
    }
    static void regMemSbb(Cpu c, Insn i) {
        regMem(c, i, FN_SBB);
    }
    static void memRegAdd(Cpu c, Insn i) {
        memReg(c, i, FN_ADD);
    }
    static void memRegOr(Cpu c, Insn i) {
        memReg(c, i, FN_OR);
    }
    static void memRegAnd(Cpu c, Insn i) {
        memReg(c, i, FN_AND);
    }
    static void memRegSub(Cpu c, Insn i) {
        memReg(c, i, FN_SUB);
    }
    static void memRegXor(Cpu c, Insn i) {
        memReg(c, i, FN_XOR);
    }
    static void memRegCmp(Cpu c, Insn i) {
        memReg(c, i, FN_CMP);
    }
    static void memRegAdc(Cpu c, Insn i) {
        memReg(c, i, FN_ADC);
    }
    static void memRegSbb(Cpu c, Insn i) {
        memReg(c, i, FN_SBB);
    }
    static void regImmAdd(Cpu c, Insn i) {
        regImm(c, i, FN_ADD);
    }
    static void regImmOr(Cpu c, Insn i) {
        regImm(c, i, FN_OR);
    }
    static void regImmAnd(Cpu c, Insn i) {
        regImm(c, i, FN_AND);
    }
    static void regImmSub(Cpu c, Insn i) {
        regImm(c, i, FN_SUB);
    }
    static void regImmXor(Cpu c, Insn i) {
        regImm(c, i, FN_XOR);
    }
    static void regImmCmp(Cpu c, Insn i) {
        regImm(c, i, FN_CMP);
    }
    static void regImmAdc(Cpu c, Insn i) {
        regImm(c, i, FN_ADC);
    }
    static void regImmSbb(Cpu c, Insn i) {
        regImm(c, i, FN_SBB);
    }

    // One fast path per (form, function), in slot order ADD OR AND SUB XOR CMP ADC SBB.
    private static final FastPath[] REG_REG = {
        new FastPath(false, "regRegAdd") { void run(Cpu c, Insn i) { regRegAdd(c, i); } },
        new FastPath(false, "regRegOr") { void run(Cpu c, Insn i) { regRegOr(c, i); } },
        new FastPath(false, "regRegAnd") { void run(Cpu c, Insn i) { regRegAnd(c, i); } },
        new FastPath(false, "regRegSub") { void run(Cpu c, Insn i) { regRegSub(c, i); } },
        new FastPath(false, "regRegXor") { void run(Cpu c, Insn i) { regRegXor(c, i); } },
        new FastPath(false, "regRegCmp") { void run(Cpu c, Insn i) { regRegCmp(c, i); } },
        new FastPath(false, "regRegAdc") { void run(Cpu c, Insn i) { regRegAdc(c, i); } },
        new FastPath(false, "regRegSbb") { void run(Cpu c, Insn i) { regRegSbb(c, i); } },
    };
    private static final FastPath[] REG_MEM = {
        new FastPath(false, "regMemAdd") { void run(Cpu c, Insn i) { regMemAdd(c, i); } },
        new FastPath(false, "regMemOr") { void run(Cpu c, Insn i) { regMemOr(c, i); } },
        new FastPath(false, "regMemAnd") { void run(Cpu c, Insn i) { regMemAnd(c, i); } },
        new FastPath(false, "regMemSub") { void run(Cpu c, Insn i) { regMemSub(c, i); } },
        new FastPath(false, "regMemXor") { void run(Cpu c, Insn i) { regMemXor(c, i); } },
        new FastPath(false, "regMemCmp") { void run(Cpu c, Insn i) { regMemCmp(c, i); } },
        new FastPath(false, "regMemAdc") { void run(Cpu c, Insn i) { regMemAdc(c, i); } },
        new FastPath(false, "regMemSbb") { void run(Cpu c, Insn i) { regMemSbb(c, i); } },
    };
    private static final FastPath[] MEM_REG = {
        new FastPath(false, "memRegAdd") { void run(Cpu c, Insn i) { memRegAdd(c, i); } },
        new FastPath(false, "memRegOr") { void run(Cpu c, Insn i) { memRegOr(c, i); } },
        new FastPath(false, "memRegAnd") { void run(Cpu c, Insn i) { memRegAnd(c, i); } },
        new FastPath(false, "memRegSub") { void run(Cpu c, Insn i) { memRegSub(c, i); } },
        new FastPath(false, "memRegXor") { void run(Cpu c, Insn i) { memRegXor(c, i); } },
        new FastPath(false, "memRegCmp") { void run(Cpu c, Insn i) { memRegCmp(c, i); } },
        new FastPath(false, "memRegAdc") { void run(Cpu c, Insn i) { memRegAdc(c, i); } },
        new FastPath(false, "memRegSbb") { void run(Cpu c, Insn i) { memRegSbb(c, i); } },
    };
    private static final FastPath[] REG_IMM = {
        new FastPath(false, "regImmAdd") { void run(Cpu c, Insn i) { regImmAdd(c, i); } },
        new FastPath(false, "regImmOr") { void run(Cpu c, Insn i) { regImmOr(c, i); } },
        new FastPath(false, "regImmAnd") { void run(Cpu c, Insn i) { regImmAnd(c, i); } },
        new FastPath(false, "regImmSub") { void run(Cpu c, Insn i) { regImmSub(c, i); } },
        new FastPath(false, "regImmXor") { void run(Cpu c, Insn i) { regImmXor(c, i); } },
        new FastPath(false, "regImmCmp") { void run(Cpu c, Insn i) { regImmCmp(c, i); } },
        new FastPath(false, "regImmAdc") { void run(Cpu c, Insn i) { regImmAdc(c, i); } },
        new FastPath(false, "regImmSbb") { void run(Cpu c, Insn i) { regImmSbb(c, i); } },
    };

    static void movRegReg(Cpu c, Insn i) {
        Kernels.movRR(c, i.dst, i.src, i.length);
    }

    private static final FastPath MOV_REG_REG = new FastPath(false, "movRegReg") {
        void run(Cpu c, Insn i) {
            movRegReg(c, i);
        }
    };
    static void movRegMem(Cpu c, Insn i) {
        Kernels.movRM(c, i.reg, i.seg, i.base, i.index, i.scale, i.disp, i.a32 ? 1 : 0, i.length);
    }

    private static final FastPath MOV_REG_MEM = new FastPath(false, "movRegMem") {
        void run(Cpu c, Insn i) {
            movRegMem(c, i);
        }
    };
    static void movMemReg(Cpu c, Insn i) {
        Kernels.movMR(c, i.reg, i.seg, i.base, i.index, i.scale, i.disp, i.a32 ? 1 : 0, i.length);
    }

    private static final FastPath MOV_MEM_REG = new FastPath(false, "movMemReg") {
        void run(Cpu c, Insn i) {
            movMemReg(c, i);
        }
    };
    static void movRegImm(Cpu c, Insn i) {
        Kernels.movRI(c, i.reg, i.imm, i.length);
    }

    private static final FastPath MOV_REG_IMM = new FastPath(false, "movRegImm") {
        void run(Cpu c, Insn i) {
            movRegImm(c, i);
        }
    };
    static void movMemImm(Cpu c, Insn i) {
        Kernels.movMI(c, i.imm, i.seg, i.base, i.index, i.scale, i.disp, i.a32 ? 1 : 0, i.length);
    }

    private static final FastPath MOV_MEM_IMM = new FastPath(false, "movMemImm") {
        void run(Cpu c, Insn i) {
            movMemImm(c, i);
        }
    };
    static void incReg(Cpu c, Insn i) {
        Kernels.incDec(c, 1, i.reg, i.length);
    }

    private static final FastPath INC_REG = new FastPath(false, "incReg") {
        void run(Cpu c, Insn i) {
            incReg(c, i);
        }
    };
    static void decReg(Cpu c, Insn i) {
        Kernels.incDec(c, 0, i.reg, i.length);
    }

    private static final FastPath DEC_REG = new FastPath(false, "decReg") {
        void run(Cpu c, Insn i) {
            decReg(c, i);
        }
    };
    static void pushReg(Cpu c, Insn i) {
        Kernels.push(c, i.reg, i.length);
    }

    private static final FastPath PUSH_REG = new FastPath(false, "pushReg") {
        void run(Cpu c, Insn i) {
            pushReg(c, i);
        }
    };
    static void popReg(Cpu c, Insn i) {
        Kernels.pop(c, i.reg, i.length);
    }

    private static final FastPath POP_REG = new FastPath(false, "popReg") {
        void run(Cpu c, Insn i) {
            popReg(c, i);
        }
    };
    static void lea(Cpu c, Insn i) {
        Kernels.lea(c, i.reg, i.base, i.index, i.scale, i.disp, i.a32 ? 1 : 0, i.length);
    }

    private static final FastPath LEA = new FastPath(false, "lea") {
        void run(Cpu c, Insn i) {
            lea(c, i);
        }
    };
    static void testRegReg(Cpu c, Insn i) {
        Kernels.test(c, i.rm, i.reg, i.length);
    }

    private static final FastPath TEST_REG_REG = new FastPath(false, "testRegReg") {
        void run(Cpu c, Insn i) {
            testRegReg(c, i);
        }
    };
    static void jcc(Cpu c, Insn i) {
        Kernels.jcc(c, i.cc, i.length, i.imm);
    }

    private static final FastPath JCC = new FastPath(true, "jcc") {
        void run(Cpu c, Insn i) {
            jcc(c, i);
        }
    };
    static void jmp(Cpu c, Insn i) {
        Kernels.jmp(c, i.length, i.imm);
    }

    private static final FastPath JMP = new FastPath(true, "jmp") {
        void run(Cpu c, Insn i) {
            jmp(c, i);
        }
    };
    static void call(Cpu c, Insn i) {
        Kernels.call(c, i.length, i.imm);
    }

    private static final FastPath CALL = new FastPath(true, "call") {
        void run(Cpu c, Insn i) {
            call(c, i);
        }
    };
    static void ret(Cpu c, Insn i) {
        Kernels.ret(c);
    }

    private static final FastPath RET = new FastPath(true, "ret") {
        void run(Cpu c, Insn i) {
            ret(c, i);
        }
    };

    private static void shiftReg(Cpu c, Insn i, int fn) {
        Kernels.shift(c, fn, i.dst, i.src, i.length);
    }

    static void shiftRegRol(Cpu c, Insn i) {
        shiftReg(c, i, 0);
    }

    static void shiftRegRor(Cpu c, Insn i) {
        shiftReg(c, i, 1);
    }

    static void shiftRegRcl(Cpu c, Insn i) {
        shiftReg(c, i, 2);
    }

    static void shiftRegRcr(Cpu c, Insn i) {
        shiftReg(c, i, 3);
    }

    static void shiftRegShl(Cpu c, Insn i) {
        shiftReg(c, i, 4);
    }

    static void shiftRegShr(Cpu c, Insn i) {
        shiftReg(c, i, 5);
    }

    static void shiftRegSal(Cpu c, Insn i) {
        shiftReg(c, i, 6);
    }

    static void shiftRegSar(Cpu c, Insn i) {
        shiftReg(c, i, 7);
    }

    // One per shift function (ROL ROR RCL RCR SHL SHR SAL SAR), so the JIT folds the function away.
    private static final FastPath[] SHIFT_REG = {
        new FastPath(false, "shiftRegRol") { void run(Cpu c, Insn i) { shiftRegRol(c, i); } },
        new FastPath(false, "shiftRegRor") { void run(Cpu c, Insn i) { shiftRegRor(c, i); } },
        new FastPath(false, "shiftRegRcl") { void run(Cpu c, Insn i) { shiftRegRcl(c, i); } },
        new FastPath(false, "shiftRegRcr") { void run(Cpu c, Insn i) { shiftRegRcr(c, i); } },
        new FastPath(false, "shiftRegShl") { void run(Cpu c, Insn i) { shiftRegShl(c, i); } },
        new FastPath(false, "shiftRegShr") { void run(Cpu c, Insn i) { shiftRegShr(c, i); } },
        new FastPath(false, "shiftRegSal") { void run(Cpu c, Insn i) { shiftRegSal(c, i); } },
        new FastPath(false, "shiftRegSar") { void run(Cpu c, Insn i) { shiftRegSar(c, i); } },
    };
    static void imulImm(Cpu c, Insn i) {
        MulDiv.imul3(c, i, c.readRM(i), i.imm);
        c.eip += i.length;
    }

    private static final FastPath IMUL_IMM = new FastPath(false, "imulImm") {
        void run(Cpu c, Insn i) {
            imulImm(c, i);
        }
    };
    static void imulReg(Cpu c, Insn i) {
        MulDiv.imul3(c, i, c.readRM(i), c.regs[i.reg]);
        c.eip += i.length;
    }

    private static final FastPath IMUL_REG = new FastPath(false, "imulReg") {
        void run(Cpu c, Insn i) {
            imulReg(c, i);
        }
    };
    static void extend(Cpu c, Insn i) {
        c.regs[i.reg] = TwoByteInterpreter.extended(c, i);
        c.eip += i.length;
    }

    private static final FastPath EXTEND = new FastPath(false, "extend") {
        void run(Cpu c, Insn i) {
            extend(c, i);
        }
    };
    static void incDecMem(Cpu c, Insn i) {
        Kernels.incDecM(c, i.op == Op.INC_RM ? 1 : 0, i.seg, i.base, i.index, i.scale, i.disp, i.a32 ? 1 : 0, i.length);
    }

    private static final FastPath INC_DEC_MEM = new FastPath(false, "incDecMem") {
        void run(Cpu c, Insn i) {
            incDecMem(c, i);
        }
    };
    static void loop(Cpu c, Insn i) {
        Kernels.loop(c, i.length, i.imm);
    }

    private static final FastPath LOOP = new FastPath(true, "loop") {
        void run(Cpu c, Insn i) {
            loop(c, i);
        }
    };
    static void setcc(Cpu c, Insn i) {
        c.writeRM(i, c.flags.condition(i.cc) ? 1 : 0);
        c.eip += i.length;
    }

    private static final FastPath SETCC = new FastPath(false, "setcc") {
        void run(Cpu c, Insn i) {
            setcc(c, i);
        }
    };
    static void nop(Cpu c, Insn i) {
        Kernels.nop(c, i.length);
    }

    private static final FastPath NOP = new FastPath(false, "nop") {
        void run(Cpu c, Insn i) {
            nop(c, i);
        }
    };

    /** Whether a fast path may write guest memory (and so may hit decoded code). Null (generic) counts as yes. */
    static boolean writesMemory(FastPath p) {
        if (p == null) {
            return true;
        }
        String k = p.kernel;
        return k.startsWith("memReg") || k.equals("movMemReg") || k.equals("movMemImm") || k.equals("pushReg")
                || k.equals("call") || k.equals("incDecMem") || k.equals("setcc");
    }
}
