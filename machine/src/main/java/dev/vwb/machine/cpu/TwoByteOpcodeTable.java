package dev.vwb.machine.cpu;

import static dev.vwb.machine.cpu.Op.*;
import static dev.vwb.machine.cpu.OpcodeTable.*;

/**
 * The 0F opcode map of a 486 plus CPUID, RDTSC, RDMSR/WRMSR, CMOVcc and CMPXCHG8B
 * (SDM Vol. 2D, Table A-3), one line per opcode. Every opcode not listed is #UD (including
 * 386-only MOV TRn, LOADALL and everything MMX/SSE).
 */
final class TwoByteOpcodeTable {
    private TwoByteOpcodeTable() {
    }

    static final int[] TWO_BYTE = new int[256];

    private static void d(int opcode, int entry) {
        if (TWO_BYTE[opcode] != 0 && TWO_BYTE[opcode] != UD) {
            throw new IllegalStateException(String.format("opcode 0F %02X listed twice", opcode));
        }
        TWO_BYTE[opcode] = entry;
    }

    static {
        java.util.Arrays.fill(TWO_BYTE, UD);
        d(0x00, GROUP | G6 | MODRM);
        d(0x01, GROUP | G7 | MODRM);
        d(0x02, LAR | MODRM);
        d(0x03, LSL | MODRM);
        d(0x06, CLTS);
        d(0x08, INVD);
        d(0x09, WBINVD);
        d(0x0B, UD);                            // UD2: the official invalid opcode
        d(0x20, MOV_R_CR | MODRM | REG_ONLY);
        d(0x21, MOV_R_DR | MODRM | REG_ONLY);
        d(0x22, MOV_CR_R | MODRM | REG_ONLY);
        d(0x23, MOV_DR_R | MODRM | REG_ONLY);
        d(0x30, WRMSR);
        d(0x31, RDTSC);
        d(0x32, RDMSR);
        for (int cc = 0; cc < 16; cc++) {
            d(0x40 + cc, CMOV | MODRM);         // CMOVcc r, r/m
            d(0x80 + cc, JCC | I_RELZ);         // Jcc rel16/32
            d(0x90 + cc, SETCC | MODRM | BYTE); // SETcc r/m8
        }
        d(0xA0, PUSH_SEG);                      // PUSH FS
        d(0xA1, POP_SEG);                       // POP FS
        d(0xA2, CPUID);
        d(0xA3, BT_RM_R | MODRM);
        d(0xA4, SHLD | MODRM | I_8);
        d(0xA5, SHLD | MODRM);                  // count in CL
        d(0xA8, PUSH_SEG);                      // PUSH GS
        d(0xA9, POP_SEG);                       // POP GS
        d(0xAB, BTS_RM_R | MODRM);
        d(0xAC, SHRD | MODRM | I_8);
        d(0xAD, SHRD | MODRM);                  // count in CL
        d(0xAF, IMUL_R_RM | MODRM);
        d(0xB0, CMPXCHG | MODRM | BYTE);
        d(0xB1, CMPXCHG | MODRM);
        d(0xB2, LOAD_FAR_PTR | MODRM);          // LSS
        d(0xB3, BTR_RM_R | MODRM);
        d(0xB4, LOAD_FAR_PTR | MODRM);          // LFS
        d(0xB5, LOAD_FAR_PTR | MODRM);          // LGS
        d(0xB6, MOVZX | MODRM);                 // 8-bit source (opcode bit 0 clear)
        d(0xB7, MOVZX | MODRM);                 // 16-bit source
        d(0xBA, GROUP | G8 | MODRM | I_8);
        d(0xBB, BTC_RM_R | MODRM);
        d(0xBC, BSF | MODRM);
        d(0xBD, BSR | MODRM);
        d(0xBE, MOVSX | MODRM);
        d(0xBF, MOVSX | MODRM);
        d(0xC0, XADD | MODRM | BYTE);
        d(0xC1, XADD | MODRM);
        d(0xC7, GROUP | G9 | MODRM);
        for (int r = 0; r < 8; r++) {
            d(0xC8 + r, BSWAP);                 // BSWAP reg
        }
    }
}
