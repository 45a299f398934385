package dev.vwb.machine.difftest;

import static dev.vwb.machine.difftest.CaseBuilder.EAX;
import static dev.vwb.machine.difftest.CaseBuilder.ECX;
import static dev.vwb.machine.difftest.CaseBuilder.EDX;
import static dev.vwb.machine.difftest.CaseBuilder.ESP;
import static dev.vwb.machine.difftest.Flags.AF;
import static dev.vwb.machine.difftest.Flags.CF;
import static dev.vwb.machine.difftest.Flags.LOGIC;
import static dev.vwb.machine.difftest.Flags.OF;
import static dev.vwb.machine.difftest.Flags.PF;
import static dev.vwb.machine.difftest.Flags.SF;
import static dev.vwb.machine.difftest.Flags.STATUS;
import static dev.vwb.machine.difftest.Flags.SZAPC;
import static dev.vwb.machine.difftest.Flags.ZF;
import static dev.vwb.machine.difftest.OpTable.FILLER;
import static dev.vwb.machine.difftest.OpTable.REAL_ONLY;
import static dev.vwb.machine.difftest.OpTable.hex;
import static dev.vwb.machine.difftest.OpTable.hex0f;
import static dev.vwb.machine.difftest.OpTable.maybeLock;
import static dev.vwb.machine.difftest.OpTable.opSize;
import static dev.vwb.machine.difftest.OpTable.rm;
import static dev.vwb.machine.difftest.OpTable.written;

import dev.vwb.machine.difftest.CaseBuilder.Insn;
import dev.vwb.machine.difftest.CaseBuilder.Mem;
import dev.vwb.machine.difftest.CaseBuilder.Operand;
import dev.vwb.machine.difftest.CaseBuilder.Reg;

/**
 * Data instructions: ALU, INC/DEC, the F6/F7 group, multiplies, MOV family, XCHG, LEA, conversions,
 * BCD adjusts, flag instructions, shifts and rotates, and the 0F bit/byte instructions.
 * Flag effects follow the Intel SDM, including the flags each leaves undefined.
 */
final class DataOps {

    private DataOps() {
    }

    static void register(OpTable t) {
        for (int op = 0; op < 8; op++) {
            int reads = op == 2 || op == 3 ? CF : 0;           // ADC, SBB
            for (int form = 0; form < 6; form++) {
                int o = op;
                int f = form;
                t.add(hex(op * 8 + form), FILLER, reads, b -> alu(b, o, f));
            }
            for (int group = 0x80; group <= 0x83; group++) {
                int o = op;
                int g = group;
                t.add(hex(group) + "/" + op, FILLER, reads, b -> aluImm(b, g, o));
            }
        }
        t.add("84", FILLER, 0, b -> test(b, 8));
        t.add("85", FILLER, 0, b -> test(b, opSize(b)));
        t.add("A8", FILLER, 0, b -> testAcc(b, 8));
        t.add("A9", FILLER, 0, b -> testAcc(b, opSize(b)));

        for (int r = 0; r < 8; r++) {
            int reg = r;
            int role = r == ESP ? 0 : FILLER;                  // INC/DEC ESP move the stack pointer
            t.add(hex(0x40 + r), role, 0, b -> incDecReg(b, reg, false));
            t.add(hex(0x48 + r), role, 0, b -> incDecReg(b, reg, true));
        }
        for (int g : new int[] {0xFE, 0xFF}) {
            for (int op = 0; op < 2; op++) {
                int o = op;
                t.add(hex(g) + "/" + op, FILLER, 0, b -> incDecRm(b, g == 0xFE ? 8 : opSize(b), g, o));
            }
        }
        for (int g : new int[] {0xF6, 0xF7}) {
            // /1 (an undocumented TEST alias on Intel CPUs) is #UD in Unicorn: see UNICORN-DIFFERENCES.md
            for (int op : new int[] {0, 2, 3, 4, 5, 6, 7}) {
                int o = op;
                t.add(hex(g) + "/" + op, FILLER, 0, b -> group3(b, g == 0xF6 ? 8 : opSize(b), g, o));
            }
        }
        t.add("69", FILLER, 0, b -> imul3(b, 0x69));
        t.add("6B", FILLER, 0, b -> imul3(b, 0x6B));
        t.add("0F AF", FILLER, 0, DataOps::imul2);

        t.add("86", FILLER, 0, b -> xchgRm(b, 8));
        t.add("87", FILLER, 0, b -> xchgRm(b, opSize(b)));
        for (int r = 0; r < 8; r++) {
            int reg = r;
            t.add(hex(0x90 + r), r == ESP ? 0 : FILLER, 0, b -> xchgAcc(b, reg));
        }

        t.add("88", FILLER, 0, b -> movRmReg(b, 0x88, 8));
        t.add("89", FILLER, 0, b -> movRmReg(b, 0x89, opSize(b)));
        t.add("8A", FILLER, 0, b -> movRegRm(b, 0x8A, 8));
        t.add("8B", FILLER, 0, b -> movRegRm(b, 0x8B, opSize(b)));
        for (int op = 0xA0; op <= 0xA3; op++) {
            int o = op;
            t.add(hex(op), FILLER, 0, b -> movMoffs(b, o));
        }
        for (int r = 0; r < 8; r++) {
            int reg = r;
            t.add(hex(0xB0 + r), FILLER, 0, b -> b.setReg(reg, b.edge(8), 8));
            t.add(hex(0xB8 + r), r == ESP ? 0 : FILLER, 0, b -> movRegImm(b, reg));
        }
        t.add("C6/0", FILLER, 0, b -> movRmImm(b, 8));
        t.add("C7/0", FILLER, 0, b -> movRmImm(b, opSize(b)));
        t.add("8C", FILLER, 0, DataOps::movFromSreg);
        t.add("8E", REAL_ONLY, 0, DataOps::movToSreg);
        t.add("8D", FILLER, 0, DataOps::lea);
        t.add("98", FILLER, 0, b -> convert(b, 0x98));
        t.add("99", FILLER, 0, b -> convert(b, 0x99));

        t.add("27", FILLER, CF | AF, b -> bcd(b, 0x27));
        t.add("2F", FILLER, CF | AF, b -> bcd(b, 0x2F));
        t.add("37", FILLER, AF, b -> bcd(b, 0x37));
        t.add("3F", FILLER, AF, b -> bcd(b, 0x3F));
        t.add("D4", FILLER, 0, b -> aamAad(b, 0xD4));
        t.add("D5", FILLER, 0, b -> aamAad(b, 0xD5));

        t.add("9E", FILLER, 0, DataOps::sahf);
        t.add("9F", FILLER, SZAPC, b -> {
            b.insn("9F").op(0x9F).emit();
            b.clobber(EAX, 32);
        });
        t.add("D6", FILLER, CF, b -> {
            b.insn("D6").op(0xD6).emit();                       // SALC: AL = CF ? FF : 00
            b.clobber(EAX, 32);
        });
        t.add("F5", FILLER, CF, b -> flagOp(b, 0xF5));
        t.add("F8", FILLER, 0, b -> flagOp(b, 0xF8));
        t.add("F9", FILLER, 0, b -> flagOp(b, 0xF9));
        t.add("FC", FILLER, 0, b -> flagOp(b, 0xFC));
        t.add("FD", FILLER, 0, b -> flagOp(b, 0xFD));
        t.add("D7", FILLER, 0, DataOps::xlat);

        for (int opc : new int[] {0xC0, 0xC1, 0xD0, 0xD1, 0xD2, 0xD3}) {
            for (int op = 0; op < 8; op++) {
                int o = op;
                t.add(hex(opc) + "/" + op, FILLER, op == 2 || op == 3 ? CF : 0, b -> shift(b, opc, o));
            }
        }
        t.add("0F A4", FILLER, 0, b -> doubleShift(b, 0xA4));
        t.add("0F A5", FILLER, 0, b -> doubleShift(b, 0xA5));
        t.add("0F AC", FILLER, 0, b -> doubleShift(b, 0xAC));
        t.add("0F AD", FILLER, 0, b -> doubleShift(b, 0xAD));

        for (int op : new int[] {0xA3, 0xAB, 0xB3, 0xBB}) {
            t.add(hex0f(op), FILLER, 0, b -> bitTestReg(b, op));
        }
        for (int op = 4; op < 8; op++) {
            int o = op;
            t.add("0F BA/" + op, FILLER, 0, b -> bitTestImm(b, o));
        }
        t.add("0F BC", FILLER, 0, b -> bitScan(b, 0xBC));
        t.add("0F BD", FILLER, 0, b -> bitScan(b, 0xBD));
        for (int op : new int[] {0xB6, 0xB7, 0xBE, 0xBF}) {
            t.add(hex0f(op), FILLER, 0, b -> movExtend(b, op));
        }
        for (int cc = 0; cc < 16; cc++) {
            int c = cc;
            t.add(hex0f(0x90 + cc), FILLER, Flags.readBy(cc), b -> setcc(b, c));
            t.add(hex0f(0x40 + cc), FILLER, Flags.readBy(cc), b -> cmovcc(b, c));
        }
        t.add("0F C0", FILLER, 0, b -> xadd(b, 8));
        t.add("0F C1", FILLER, 0, b -> xadd(b, opSize(b)));
        t.add("0F B0", FILLER, 0, b -> cmpxchg(b, 8));
        t.add("0F B1", FILLER, 0, b -> cmpxchg(b, opSize(b)));
        t.add("0F C7/1", FILLER, 0, DataOps::cmpxchg8b);
        for (int r = 0; r < 8; r++) {
            int reg = r;
            t.add(hex0f(0xC8 + r), r == ESP ? 0 : FILLER, 0, b -> bswap(b, reg));
        }
    }

    // ---------------------------------------------------------------- ALU

    private static void aluFlags(CaseBuilder b, int op) {
        boolean logic = op == 1 || op == 4 || op == 6;          // OR, AND, XOR
        b.flags(logic ? LOGIC : STATUS, logic ? AF : 0);
    }

    /** op r/m8,r8 | op r/m,r | op r8,r/m8 | op r,r/m | op AL,imm8 | op eAX,imm. */
    private static void alu(CaseBuilder b, int op, int form) {
        boolean writes = op != 7;                               // CMP writes nothing
        int bits = form % 2 == 0 ? 8 : opSize(b);
        int opcode = op * 8 + form;
        switch (form) {
            case 0, 1 -> {
                int reg = b.valueReg(bits, false);
                Operand dest = rm(b, bits, writes);
                Insn i = b.insn(hex(opcode)).size(bits).op(opcode).modrm(dest, reg);
                (writes ? maybeLock(b, i, dest) : i).emit();
                if (writes) {
                    written(b, dest, bits);
                }
            }
            case 2, 3 -> {
                int reg = b.valueReg(bits, writes);
                Operand src = rm(b, bits, false);
                b.insn(hex(opcode)).size(bits).op(opcode).modrm(src, reg).emit();
                if (writes) {
                    b.clobber(reg, bits);
                }
            }
            default -> {
                if (b.chance(25)) {
                    b.setReg(EAX, b.edge(bits), bits);
                }
                b.insn(hex(opcode)).size(bits).op(opcode).imm(b.edge(bits), bits / 8).emit();
                if (writes) {
                    b.clobber(EAX, bits);
                }
            }
        }
        aluFlags(b, op);
    }

    /** 80 /op r/m8,imm8 | 81 r/m,imm | 82 (alias of 80) | 83 r/m,imm8 sign-extended. */
    private static void aluImm(CaseBuilder b, int group, int op) {
        boolean writes = op != 7;
        int bits = group == 0x80 || group == 0x82 ? 8 : opSize(b);
        int immBytes = group == 0x81 ? bits / 8 : 1;
        Operand dest = rm(b, bits, writes);
        Insn i = b.insn(hex(group) + "/" + op).size(bits).op(group).modrm(dest, op).imm(b.edge(immBytes * 8), immBytes);
        (writes ? maybeLock(b, i, dest) : i).emit();
        if (writes) {
            written(b, dest, bits);
        }
        aluFlags(b, op);
    }

    private static void test(CaseBuilder b, int bits) {
        int reg = b.valueReg(bits, false);
        Operand o = rm(b, bits, false);
        int opcode = bits == 8 ? 0x84 : 0x85;
        b.insn(hex(opcode)).size(bits).op(opcode).modrm(o, reg).emit();
        b.flags(LOGIC, AF);
    }

    private static void testAcc(CaseBuilder b, int bits) {
        if (b.chance(25)) {
            b.setReg(EAX, b.edge(bits), bits);
        }
        int opcode = bits == 8 ? 0xA8 : 0xA9;
        b.insn(hex(opcode)).size(bits).op(opcode).imm(b.edge(bits), bits / 8).emit();
        b.flags(LOGIC, AF);
    }

    // ---------------------------------------------------------------- INC / DEC / group 3

    private static void incDecReg(CaseBuilder b, int reg, boolean dec) {
        int bits = opSize(b);
        int opcode = (dec ? 0x48 : 0x40) + reg;
        if (reg == ESP) {
            // INC/DEC (E)SP: the stack pointer stays known; the next stack access re-checks it
            int esp = b.st.value(ESP);
            int moved = esp + (dec ? -1 : 1);
            b.insn(hex(opcode)).size(bits).op(opcode).emit();
            b.st.set(ESP, bits == 16 ? (esp & 0xFFFF0000) | (moved & 0xFFFF) : moved);
        } else {
            if (b.chance(30) && b.settable(reg)) {
                b.setReg(reg, b.edge(bits), bits);
            }
            b.insn(hex(opcode)).size(bits).op(opcode).emit();
            b.clobber(reg, bits);
        }
        b.flags(STATUS & ~CF, 0);                               // CF is not affected
    }

    private static void incDecRm(CaseBuilder b, int bits, int group, int op) {
        Operand dest = rm(b, bits, true);
        maybeLock(b, b.insn(hex(group) + "/" + op).size(bits).op(group).modrm(dest, op), dest).emit();
        written(b, dest, bits);
        b.flags(STATUS & ~CF, 0);
    }

    /** F6/F7: TEST NOT NEG MUL IMUL DIV IDIV. */
    private static void group3(CaseBuilder b, int bits, int group, int op) {
        String key = hex(group) + "/" + op;
        switch (op) {
            case 0 -> {
                Operand o = rm(b, bits, false);
                b.insn(key).size(bits).op(group).modrm(o, 0).imm(b.edge(bits), bits / 8).emit();
                b.flags(LOGIC, AF);
            }
            case 2, 3 -> {
                Operand dest = rm(b, bits, true);
                maybeLock(b, b.insn(key).size(bits).op(group).modrm(dest, op), dest).emit();
                written(b, dest, bits);
                if (op == 3) {
                    b.flags(STATUS, 0);
                }
            }
            case 4, 5 -> {
                if (b.chance(30)) {
                    b.setReg(EAX, b.edge(bits), bits);
                }
                Operand src = rm(b, bits, false);
                b.insn(key).size(bits).op(group).modrm(src, op).emit();
                b.clobber(EAX, 32);
                if (bits != 8) {
                    b.clobber(EDX, 32);
                }
                b.flags(CF | OF, SF | ZF | AF | PF);
            }
            default -> divide(b, bits, group, op == 7);
        }
    }

    /**
     * DIV/IDIV with dividends chosen so that the quotient usually fits and sometimes overflows, and a
     * divisor that is occasionally zero: both give #DE.
     */
    private static void divide(CaseBuilder b, int bits, int group, boolean signed) {
        int divisor = b.chance(5) ? 0 : b.edge(bits);
        if (divisor == 0 && b.chance(80)) {
            divisor = 1 + b.pick(100);
        }
        boolean fits = b.chance(65);
        int low = b.edge(bits);
        int high = b.edge(bits);
        if (fits) {
            high = signed ? (((low << (32 - bits)) >> 31) & CaseBuilder.mask(bits)) : 0;
        }
        if (bits == 8) {
            b.setReg(EAX, (high << 8 | low) & 0xFFFF, 16);
        } else {
            b.setReg(EDX, high, bits);
            b.setReg(EAX, low, bits);
        }
        Operand src;
        if (b.chance(50)) {
            // usually a register outside the dividend; DIV AH / DIV EDX and friends now and then
            int r = bits == 8 ? b.pickInt(1, 2, 3, 5, 6, 7, 0, 4)
                    : b.pickInt(ECX, CaseBuilder.EBX, CaseBuilder.EBP, CaseBuilder.ESI, CaseBuilder.EDI, EAX, EDX);
            b.setReg(r, divisor, bits);
            src = new Reg(r);
        } else {
            Mem m = b.addr.mem(bits / 8, false);
            b.poke(m.linear(), divisor, bits / 8);
            src = m;
        }
        b.mayStop();
        b.insn(hex(group) + "/" + (signed ? 7 : 6)).size(bits).op(group).modrm(src, signed ? 7 : 6).emit();
        b.clobber(EAX, 32);
        if (bits != 8) {
            b.clobber(EDX, 32);
        }
        b.flags(0, STATUS);
    }

    private static void imul3(CaseBuilder b, int opcode) {
        int bits = opSize(b);
        int dest = b.pickReg(bits, true);
        Operand src = rm(b, bits, false);
        int immBytes = opcode == 0x6B ? 1 : bits / 8;
        b.insn(hex(opcode)).size(bits).op(opcode).modrm(src, dest).imm(b.edge(immBytes * 8), immBytes).emit();
        b.clobber(dest, bits);
        b.flags(CF | OF, SF | ZF | AF | PF);
    }

    private static void imul2(CaseBuilder b) {
        int bits = opSize(b);
        int dest = b.valueReg(bits, true);
        Operand src = rm(b, bits, false);
        b.insn("0F AF").size(bits).op(0x0F, 0xAF).modrm(src, dest).emit();
        b.clobber(dest, bits);
        b.flags(CF | OF, SF | ZF | AF | PF);
    }

    // ---------------------------------------------------------------- XCHG / MOV family

    private static void xchgRm(CaseBuilder b, int bits) {
        int reg = b.valueReg(bits, true);
        Operand o = rm(b, bits, true);
        int opcode = bits == 8 ? 0x86 : 0x87;
        maybeLock(b, b.insn(hex(opcode)).size(bits).op(opcode).modrm(o, reg), o).emit();
        b.clobber(reg, bits);
        written(b, o, bits);
    }

    /** 90+r: XCHG eAX, r (90 is NOP). XCHG eAX,eSP sets the stack pointer from a prepared EAX. */
    private static void xchgAcc(CaseBuilder b, int reg) {
        int bits = opSize(b);
        String key = hex(0x90 + reg);
        if (reg == ESP) {
            int esp = b.st.value(ESP);
            int newSp = b.safeStackPointer();
            b.setReg(EAX, newSp, bits == 32 ? 32 : 16);
            int eax = b.st.known(EAX) ? b.st.value(EAX) : 0;
            b.insn(key).size(bits).op(0x94).emit();
            if (bits == 32) {
                b.st.set(ESP, eax);
                b.st.set(EAX, esp);
            } else {
                b.st.set(ESP, (esp & 0xFFFF0000) | (newSp & 0xFFFF));
                b.clobber(EAX, 32);
            }
            return;
        }
        b.insn(key).size(bits).op(0x90 + reg).emit();
        if (reg != EAX) {
            b.clobber(EAX, bits);
            b.clobber(reg, bits);
        }
    }

    private static void movRmReg(CaseBuilder b, int opcode, int bits) {
        int reg = b.valueReg(bits, false);
        Operand dest = rm(b, bits, true);
        b.insn(hex(opcode)).size(bits).op(opcode).modrm(dest, reg).emit();
        written(b, dest, bits);
    }

    private static void movRegRm(CaseBuilder b, int opcode, int bits) {
        int reg = b.pickReg(bits, true);
        Operand src = rm(b, bits, false);
        b.insn(hex(opcode)).size(bits).op(opcode).modrm(src, reg).emit();
        b.clobber(reg, bits);
    }

    /** A0 MOV AL,moffs8 | A1 MOV eAX,moffs | A2 MOV moffs8,AL | A3 MOV moffs,eAX. */
    private static void movMoffs(CaseBuilder b, int opcode) {
        int bits = (opcode & 1) == 0 ? 8 : opSize(b);
        boolean store = opcode >= 0xA2;
        if (store && b.chance(25)) {
            b.setReg(EAX, b.edge(bits), bits);
        }
        Mem m = b.addr.moffs(bits / 8, store);
        b.insn(hex(opcode)).size(bits).op(opcode).moffs(m).emit();
        if (!store) {
            b.clobber(EAX, bits);
        }
    }

    /** B8+r MOV r,imm; MOV (E)SP,imm only with a value that keeps the stack usable. */
    private static void movRegImm(CaseBuilder b, int reg) {
        int bits = opSize(b);
        if (reg == ESP) {
            int sp = b.safeStackPointer();
            b.setReg(ESP, bits == 32 ? sp : sp & 0xFFFF, bits);
        } else {
            b.setReg(reg, b.edge(bits), bits);
        }
    }

    private static void movRmImm(CaseBuilder b, int bits) {
        Operand dest = rm(b, bits, true);
        int opcode = bits == 8 ? 0xC6 : 0xC7;
        b.insn(hex(opcode) + "/0").size(bits).op(opcode).modrm(dest, 0).imm(b.edge(bits), bits / 8).emit();
        written(b, dest, bits);
    }

    /**
     * 8C MOV r/m16,Sreg. Register destinations only with 16-bit operand size: with 32 bits the upper
     * half is undefined on a 486 (Unicorn zero-extends). Memory stores are always 16 bits.
     */
    private static void movFromSreg(CaseBuilder b) {
        int sreg = b.pick(6);
        if (b.chance(45)) {
            int reg = b.pickReg(16, true);
            b.insn("8C").size(16).op(0x8C).modrm(new Reg(reg), sreg).emit();
            b.clobber(reg, 16);
        } else {
            Mem m = b.addr.mem(2, true);
            b.insn("8C").size(opSize(b)).op(0x8C).modrm(m, sreg).emit();
        }
    }

    /** 8E MOV Sreg,r/m16 (real mode; never CS): loads a value that keeps memory reachable. */
    private static void movToSreg(CaseBuilder b) {
        int sreg = b.pickInt(DiffCase.ES, DiffCase.SS, DiffCase.DS, DiffCase.FS, DiffCase.GS);
        int value = sreg == DiffCase.SS ? b.stackSegmentValue() : b.dataSegmentValue();
        Operand src;
        if (b.chance(50)) {
            int reg = b.pickReg(16, true);
            b.setReg(reg, value, 16);
            src = new Reg(reg);
        } else {
            int slot = b.slot(CaseBuilder.le(value, 2));
            if (slot < 0) {
                int reg = b.pickReg(16, true);
                b.setReg(reg, value, 16);
                src = new Reg(reg);
            } else {
                src = b.addr.memAt(slot, 2);
            }
        }
        b.insn("8E").size(b.chance(20) ? 32 : 16).op(0x8E).modrm(src, sreg).emit();
        b.st.seg[sreg] = value;
    }

    private static void lea(CaseBuilder b) {
        int bits = opSize(b);
        int dest = b.pickReg(bits, true);
        b.insn("8D").size(bits).op(0x8D).modrm(b.addr.leaForm(), dest).emit();
        b.clobber(dest, bits);
    }

    /** 98 CBW/CWDE, 99 CWD/CDQ. */
    private static void convert(CaseBuilder b, int opcode) {
        int bits = opSize(b);
        if (b.chance(40)) {
            b.setReg(EAX, b.edge(32), 32);
        }
        b.insn(hex(opcode)).size(bits).op(opcode).emit();
        b.clobber(opcode == 0x98 ? EAX : EDX, 32);
    }

    // ---------------------------------------------------------------- BCD and flags

    private static int bcdValue(CaseBuilder b) {
        return b.chance(60) ? (b.pick(16) << 12 | b.pick(16) << 8 | b.pick(16) << 4 | b.pick(16)) : b.edge(16);
    }

    /** DAA DAS AAA AAS. */
    private static void bcd(CaseBuilder b, int opcode) {
        if (b.chance(50)) {
            b.setReg(EAX, bcdValue(b), 16);
        }
        b.insn(hex(opcode)).op(opcode).emit();
        b.clobber(EAX, 32);
        if (opcode == 0x27 || opcode == 0x2F) {
            b.flags(CF | AF | SF | ZF | PF, OF);
        } else {
            b.flags(AF | CF, OF | SF | ZF | PF);
        }
    }

    /** AAM/AAD with base 10, other bases, and (AAM only, rarely) base 0 = a deliberate #DE. */
    private static void aamAad(CaseBuilder b, int opcode) {
        if (b.chance(50)) {
            b.setReg(EAX, bcdValue(b), 16);
        }
        int base = b.chance(50) ? 10 : 1 + b.pick(255);
        if (opcode == 0xD4 && b.chance(4)) {
            base = 0;
        } else if (opcode == 0xD5 && b.chance(5)) {
            base = 0;                                           // AAD 0 is fine: AL = AL
        }
        b.mayStop();
        b.insn(hex(opcode)).op(opcode).imm(base, 1).emit();
        b.clobber(EAX, 32);
        b.flags(SF | ZF | PF, OF | AF | CF);
    }

    private static void sahf(CaseBuilder b) {
        if (b.chance(50)) {
            b.setReg(4, b.edge(8), 8);                          // MOV AH, imm8
        }
        b.insn("9E").op(0x9E).emit();
        b.flags(SZAPC, 0);
    }

    private static void flagOp(CaseBuilder b, int opcode) {
        b.insn(hex(opcode)).op(opcode).emit();
        switch (opcode) {
            case 0xFC -> b.st.df = 0;
            case 0xFD -> b.st.df = 1;
            default -> b.flags(CF, 0);
        }
    }

    /** XLAT: AL = [seg:(E)BX + AL]. */
    private static void xlat(CaseBuilder b) {
        Mem m = b.addr.xlat();
        b.insn("D7").op(0xD7).moffs(m).emit();
        b.clobber(EAX, 32);
    }

    // ---------------------------------------------------------------- shifts

    private static int shiftCount(CaseBuilder b, int bits) {
        return b.pickInt(0, 1, 1, 2, bits - 1, bits, bits + 1, 8, 9, 16, 17, 31, 32, 33, b.pick(256), b.pick(32));
    }

    /** C0/C1 imm8, D0/D1 by 1, D2/D3 by CL; /0 ROL /1 ROR /2 RCL /3 RCR /4 SHL /5 SHR /6 SAL /7 SAR. */
    private static void shift(CaseBuilder b, int opcode, int op) {
        int bits = (opcode & 1) == 0 ? 8 : opSize(b);
        int count = opcode <= 0xC1 ? shiftCount(b, bits) : opcode <= 0xD1 ? 1 : shiftCount(b, bits);
        if (opcode >= 0xD2) {
            b.setReg(ECX, count, 8);                            // MOV CL, count
        }
        Operand dest = rm(b, bits, true);
        Insn i = b.insn(hex(opcode) + "/" + op).size(bits).op(opcode).modrm(dest, op);
        if (opcode <= 0xC1) {
            i.imm(count, 1);
        }
        i.emit();
        written(b, dest, bits);
        int masked = count & 31;
        if (masked == 0) {
            return;                                             // a masked count of 0 changes no flag
        }
        int of = masked == 1 ? OF : 0;
        int ofUndefined = masked == 1 ? 0 : OF;
        switch (op) {
            case 0, 1, 2, 3 -> b.flags(CF | of, ofUndefined);   // rotates touch only CF and OF
            case 7 -> b.flags(SF | ZF | PF | CF | of, AF | ofUndefined);
            default -> {
                // SHL/SHR: CF is undefined when the count is >= the operand width (8/16-bit forms)
                int cf = masked >= bits ? 0 : CF;
                b.flags(SF | ZF | PF | cf | of, AF | ofUndefined | (CF & ~cf));
            }
        }
    }

    /** SHLD/SHRD by imm8 or CL; 16-bit counts above 16 (undefined result) are avoided. */
    private static void doubleShift(CaseBuilder b, int opcode) {
        int bits = opSize(b);
        int count;
        do {
            count = shiftCount(b, bits);
        } while (bits == 16 && (count & 31) > 16);
        boolean byCl = (opcode & 1) == 1;
        if (byCl) {
            b.setReg(ECX, count, 8);
        }
        int src = b.valueReg(bits, false);
        Operand dest = rm(b, bits, true);
        Insn i = b.insn(hex0f(opcode)).size(bits).op(0x0F, opcode).modrm(dest, src);
        if (!byCl) {
            i.imm(count, 1);
        }
        i.emit();
        written(b, dest, bits);
        int masked = count & 31;
        if (masked != 0) {
            b.flags(CF | SF | ZF | PF | (masked == 1 ? OF : 0), AF | (masked == 1 ? 0 : OF));
        }
    }

    // ---------------------------------------------------------------- bit instructions

    /**
     * BT/BTS/BTR/BTC r/m, r. With a memory operand the register is a signed bit offset that may
     * address words/dwords outside the one at the effective address.
     */
    private static void bitTestReg(CaseBuilder b, int opcode) {
        int bits = opSize(b);
        boolean writes = opcode != 0xA3;
        Operand dest;
        int offsetReg;
        if (b.chance(50)) {
            offsetReg = b.valueReg(bits, false);
            dest = new Reg(b.valueReg(bits, writes));
        } else {
            offsetReg = b.pickReg(bits, true);                  // loadable, not ESP
            int offset = b.chance(70) ? b.pick(512) - 256 : b.pick(64) - 32;
            b.setReg(offsetReg, offset & CaseBuilder.mask(bits), bits);
            int delta = (offset >> (bits == 16 ? 4 : 5)) * (bits / 8);
            dest = b.addr.memWithDelta(bits / 8, writes, delta);
        }
        Insn i = b.insn(hex0f(opcode)).size(bits).op(0x0F, opcode).modrm(dest, offsetReg);
        (writes ? maybeLock(b, i, dest) : i).emit();
        if (writes) {
            written(b, dest, bits);
        }
        b.flags(CF, OF | SF | AF | PF);                         // ZF unaffected
    }

    /** 0F BA /4 BT, /5 BTS, /6 BTR, /7 BTC with an imm8 bit offset (taken modulo the width). */
    private static void bitTestImm(CaseBuilder b, int op) {
        int bits = opSize(b);
        boolean writes = op != 4;
        Operand dest = rm(b, bits, writes);
        Insn i = b.insn("0F BA/" + op).size(bits).op(0x0F, 0xBA).modrm(dest, op).imm(b.edge(8), 1);
        (writes ? maybeLock(b, i, dest) : i).emit();
        if (writes) {
            written(b, dest, bits);
        }
        b.flags(CF, OF | SF | AF | PF);
    }

    /** BSF/BSR, sometimes with a zero source (destination then left unchanged by Unicorn). */
    private static void bitScan(CaseBuilder b, int opcode) {
        int bits = opSize(b);
        int dest = b.pickReg(bits, true);
        Operand src;
        if (b.chance(50)) {
            int r = b.valueReg(bits, false);
            if (b.chance(20) && b.settable(r)) {
                b.setReg(r, 0, bits);
            }
            src = new Reg(r);
        } else {
            Mem m = b.addr.mem(bits / 8, false);
            if (b.chance(20)) {
                b.poke(m.linear(), 0, bits / 8);
            }
            src = m;
        }
        b.insn(hex0f(opcode)).size(bits).op(0x0F, opcode).modrm(src, dest).emit();
        b.clobber(dest, bits);
        b.flags(ZF, CF | OF | SF | AF | PF);
    }

    /**
     * MOVZX/MOVSX r16/32, r/m8 (B6/BE) or r32, r/m16 (B7/BF). B7/BF with a 16-bit operand size are
     * undocumented (they act as MOV on real CPUs) and are not generated.
     */
    private static void movExtend(CaseBuilder b, int opcode) {
        int srcBits = (opcode & 1) == 0 ? 8 : 16;
        int bits = srcBits == 16 ? 32 : opSize(b);
        int dest = b.pickReg(bits, true);
        Operand src = rm(b, srcBits, false);
        b.insn(hex0f(opcode)).size(bits).op(0x0F, opcode).modrm(src, dest).emit();
        b.clobber(dest, bits);
    }

    private static void setcc(CaseBuilder b, int cc) {
        Operand dest = rm(b, 8, true);
        b.insn(hex0f(0x90 + cc)).op(0x0F, 0x90 + cc).modrm(dest, 0).emit();
        written(b, dest, 8);
    }

    private static void cmovcc(CaseBuilder b, int cc) {
        int bits = opSize(b);
        int dest = b.valueReg(bits, true);
        Operand src = rm(b, bits, false);
        b.insn(hex0f(0x40 + cc)).size(bits).op(0x0F, 0x40 + cc).modrm(src, dest).emit();
        b.clobber(dest, bits);
    }

    private static void xadd(CaseBuilder b, int bits) {
        int reg = b.valueReg(bits, true);
        Operand dest = rm(b, bits, true);
        int opcode = bits == 8 ? 0xC0 : 0xC1;
        maybeLock(b, b.insn(hex0f(opcode)).size(bits).op(0x0F, opcode).modrm(dest, reg), dest).emit();
        b.clobber(reg, bits);
        written(b, dest, bits);
        b.flags(STATUS, 0);
    }

    /** CMPXCHG r/m, r with the accumulator often made equal to the destination. */
    private static void cmpxchg(CaseBuilder b, int bits) {
        int value = b.edge(bits);
        b.setReg(EAX, value, bits);
        int reg = b.valueReg(bits, false);
        Operand dest;
        boolean equal = b.chance(50);
        if (b.chance(45)) {
            int r = b.pickReg(bits, true);
            if (equal && b.settable(bits == 8 ? r & 3 : r)) {
                b.setReg(r, value, bits);
            }
            dest = new Reg(r);
        } else {
            Mem m = b.addr.mem(bits / 8, true);
            if (equal) {
                b.poke(m.linear(), value, bits / 8);
            }
            dest = m;
        }
        int opcode = bits == 8 ? 0xB0 : 0xB1;
        maybeLock(b, b.insn(hex0f(opcode)).size(bits).op(0x0F, opcode).modrm(dest, reg), dest).emit();
        b.clobber(EAX, 32);
        written(b, dest, bits);
        b.flags(STATUS, 0);
    }

    private static void cmpxchg8b(CaseBuilder b) {
        int lo = b.edge(32);
        int hi = b.edge(32);
        b.setReg(EAX, lo, 32);
        b.setReg(EDX, hi, 32);
        if (b.chance(50)) {
            b.setReg(ECX, b.edge(32), 32);
        }
        if (b.chance(50)) {
            b.setReg(CaseBuilder.EBX, b.edge(32), 32);
        }
        Mem m = b.addr.mem(8, true);
        if (b.chance(50)) {
            b.poke(m.linear(), lo, 4);
            b.poke(m.linear() + 4, hi, 4);
        }
        maybeLock(b, b.insn("0F C7/1").op(0x0F, 0xC7).modrm(m, 1), m).emit();
        b.clobber(EAX, 32);
        b.clobber(EDX, 32);
        b.flags(ZF, 0);
    }

    /**
     * BSWAP r32 (a 16-bit operand size gives an undefined result: never generated). BSWAP ESP first
     * loads ESP with the byte-swapped image of a good stack pointer.
     */
    private static void bswap(CaseBuilder b, int reg) {
        String key = hex0f(0xC8 + reg);
        if (reg == ESP) {
            int sp = b.real() ? b.safeStackPointer() & 0xFFFF : b.safeStackPointer();
            b.setReg(ESP, Integer.reverseBytes(sp), 32);
            b.insn(key).size(32).op(0x0F, 0xC8 + reg).emit();
            b.st.set(ESP, sp);
            return;
        }
        if (b.chance(30) && b.settable(reg)) {
            b.setReg(reg, b.edge(32), 32);
        }
        b.insn(key).size(32).op(0x0F, 0xC8 + reg).emit();
        b.clobber(reg, 32);
    }
}
