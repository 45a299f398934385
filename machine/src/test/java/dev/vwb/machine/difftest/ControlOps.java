package dev.vwb.machine.difftest;

import static dev.vwb.machine.difftest.CaseBuilder.ECX;
import static dev.vwb.machine.difftest.OpTable.REAL_ONLY;
import static dev.vwb.machine.difftest.OpTable.TERMINAL;
import static dev.vwb.machine.difftest.OpTable.hex;
import static dev.vwb.machine.difftest.OpTable.hex0f;

import dev.vwb.machine.difftest.CaseBuilder.Emitted;
import dev.vwb.machine.difftest.CaseBuilder.Operand;
import dev.vwb.machine.difftest.CaseBuilder.Reg;

/**
 * Control transfers, built as small self-contained patterns that always come back to straight-line
 * code (so every case ends at its endEip in the initial CS):
 * <ul>
 *   <li>Jcc / LOOPcc / JCXZ over one "filler" instruction, so taken and not taken are both visible;
 *       the generator's model joins both paths.</li>
 *   <li>JMP over junk (INT3 bytes: executing them would show up as vector 3).</li>
 *   <li>{@code CALL T; JMP X; T: RET [n]; X:}, {@code CALL T; junk; T: POP r}, {@code PUSH X; RET; junk; X:},
 *       the same with indirect CALL/JMP through a register or a memory slot.</li>
 *   <li>Real mode far transfers to CS:IP pairs that alias the same linear code (another CS value),
 *       returning with RETF [n]; IRET after pushing FLAGS, CS and IP.</li>
 *   <li>Backward LOOP over a short body with a small count.</li>
 * </ul>
 */
final class ControlOps {

    private ControlOps() {
    }

    static void register(OpTable t) {
        for (int cc = 0; cc < 16; cc++) {
            int c = cc;
            t.add(hex(0x70 + cc), 0, Flags.readBy(cc), b -> jcc(b, c, false));
            t.add(hex0f(0x80 + cc), 0, Flags.readBy(cc), b -> jcc(b, c, true));
        }
        t.add("EB", 0, 0, b -> jmp(b, false));
        t.add("E9", 0, 0, b -> jmp(b, true));
        t.add("E8", 0, 0, b -> {
            if (b.chance(60)) {
                callRet(b, b.chance(30) ? 0xC2 : 0xC3);
            } else {
                callPop(b);
            }
        });
        t.add("C3", 0, 0, b -> {
            if (b.chance(50)) {
                callRet(b, 0xC3);
            } else {
                pushRet(b, 0xC3);
            }
        });
        t.add("C2", 0, 0, b -> {
            if (b.chance(50)) {
                callRet(b, 0xC2);
            } else {
                pushRet(b, 0xC2);
            }
        });
        t.add("E0", 0, Flags.ZF, b -> loop(b, 0xE0));
        t.add("E1", 0, Flags.ZF, b -> loop(b, 0xE1));
        t.add("E2", 0, 0, b -> loop(b, 0xE2));
        t.add("E3", 0, 0, b -> loop(b, 0xE3));
        t.add("FF/2", 0, 0, b -> indirect(b, true));
        t.add("FF/4", 0, 0, b -> indirect(b, false));

        t.add("9A", REAL_ONLY, 0, b -> farCall(b, false, b.chance(30)));
        t.add("FF/3", REAL_ONLY, 0, b -> farCall(b, true, b.chance(30)));
        t.add("CA", REAL_ONLY, 0, b -> {
            if (b.chance(50)) {
                farCall(b, b.chance(50), true);
            } else {
                farJump(b, b.chance(50), true);
            }
        });
        t.add("CB", REAL_ONLY, 0, b -> {
            if (b.chance(50)) {
                farCall(b, b.chance(50), false);
            } else {
                farJump(b, b.chance(50), false);
            }
        });
        t.add("EA", REAL_ONLY, 0, b -> farJump(b, false, b.chance(30)));
        t.add("FF/5", REAL_ONLY, 0, b -> farJump(b, true, b.chance(30)));
        t.add("CF", REAL_ONLY, 0, ControlOps::iret);

        t.add("CC", TERMINAL, 0, b -> {
            b.mayStop();
            b.insn("CC").op(0xCC).emit();
        });
        t.add("CD", TERMINAL, 0, b -> {
            b.mayStop();
            int vector = b.pick(256);
            if (vector == 6) {
                vector = 0x21;  // Unicorn reports INT 6 as an invalid opcode (UNICORN-DIFFERENCES.md #19)
            }
            b.insn("CD").op(0xCD).imm(vector, 1).emit();
        });
        t.add("CE", 0, Flags.OF, b -> {                        // INTO: vector 4 only when OF = 1
            b.mayStop();
            b.insn("CE").op(0xCE).emit();
        });
        t.add("62", 0, 0, ControlOps::bound);
        t.add("0F 0B", TERMINAL, 0, b -> {                      // UD2: a deliberate #UD
            b.mayStop();
            b.insn("0F 0B").op(0x0F, 0x0B).emit();
        });
    }

    /** Operand size of a near transfer: mostly the default. 66 in flat mode truncates EIP to 16 bits, harmless here. */
    private static int branchSize(CaseBuilder b) {
        return b.chance(85) ? b.defaultSize() : 48 - b.defaultSize();
    }

    private static int relBytes(int bits) {
        return bits / 8;
    }

    /** Emits a filler the preceding conditional branch may skip, patches the branch and joins both paths. */
    private static void skipOne(CaseBuilder b, Emitted branch, int relBytes) {
        GenState taken = b.st.copy();
        b.filler();
        b.patchRel(branch, relBytes, b.pos());
        b.st.merge(taken);
    }

    private static void jcc(CaseBuilder b, int cc, boolean near) {
        Emitted j;
        if (near) {
            int bits = branchSize(b);
            j = b.insn(hex0f(0x80 + cc)).size(bits).op(0x0F, 0x80 + cc).imm(0, relBytes(bits)).emit();
            skipOne(b, j, relBytes(bits));
        } else {
            j = b.insn(hex(0x70 + cc)).size(b.chance(90) ? b.defaultSize() : 48 - b.defaultSize())
                    .op(0x70 + cc).imm(0, 1).emit();
            skipOne(b, j, 1);
        }
    }

    private static void jmp(CaseBuilder b, boolean near) {
        int bits = branchSize(b);
        int rel = near ? relBytes(bits) : 1;
        Emitted j = b.insn(near ? "E9" : "EB").size(bits).op(near ? 0xE9 : 0xEB).imm(0, rel).emit();
        b.junk();
        b.patchRel(j, rel, b.pos());
    }

    /** [PUSH args]; CALL T; JMP X; T: RET [n]; X: */
    private static void callRet(CaseBuilder b, int retOpcode) {
        int bits = branchSize(b);
        int w = bits / 8;
        int args = retOpcode == 0xC2 ? b.pick(4) : 0;
        int imm = retOpcode == 0xC2 ? (b.chance(80) ? args * w : b.pick(5) * 2) : 0;
        b.ensureStack((args + 1) * w + 8, imm + 0x10);
        for (int i = 0; i < args; i++) {
            StackOps.pushImmediate(b, bits, b.edge(bits));
        }
        Emitted call = b.insn("E8").size(bits).op(0xE8).imm(0, relBytes(bits)).emit();
        b.pushed(w);
        Emitted jmp = b.insn("EB").op(0xEB).imm(0, 1).emit();
        int target = b.pos();
        if (retOpcode == 0xC2) {
            b.insn("C2").size(bits).op(0xC2).imm(imm, 2).emit();
        } else {
            b.insn("C3").size(bits).op(0xC3).emit();
        }
        b.popped(w + imm);
        b.patchRel(call, relBytes(bits), target);
        b.patchRel(jmp, 1, b.pos());
    }

    /** CALL T; junk; T: POP r — r receives the return address. */
    private static void callPop(CaseBuilder b) {
        int bits = branchSize(b);
        int w = bits / 8;
        b.ensureStack(w + 8, w);
        Emitted call = b.insn("E8").size(bits).op(0xE8).imm(0, relBytes(bits)).emit();
        b.pushed(w);
        b.junk();
        b.patchRel(call, relBytes(bits), b.pos());
        int r = b.pickReg(bits, true);
        b.insn(hex(0x58 + r)).size(bits).op(0x58 + r).emit();
        b.popped(w);
        if (bits == 32) {
            b.st.set(r, b.eipOf(call.end()));
        } else {
            b.clobber(r, 16);
        }
    }

    /** [PUSH args]; PUSH X; RET [n]; junk; X: */
    private static void pushRet(CaseBuilder b, int retOpcode) {
        int bits = branchSize(b);
        int w = bits / 8;
        int args = retOpcode == 0xC2 ? b.pick(4) : 0;
        int imm = retOpcode == 0xC2 ? (b.chance(80) ? args * w : b.pick(5) * 2) : 0;
        b.ensureStack((args + 1) * w + 8, imm + 0x10);
        for (int i = 0; i < args; i++) {
            StackOps.pushImmediate(b, bits, b.edge(bits));
        }
        Emitted push = b.insn("68").size(bits).op(0x68).imm(0, w).emit();
        b.pushed(w);
        if (retOpcode == 0xC2) {
            b.insn("C2").size(bits).op(0xC2).imm(imm, 2).emit();
        } else {
            b.insn("C3").size(bits).op(0xC3).emit();
        }
        b.popped(w + imm);
        b.junk();
        b.patch(push.end() - w, b.eipOf(b.pos()), w);
    }

    /**
     * FF/2: CALL r/m → T; JMP X; T: RET; X:   FF/4: JMP r/m → X; junk; X:
     * The target comes from a register (MOV r, imm patched afterwards) or a memory slot.
     */
    private static void indirect(CaseBuilder b, boolean call) {
        int bits = branchSize(b);
        int w = bits / 8;
        if (call) {
            b.ensureStack(w + 8, 0x10);
        }
        int slot = b.chance(50) ? b.slot(new byte[w]) : -1;
        Operand target;
        Emitted mov = null;
        int reg = -1;
        if (slot < 0) {
            reg = b.pickReg(bits, true);
            mov = b.insn(hex(0xB8 + reg)).size(bits).op(0xB8 + reg).imm(0, w).emit();
            b.reserve(reg);
            target = new Reg(reg);
        } else {
            target = b.addr.memAt(slot, w);
        }
        int dest;
        if (call) {
            b.insn("FF/2").size(bits).op(0xFF).modrm(target, 2).emit();
            b.pushed(w);
            Emitted jmp = b.insn("EB").op(0xEB).imm(0, 1).emit();
            dest = b.pos();
            b.insn("C3").size(bits).op(0xC3).emit();
            b.popped(w);
            b.patchRel(jmp, 1, b.pos());
        } else {
            b.insn("FF/4").size(bits).op(0xFF).modrm(target, 4).emit();
            b.junk();
            dest = b.pos();
        }
        int eip = b.eipOf(dest);
        if (mov != null) {
            b.patch(mov.end() - w, eip, w);
            if (bits == 32) {
                b.st.set(reg, eip);
            } else {
                b.clobber(reg, 16);
            }
        } else {
            b.poke(slot, eip, w);
        }
    }

    /**
     * LOOP/LOOPE/LOOPNE/JCXZ forward over a filler (counts often 0..2), or LOOPcc backward over a short
     * register-only body with a count of 1..4. 67 selects CX or ECX.
     */
    private static void loop(CaseBuilder b, int opcode) {
        boolean addr16 = b.real() ? !b.chance(30) : b.chance(30);
        if (opcode != 0xE3 && b.chance(opcode == 0xE2 ? 40 : 25)) {
            backwardLoop(b, opcode, addr16);
            return;
        }
        if (b.chance(50)) {
            int upper = b.rnd.nextInt() & 0xFFFF0000;
            b.setReg(ECX, b.pickInt(0, 1, 2, 0x10000, upper, upper | 1, b.edge(32)), 32);
        }
        int bits = b.chance(90) ? b.defaultSize() : 48 - b.defaultSize();
        Emitted j = b.insn(hex(opcode)).size(bits).addrSize(addr16).op(opcode).imm(0, 1).emit();
        if (opcode != 0xE3 && b.st.known(ECX)) {
            int ecx = b.st.value(ECX);
            b.st.set(ECX, addr16 ? (ecx & 0xFFFF0000) | ((ecx - 1) & 0xFFFF) : ecx - 1);
        } else if (opcode != 0xE3) {
            b.clobber(ECX, 32);
        }
        skipOne(b, j, 1);
    }

    private static void backwardLoop(CaseBuilder b, int opcode, boolean addr16) {
        int count = 1 + b.pick(4);
        int upper = addr16 ? b.rnd.nextInt() & 0xFFFF0000 : 0;
        b.setReg(ECX, upper | count, 32);
        b.reservedMask |= 1 << ECX;
        int top = b.pos();
        loopBody(b);
        Emitted j = b.insn(hex(opcode)).addrSize(addr16).op(opcode).imm(0, 1).emit();
        b.patchRel(j, 1, top);
        b.reservedMask &= ~(1 << ECX);
        if (opcode == 0xE2) {
            b.st.set(ECX, upper);                               // ran to (E)CX = 0
        } else {
            b.clobber(ECX, 32);                                 // LOOPE/LOOPNE may stop early
        }
    }

    /** A body that can run several times: register-only ALU work that ends by defining ZF. */
    private static void loopBody(CaseBuilder b) {
        if (b.chance(40)) {
            int r = b.pickReg(32, true);
            int op = b.pick(3);
            int bits = OpTable.opSize(b);
            switch (op) {
                case 0 -> b.insn(hex(0x40 + r)).size(bits).op(0x40 + r).emit();
                case 1 -> b.insn("F7/2").size(bits).op(0xF7).modrm(new Reg(r), 2).emit();
                default -> b.insn("C1/4").size(bits).op(0xC1).modrm(new Reg(r), 4).imm(1 + b.pick(7), 1).emit();
            }
            b.clobber(r, bits);
            b.flags(op == 0 ? Flags.STATUS & ~Flags.CF : op == 2 ? Flags.STATUS & ~Flags.OF & ~Flags.AF : 0,
                    op == 2 ? Flags.AF | Flags.OF : 0);
        }
        int aluOp = b.pickInt(0, 1, 4, 5, 6, 7);                 // ADD OR AND SUB XOR CMP
        int bits = OpTable.opSize(b);
        int dest = b.pickReg(bits, true);
        if (b.chance(50)) {
            int src = b.pick(8);
            b.insn(hex(aluOp * 8 + 1)).size(bits).op(aluOp * 8 + 1).modrm(new Reg(dest), src).emit();
        } else {
            b.insn("83/" + aluOp).size(bits).op(0x83).modrm(new Reg(dest), aluOp).imm(b.edge(8), 1).emit();
        }
        if (aluOp != 7) {
            b.clobber(dest, bits);
        }
        boolean logic = aluOp == 1 || aluOp == 4 || aluOp == 6;
        b.flags(logic ? Flags.LOGIC : Flags.STATUS, logic ? Flags.AF : 0);
    }

    // ---------------------------------------------------------------- real mode far transfers

    /** A CS value whose base still reaches the code with a 16-bit IP (sometimes the current CS). */
    private static int aliasCs(CaseBuilder b) {
        return b.chance(30) ? b.st.seg[DiffCase.CS] : b.rnd.nextInt(0x101);
    }

    private static int ipFor(int codeOffset, int cs) {
        return Layout.CODE + codeOffset - (cs << 4);
    }

    /** [PUSH args]; CALL FAR alias:T (9A or FF/3 m16:16/32); JMP X; T: RETF [n]; X: */
    private static void farCall(CaseBuilder b, boolean viaMemory, boolean retImm) {
        int bits = branchSize(b);
        int w = bits / 8;
        int slot = -1;
        if (viaMemory) {
            slot = b.slot(new byte[w + 2]);
            if (slot < 0) {
                throw new OpTable.Unavailable();
            }
        }
        int args = retImm ? b.pick(4) : 0;
        int imm = args * w;
        b.ensureStack((args + 2) * w + 8, imm + 0x10);
        for (int i = 0; i < args; i++) {
            StackOps.pushImmediate(b, bits, b.edge(bits));
        }
        int cs = aliasCs(b);
        Emitted call = viaMemory
                ? b.insn("FF/3").size(bits).op(0xFF).modrm(b.addr.memAt(slot, w + 2), 3).emit()
                : b.insn("9A").size(bits).op(0x9A).imm(0, w).imm(cs, 2).emit();
        b.pushed(2 * w);
        Emitted jmp = b.insn("EB").op(0xEB).imm(0, 1).emit();
        int target = b.pos();
        if (retImm) {
            b.insn("CA").size(bits).op(0xCA).imm(imm, 2).emit();
        } else {
            b.insn("CB").size(bits).op(0xCB).emit();
        }
        b.popped(2 * w + imm);
        b.patchRel(jmp, 1, b.pos());
        int ip = ipFor(target, cs);
        if (viaMemory) {
            b.poke(slot, ip, w);
            b.poke(slot + w, cs, 2);
        } else {
            b.patch(call.end() - 2 - w, ip, w);
        }
    }

    /** [PUSH args]; PUSH CS; PUSH X; JMP FAR alias:T (EA or FF/5); junk; T: RETF [n]; X: */
    private static void farJump(CaseBuilder b, boolean viaMemory, boolean retImm) {
        int bits = branchSize(b);                               // RETF (and pushes) operand size
        int w = bits / 8;
        int jumpBits = branchSize(b);
        int jw = jumpBits / 8;
        int slot = -1;
        if (viaMemory) {
            slot = b.slot(new byte[jw + 2]);
            if (slot < 0) {
                throw new OpTable.Unavailable();
            }
        }
        int args = retImm ? b.pick(4) : 0;
        int imm = args * w;
        b.ensureStack((args + 2) * w + 8, imm + 0x10);
        for (int i = 0; i < args; i++) {
            StackOps.pushImmediate(b, bits, b.edge(bits));
        }
        b.insn("0E").size(bits).op(0x0E).emit();
        b.pushed(w);
        Emitted pushX = b.insn("68").size(bits).op(0x68).imm(0, w).emit();
        b.pushed(w);
        int cs = aliasCs(b);
        Emitted jump = viaMemory
                ? b.insn("FF/5").size(jumpBits).op(0xFF).modrm(b.addr.memAt(slot, jw + 2), 5).emit()
                : b.insn("EA").size(jumpBits).op(0xEA).imm(0, jw).imm(cs, 2).emit();
        b.junk();
        int target = b.pos();
        if (retImm) {
            b.insn("CA").size(bits).op(0xCA).imm(imm, 2).emit();
        } else {
            b.insn("CB").size(bits).op(0xCB).emit();
        }
        b.popped(2 * w + imm);
        b.patch(pushX.end() - w, b.eipOf(b.pos()), w);
        int ip = ipFor(target, cs);
        if (viaMemory) {
            b.poke(slot, ip, jw);
            b.poke(slot + jw, cs, 2);
        } else {
            b.patch(jump.end() - 2 - jw, ip, jw);
        }
    }

    /** PUSH flags image; PUSH CS; PUSH X; IRET; junk; X: */
    private static void iret(CaseBuilder b) {
        int bits = branchSize(b);
        int w = bits / 8;
        b.ensureStack(3 * w + 8, 0x10);
        int image = b.randomEflags(true);
        StackOps.pushImmediate(b, bits, bits == 16 ? image & 0xFFFF : image);
        b.insn("0E").size(bits).op(0x0E).emit();
        b.pushed(w);
        Emitted pushX = b.insn("68").size(bits).op(0x68).imm(0, w).emit();
        b.pushed(w);
        b.insn("CF").size(bits).op(0xCF).emit();
        b.popped(3 * w);
        b.junk();
        b.patch(pushX.end() - w, b.eipOf(b.pos()), w);
        b.flags(Flags.STATUS, 0);
        b.st.df = (image & Flags.DF) != 0 ? 1 : 0;
    }

    /** BOUND r, m16&16 / m32&32 with the index in range or not (#BR, vector 5). */
    private static void bound(CaseBuilder b) {
        int bits = OpTable.opSize(b);
        int w = bits / 8;
        long lower = signed(b.edge(bits), bits);
        long upper = signed(b.edge(bits), bits);
        long value = signed(b.edge(bits), bits);
        if (b.chance(55)) {
            if (lower > upper) {
                long t = lower;
                lower = upper;
                upper = t;
            }
            value = lower + (long) (b.rnd.nextDouble() * (upper - lower + 1));
            value = Math.min(value, upper);
        }
        byte[] bounds = new byte[2 * w];
        CaseBuilder.putLe(bounds, 0, (int) lower, w);
        CaseBuilder.putLe(bounds, w, (int) upper, w);
        int slot = b.slot(bounds);
        if (slot < 0) {
            throw new OpTable.Unavailable();
        }
        int r = b.pickReg(bits, true);
        b.setReg(r, (int) value & CaseBuilder.mask(bits), bits);
        b.mayStop();
        b.insn("62").size(bits).op(0x62).modrm(b.addr.memAt(slot, 2 * w), r).emit();
    }

    private static long signed(int value, int bits) {
        return bits == 16 ? (short) value : value;
    }
}
