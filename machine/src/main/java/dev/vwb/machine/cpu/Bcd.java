package dev.vwb.machine.cpu;

import static dev.vwb.machine.cpu.Cpu.EAX;
import static dev.vwb.machine.cpu.Eflags.AF;
import static dev.vwb.machine.cpu.Eflags.CF;

/**
 * Decimal arithmetic: DAA, DAS, AAA, AAS, AAM, AAD (SDM Vol. 2A, each instruction's Operation).
 *
 * <p>Undefined flags, and what this CPU writes for them: DAA/DAS: OF (0). AAA/AAS: OF, SF, ZF,
 * PF (from AL after the adjustment). AAM/AAD: OF, AF, CF (0).
 */
final class Bcd {
    private Bcd() {
    }

    static void daa(Cpu c) {
        int al = c.regs[EAX] & 0xFF;
        boolean cf = c.flags.cf();
        boolean af = c.flags.af();
        int oldAl = al;
        boolean newCf = false;
        boolean newAf = false;
        if ((al & 0x0F) > 9 || af) {
            al += 6;
            newCf = cf || al > 0xFF;
            newAf = true;
        }
        if (oldAl > 0x99 || cf) {
            al += 0x60;
            newCf = true;
        }
        al &= 0xFF;
        c.setReg(1, EAX, al);
        c.flags.setArith((newCf ? CF : 0) | (newAf ? AF : 0) | Flags.szp(8, al));
    }

    static void das(Cpu c) {
        int al = c.regs[EAX] & 0xFF;
        boolean cf = c.flags.cf();
        boolean af = c.flags.af();
        int oldAl = al;
        boolean newCf = false;
        boolean newAf = false;
        if ((al & 0x0F) > 9 || af) {
            newCf = cf || al < 6;
            al -= 6;
            newAf = true;
        }
        if (oldAl > 0x99 || cf) {
            al -= 0x60;
            newCf = true;
        }
        al &= 0xFF;
        c.setReg(1, EAX, al);
        c.flags.setArith((newCf ? CF : 0) | (newAf ? AF : 0) | Flags.szp(8, al));
    }

    /** AAA: on the 486 and later, AX += 0x106 when adjusting (the carry reaches AH). */
    static void aaa(Cpu c) {
        int ax = c.regs[EAX] & 0xFFFF;
        boolean adjust = (ax & 0x0F) > 9 || c.flags.af();
        if (adjust) {
            ax += 0x106;
        }
        ax &= 0xFF0F;
        c.setReg(2, EAX, ax);
        c.flags.setArith((adjust ? CF | AF : 0) | Flags.szp(8, ax & 0xFF));
    }

    /** AAS: on the 486 and later, AX -= 6 (AL's borrow reaches AH) and then AH -= 1. */
    static void aas(Cpu c) {
        int ax = c.regs[EAX] & 0xFFFF;
        boolean adjust = (ax & 0x0F) > 9 || c.flags.af();
        if (adjust) {
            ax = (ax - 6) & 0xFFFF;
            ax = (ax - 0x100) & 0xFFFF;
        }
        ax &= 0xFF0F;
        c.setReg(2, EAX, ax);
        c.flags.setArith((adjust ? CF | AF : 0) | Flags.szp(8, ax & 0xFF));
    }

    /** AAM imm8: AH = AL / imm8, AL = AL % imm8; #DE when imm8 is 0. */
    static void aam(Cpu c, int base) {
        base &= 0xFF;
        if (base == 0) {
            throw new GuestFault(Vectors.DE, GuestFault.NO_ERROR_CODE);
        }
        int al = c.regs[EAX] & 0xFF;
        int r = al % base;
        c.setReg(2, EAX, (al / base) << 8 | r);
        c.flags.setArith(Flags.szp(8, r));
    }

    /** AAD imm8: AL = AL + AH*imm8, AH = 0. */
    static void aad(Cpu c, int base) {
        int ax = c.regs[EAX];
        int al = (ax + ((ax >>> 8) & 0xFF) * (base & 0xFF)) & 0xFF;
        c.setReg(2, EAX, al);
        c.flags.setArith(Flags.szp(8, al));
    }
}
