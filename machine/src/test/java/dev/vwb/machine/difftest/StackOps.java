package dev.vwb.machine.difftest;

import static dev.vwb.machine.difftest.CaseBuilder.EBP;
import static dev.vwb.machine.difftest.CaseBuilder.ESP;
import static dev.vwb.machine.difftest.OpTable.REAL_ONLY;
import static dev.vwb.machine.difftest.OpTable.hex;
import static dev.vwb.machine.difftest.OpTable.opSize;

import dev.vwb.machine.difftest.CaseBuilder.Operand;
import dev.vwb.machine.difftest.CaseBuilder.Reg;

/**
 * Stack instructions: PUSH/POP of registers, immediates, r/m and segment registers, PUSHA/POPA,
 * PUSHF/POPF, ENTER/LEAVE and the far-pointer loads (LDS LES LSS LFS LGS). Every one first makes
 * sure its pushes and pops stay inside the stack block ({@link CaseBuilder#ensureStack}); values
 * popped into segment registers or EFLAGS are pushed by the generator just before, so they are sane.
 */
final class StackOps {

    /** PUSH/POP opcodes for ES CS SS DS FS GS (POP CS does not exist). */
    private static final int[][] SEG_PUSH = {{0x06}, {0x0E}, {0x16}, {0x1E}, {0x0F, 0xA0}, {0x0F, 0xA8}};
    private static final int[][] SEG_POP = {{0x07}, null, {0x17}, {0x1F}, {0x0F, 0xA1}, {0x0F, 0xA9}};

    private StackOps() {
    }

    static void register(OpTable t) {
        for (int r = 0; r < 8; r++) {
            int reg = r;
            t.add(hex(0x50 + r), 0, 0, b -> pushReg(b, reg));
            t.add(hex(0x58 + r), 0, 0, b -> popReg(b, reg));
        }
        t.add("68", 0, 0, b -> pushImm(b, 0x68));
        t.add("6A", 0, 0, b -> pushImm(b, 0x6A));
        t.add("8F/0", 0, 0, StackOps::popRm);
        t.add("FF/6", 0, 0, StackOps::pushRm);
        for (int s = 0; s < 6; s++) {
            int sreg = s;
            t.add(key(SEG_PUSH[s]), 0, 0, b -> pushSeg(b, sreg));
            if (SEG_POP[s] != null) {
                t.add(key(SEG_POP[s]), REAL_ONLY, 0, b -> popSeg(b, sreg));
            }
        }
        t.add("60", 0, 0, StackOps::pusha);
        t.add("61", 0, 0, StackOps::popa);
        t.add("9C", 0, Flags.STATUS, StackOps::pushf);
        t.add("9D", 0, 0, StackOps::popf);
        t.add("C8", 0, 0, StackOps::enter);
        t.add("C9", 0, 0, StackOps::leave);
        t.add("C5", REAL_ONLY, 0, b -> loadFarPointer(b, DiffCase.DS));
        t.add("C4", REAL_ONLY, 0, b -> loadFarPointer(b, DiffCase.ES));
        t.add("0F B2", REAL_ONLY, 0, b -> loadFarPointer(b, DiffCase.SS));
        t.add("0F B4", REAL_ONLY, 0, b -> loadFarPointer(b, DiffCase.FS));
        t.add("0F B5", REAL_ONLY, 0, b -> loadFarPointer(b, DiffCase.GS));
    }

    private static String key(int[] opcode) {
        return opcode.length == 1 ? hex(opcode[0]) : OpTable.hex0f(opcode[1]);
    }

    private static void pushReg(CaseBuilder b, int reg) {
        int bits = opSize(b);
        b.ensureStack(bits / 8, 0);
        if (reg != ESP && b.chance(25) && b.settable(reg)) {
            b.setReg(reg, b.edge(32), 32);
        }
        b.insn(hex(0x50 + reg)).size(bits).op(0x50 + reg).emit();  // PUSH ESP pushes the old value
        b.pushed(bits / 8);
    }

    /** POP r; POP ESP loads ESP from the stack, so a good stack pointer is pushed first. */
    private static void popReg(CaseBuilder b, int reg) {
        int bits = opSize(b);
        int w = bits / 8;
        if (reg == ESP) {
            b.ensureStack(w, w);
            int sp = b.safeStackPointer();
            pushImmediate(b, bits, sp);
            int esp = b.st.value(ESP);
            b.insn("5C").size(bits).op(0x5C).emit();
            b.st.set(ESP, bits == 32 ? sp : (esp & 0xFFFF0000) | (sp & 0xFFFF));
            return;
        }
        b.ensureStack(0, w);
        b.insn(hex(0x58 + reg)).size(bits).op(0x58 + reg).emit();
        b.popped(w);
        b.clobber(reg, bits);
    }

    /** PUSH imm (68 with the operand size, or 6A sign-extended imm8), as a setup; tracks ESP. */
    static void pushImmediate(CaseBuilder b, int bits, int value) {
        b.insn("68").setup().size(bits).op(0x68).imm(value, bits / 8).emit();
        b.pushed(bits / 8);
    }

    private static void pushImm(CaseBuilder b, int opcode) {
        int bits = opSize(b);
        b.ensureStack(bits / 8, 0);
        if (opcode == 0x6A) {
            b.insn("6A").size(bits).op(0x6A).imm(b.edge(8), 1).emit();
            b.pushed(bits / 8);
        } else {
            pushImmediate(b, bits, b.edge(bits));
        }
    }

    /** POP r/m: never ESP-based (the address would be computed after ESP is incremented). */
    private static void popRm(CaseBuilder b) {
        int bits = opSize(b);
        b.ensureStack(0, bits / 8);
        Operand dest = b.chance(40) ? new Reg(b.pickReg(bits, true)) : b.addr.memNoEsp(bits / 8, true);
        b.insn("8F/0").size(bits).op(0x8F).modrm(dest, 0).emit();
        b.popped(bits / 8);
        OpTable.written(b, dest, bits);
    }

    private static void pushRm(CaseBuilder b) {
        int bits = opSize(b);
        b.ensureStack(bits / 8, 0);
        Operand src = OpTable.rm(b, bits, false);
        b.insn("FF/6").size(bits).op(0xFF).modrm(src, 6).emit();
        b.pushed(bits / 8);
    }

    /** PUSH Sreg; with a 32-bit operand size Unicorn writes the selector zero-extended (4 bytes). */
    private static void pushSeg(CaseBuilder b, int sreg) {
        int bits = opSize(b);
        b.ensureStack(bits / 8, 0);
        b.insn(key(SEG_PUSH[sreg])).size(bits).op(SEG_PUSH[sreg]).emit();
        b.pushed(bits / 8);
    }

    /** POP Sreg (real mode): the value is pushed first, by PUSH imm or PUSH r. */
    private static void popSeg(CaseBuilder b, int sreg) {
        int bits = opSize(b);
        int w = bits / 8;
        b.ensureStack(w, w);
        int value = sreg == DiffCase.SS ? b.stackSegmentValue() : b.dataSegmentValue();
        int image = bits == 32 ? (b.rnd.nextInt() & 0xFFFF0000) | value : value;
        if (b.chance(70)) {
            pushImmediate(b, bits, image);
        } else {
            int r = b.pickReg(bits, true);
            b.setReg(r, image, bits);
            b.insn(hex(0x50 + r)).size(bits).op(0x50 + r).emit();
            b.pushed(w);
        }
        b.insn(key(SEG_POP[sreg])).size(bits).op(SEG_POP[sreg]).emit();
        b.popped(w);
        b.st.seg[sreg] = value;
    }

    private static void pusha(CaseBuilder b) {
        int bits = opSize(b);
        b.ensureStack(8 * bits / 8, 0);
        b.insn("60").size(bits).op(0x60).emit();
        b.pushed(8 * bits / 8);
    }

    /** POPA: every register but (E)SP comes from the stack. */
    private static void popa(CaseBuilder b) {
        int bits = opSize(b);
        b.ensureStack(0, 8 * bits / 8);
        b.insn("61").size(bits).op(0x61).emit();
        b.popped(8 * bits / 8);
        for (int r = 0; r < 8; r++) {
            if (r != ESP) {
                b.clobber(r, 32);
            }
        }
    }

    private static void pushf(CaseBuilder b) {
        int bits = opSize(b);
        b.ensureStack(bits / 8, 0);
        b.insn("9C").size(bits).op(0x9C).emit();
        b.pushed(bits / 8);
    }

    /**
     * POPF of a generated image (random status flags, DF, IF, IOPL, NT, AC, reserved-bit junk; never
     * TF, RF, VM or ID) pushed just before; or PUSHF+POPF when no flag is undefined.
     */
    private static void popf(CaseBuilder b) {
        int bits = opSize(b);
        int w = bits / 8;
        b.ensureStack(w, w);
        int image;
        if (b.st.undefinedFlags == 0 && b.chance(20)) {
            b.insn("9C").size(bits).op(0x9C).emit();
            b.pushed(w);
            image = -1;
        } else {
            image = b.randomEflags(true);
            pushImmediate(b, bits, bits == 16 ? image & 0xFFFF : image);
        }
        b.insn("9D").size(bits).op(0x9D).emit();
        b.popped(w);
        b.flags(Flags.STATUS, 0);
        if (image != -1) {
            b.st.df = (image & Flags.DF) != 0 ? 1 : 0;
        }
    }

    /** ENTER size, level (0..3; 4 now and then) with EBP pointing into the stack block. */
    private static void enter(CaseBuilder b) {
        int bits = opSize(b);
        int w = bits / 8;
        int level = b.chance(90) ? b.pick(4) : b.pickInt(4, 5, 33);
        int nesting = level & 31;
        int size = b.pickInt(0, 2, 4, 8, 0x10, b.pick(0x11) * 2);
        b.ensureStack((nesting + 1) * w + size + 8, 0x20);
        // frame pointers are copied from [EBP - w*i]: keep EBP a little above the stack pointer
        int bp = b.stackPointer() + b.pick(0x10) * 2;
        b.setReg(EBP, bp, 32);
        b.insn("C8").size(bits).op(0xC8).imm(size, 2).imm(level, 1).emit();
        int frameTemp = b.stackPointer() - w;
        b.moveStack(-(nesting == 0 ? w : (nesting + 1) * w) - size);
        if (b.real()) {
            b.st.set(EBP, (bp & 0xFFFF0000) | (frameTemp & 0xFFFF));   // 16-bit stack: BP only
        } else {
            b.st.set(EBP, frameTemp);
        }
    }

    /** LEAVE: (E)SP = (E)BP, then POP (E)BP; EBP is prepared when it does not point into the stack. */
    private static void leave(CaseBuilder b) {
        int bits = opSize(b);
        int w = bits / 8;
        int ssBase = b.segBase(DiffCase.SS);
        boolean usable = false;
        if (b.st.known(EBP)) {
            int ebp = b.st.value(EBP);
            int frame = b.real() ? ebp & 0xFFFF : ebp;
            long linear = ssBase + (long) frame;
            usable = linear >= Layout.STACK && linear + w <= Layout.STACK_END && (!b.real() || frame + w <= 0xFFFF)
                    && (b.real() || frame >= 0);
        }
        if (!usable) {
            b.setReg(EBP, b.safeStackPointer() + b.pick(0x10) * 2, 32);
        }
        int ebp = b.st.value(EBP);
        b.insn("C9").size(bits).op(0xC9).emit();
        int esp = b.st.value(ESP);
        b.st.set(ESP, b.real() ? (esp & 0xFFFF0000) | ((ebp + w) & 0xFFFF) : ebp + w);
        b.clobber(EBP, 32);
    }

    /** LDS LES LSS LFS LGS r, m16:16 / m16:32 (real mode) from a generated pointer slot. */
    private static void loadFarPointer(CaseBuilder b, int sreg) {
        int bits = opSize(b);
        int w = bits / 8;
        int selector = sreg == DiffCase.SS ? b.stackSegmentValue() : b.dataSegmentValue();
        boolean intoEsp = sreg == DiffCase.SS && b.chance(60);
        int dest = intoEsp ? ESP : b.pickReg(bits, true);
        // LSS ESP: the new SS:SP must address the stack block
        int offset = intoEsp ? b.stackTopCandidate() - (selector << 4) : b.edge(bits);
        byte[] pointer = new byte[w + 2];
        CaseBuilder.putLe(pointer, 0, offset, w);
        CaseBuilder.putLe(pointer, w, selector, 2);
        int slot = b.slot(pointer);
        if (slot < 0) {
            throw new OpTable.Unavailable();
        }
        if (!intoEsp && b.settable(dest)) {
            b.reserve(dest);            // keep the address solver off the destination: nicer, not needed
        }
        int[] opcode = switch (sreg) {
            case DiffCase.DS -> new int[] {0xC5};
            case DiffCase.ES -> new int[] {0xC4};
            case DiffCase.SS -> new int[] {0x0F, 0xB2};
            case DiffCase.FS -> new int[] {0x0F, 0xB4};
            default -> new int[] {0x0F, 0xB5};
        };
        String key = opcode.length == 1 ? hex(opcode[0]) : OpTable.hex0f(opcode[1]);
        b.insn(key).size(bits).op(opcode).modrm(b.addr.memAt(slot, w + 2), dest).emit();
        b.st.seg[sreg] = selector;
        if (intoEsp) {
            int esp = b.st.value(ESP);
            b.st.set(ESP, bits == 32 ? offset : (esp & 0xFFFF0000) | (offset & 0xFFFF));
        } else {
            b.clobber(dest, bits);
        }
    }
}
