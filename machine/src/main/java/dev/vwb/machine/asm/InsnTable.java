package dev.vwb.machine.asm;

/**
 * The one instruction table both the assembler and the disassembler read: every form of every
 * instruction the CPU executes, one line per form (SDM Vol. 2, Chapter 3, and Appendix A).
 *
 * <pre>
 *   mnemonic  operands        | encoding            | flags
 * </pre>
 * Operands: {@code r8 r16 r32 rv} general registers ({@code v} = 16 or 32 bits by operand size),
 * {@code rm8 rm16 rm32 rmv} register or memory, {@code m} memory of no stated size, {@code m16
 * m32 m64 mv} sized memory, {@code al av cl dx cx ecx one} fixed registers and the constant 1,
 * {@code es cs ss ds fs gs sreg cr dr}, immediates {@code ib iw iv} (printed bare), {@code xb xv}
 * (printed with their size, as ndisasm does), {@code sb} (imm8 sign-extended to the operand
 * size), {@code rel8 relv} branch targets, {@code ptr} a far seg:offset and {@code moff8 moffv}
 * a bare offset.
 *
 * <p>Encoding: {@code o} the operand size follows the operands (66h when it differs from the
 * mode); {@code o16 o32} a fixed operand size; {@code a16 a32} a fixed address size; opcode
 * bytes in hex; {@code +r} the register in the low three bits; {@code +cc} a condition code (the
 * row stands for 16); {@code /r} a ModRM byte; {@code /0}..{@code /7} a ModRM byte whose reg
 * field extends the opcode. Immediates follow in operand order.
 *
 * <p>Flags: {@code asm} only the assembler uses the row (an alias); {@code dis} only the
 * disassembler; {@code -66}/{@code -67} the disassembler skips the row when that prefix is
 * present (another row names the sized variant); {@code size}/{@code nosize} force whether the
 * memory operand's size is printed; {@code osz} a near or far indirect branch (its memory size
 * is printed only after a 66h prefix, and an unsized memory operand takes the mode's size);
 * {@code str} a string instruction ({@code rep}/{@code repe}). An operand may carry a keyword
 * ({@code short near far word dword}) that the source must or may write, and ndisasm prints.
 * When several rows fit, the assembler takes the shortest encoding and, among equals, the first
 * row (as NASM does); the disassembler takes the first row that fits.
 */
final class InsnTable {
    private InsnTable() {
    }

    static final String ROWS = """
            aaa                  | 37
            aad                  | D5 0A
            aad   ib             | D5
            aam                  | D4 0A
            aam   ib             | D4
            aas                  | 3F
            daa                  | 27
            das                  | 2F
            %alu  rm8,r8         | 00 /r
            %alu  rmv,rv         | o 01 /r
            %alu  r8,rm8         | 02 /r
            %alu  rv,rmv         | o 03 /r
            %alu  rmv,sb         | o 83 /0
            %alu  al,ib          | 04
            %alu  av,iv          | o 05
            %alu  rm8,ib         | 80 /0
            %alu  rmv,iv         | o 81 /0
            %alu  rm8,ib         | 82 /0           | dis
            arpl  rm16,r16       | 63 /r
            bound rv,m           | o 62 /r
            bsf   rv,rmv         | o 0F BC /r
            bsr   rv,rmv         | o 0F BD /r
            bswap r32            | o32 0F C8+r
            bt    rmv,rv         | o 0F A3 /r
            bts   rmv,rv         | o 0F AB /r
            btr   rmv,rv         | o 0F B3 /r
            btc   rmv,rv         | o 0F BB /r
            bt    rmv,xb         | o 0F BA /4
            bts   rmv,xb         | o 0F BA /5
            btr   rmv,xb         | o 0F BA /6
            btc   rmv,xb         | o 0F BA /7
            call  relv           | o E8
            call  rmv            | o FF /2         | osz
            call  ptr            | o 9A
            call  far mv         | o FF /3         | osz
            cbw                  | o16 98
            cwde                 | o32 98
            cwd                  | o16 99
            cdq                  | o32 99
            clc                  | F8
            cld                  | FC
            cli                  | FA
            clts                 | 0F 06
            cmc                  | F5
            cmovcc rv,rmv        | o 0F 40+cc /r
            cmpsb                | A6              | str
            cmpsw                | o16 A7          | str
            cmpsd                | o32 A7          | str
            cmpxchg rm8,r8       | 0F B0 /r
            cmpxchg rmv,rv       | o 0F B1 /r
            cmpxchg8b m64        | 0F C7 /1
            cpuid                | 0F A2
            dec   rv             | o 48+r
            dec   rm8            | FE /1
            dec   rmv            | o FF /1
            div   rm8            | F6 /6
            div   rmv            | o F7 /6
            enter iw,ib          | C8
            hlt                  | F4
            icebp                | F1              | asm
            int1                 | F1
            int3                 | CC
            int   ib             | CD
            into                 | CE
            idiv  rm8            | F6 /7
            idiv  rmv            | o F7 /7
            imul  rm8            | F6 /5
            imul  rmv            | o F7 /5
            imul  rv,rmv         | o 0F AF /r
            imul  rv,rmv,sb      | o 6B /r
            imul  rv,rmv,xv      | o 69 /r
            imul  rv,sb          | o 6B /r         | asm twice
            imul  rv,xv          | o 69 /r         | asm twice
            in    al,ib          | E4
            in    av,ib          | o E5
            in    al,dx          | EC
            in    av,dx          | o ED
            inc   rv             | o 40+r
            inc   rm8            | FE /0
            inc   rmv            | o FF /0
            insb                 | 6C              | str
            insw                 | o16 6D          | str
            insd                 | o32 6D          | str
            invd                 | 0F 08
            invlpg m             | 0F 01 /7
            iret                 | CF              | -66
            iretw                | o16 CF
            iretd                | o32 CF
            jcc   rel8           | 70+cc
            jcc   near relv      | o 0F 80+cc
            jcxz  rel8           | a16 E3
            jecxz rel8           | a32 E3
            jmp   short rel8     | EB
            jmp   relv           | o E9
            jmp   rmv            | o FF /4         | osz
            jmp   ptr            | o EA
            jmp   far mv         | o FF /5         | osz
            lahf                 | 9F
            lar   rv,rm16        | o 0F 02 /r      | nosize
            lds   rv,m           | o C5 /r
            les   rv,m           | o C4 /r
            lfs   rv,m           | o 0F B4 /r
            lgs   rv,m           | o 0F B5 /r
            lss   rv,m           | o 0F B2 /r
            lea   rv,m           | o 8D /r
            leave                | C9
            lgdt  m              | 0F 01 /2
            lidt  m              | 0F 01 /3
            lldt  rm16           | 0F 00 /2        | nosize
            lmsw  rm16           | 0F 01 /6        | nosize
            lodsb                | AC              | str
            lodsw                | o16 AD          | str
            lodsd                | o32 AD          | str
            loop  rel8           | E2              | -67
            loop  rel8,cx        | a16 E2
            loop  rel8,ecx       | a32 E2
            loope rel8           | E1              | -67
            loope rel8,cx        | a16 E1
            loope rel8,ecx       | a32 E1
            loopz rel8           | E1              | asm
            loopne rel8          | E0              | -67
            loopne rel8,cx       | a16 E0
            loopne rel8,ecx      | a32 E0
            loopnz rel8          | E0              | asm
            lsl   rv,rm16        | o 0F 03 /r      | nosize
            ltr   rm16           | 0F 00 /3        | nosize
            mov   rm8,r8         | 88 /r
            mov   rmv,rv         | o 89 /r
            mov   r8,rm8         | 8A /r
            mov   rv,rmv         | o 8B /r
            mov   m,sreg         | 8C /r
            mov   rv,sreg        | o 8C /r
            mov   sreg,m         | 8E /r
            mov   sreg,rv        | o 8E /r         | dis
            mov   sreg,r16       | 8E /r           | asm
            mov   sreg,r32       | 8E /r           | asm
            mov   al,moff8       | A0
            mov   av,moffv       | o A1
            mov   moff8,al       | A2
            mov   moffv,av       | o A3
            mov   r8,ib          | B0+r
            mov   rv,iv          | o B8+r
            mov   rm8,ib         | C6 /0
            mov   rmv,iv         | o C7 /0
            mov   r32,cr         | 0F 20 /r
            mov   r32,dr         | 0F 21 /r
            mov   cr,r32         | 0F 22 /r
            mov   dr,r32         | 0F 23 /r
            movsb                | A4              | str
            movsw                | o16 A5          | str
            movsd                | o32 A5          | str
            movsx r16,rm8        | o16 0F BE /r    | nosize
            movsx r32,rm8        | o32 0F BE /r    | size
            movsx rv,rm16        | o 0F BF /r      | size
            movzx r16,rm8        | o16 0F B6 /r    | nosize
            movzx r32,rm8        | o32 0F B6 /r    | size
            movzx rv,rm16        | o 0F B7 /r      | size
            mul   rm8            | F6 /4
            mul   rmv            | o F7 /4
            neg   rm8            | F6 /3
            neg   rmv            | o F7 /3
            pause                | F3 90           | asm
            nop                  | 90              | -66 -67
            not   rm8            | F6 /2
            not   rmv            | o F7 /2
            out   ib,al          | E6
            out   ib,av          | o E7
            out   dx,al          | EE
            out   dx,av          | o EF
            outsb                | 6E              | str
            outsw                | o16 6F          | str
            outsd                | o32 6F          | str
            pop   rv             | o 58+r
            pop   rmv            | o 8F /0
            pop   es             | 07
            pop   ss             | 17
            pop   ds             | 1F
            pop   fs             | 0F A1
            pop   gs             | 0F A9
            popa                 | 61              | -66
            popaw                | o16 61
            popad                | o32 61
            popf                 | 9D              | -66
            popfw                | o16 9D
            popfd                | o32 9D
            push  rv             | o 50+r
            push  rmv            | o FF /6
            push  es             | 06
            push  cs             | 0E
            push  ss             | 16
            push  ds             | 1E
            push  fs             | 0F A0
            push  gs             | 0F A8
            push  sb             | 6A
            push  word sb        | o16 6A          | asm
            push  dword sb       | o32 6A          | asm
            push  xv             | o 68
            pusha                | 60              | -66
            pushaw               | o16 60
            pushad               | o32 60
            pushf                | 9C              | -66
            pushfw               | o16 9C
            pushfd               | o32 9C
            %rot  rm8,one        | D0 /0
            %rot  rmv,one        | o D1 /0
            %rot  rm8,cl         | D2 /0
            %rot  rmv,cl         | o D3 /0
            %rot  rm8,xb         | C0 /0
            %rot  rmv,xb         | o C1 /0
            rdmsr                | 0F 32
            rdtsc                | 0F 31
            ret                  | C3              | -66
            retw                 | o16 C3
            retd                 | o32 C3
            ret   iw             | C2              | -66
            retnw iw             | o16 C2
            retd  iw             | o32 C2
            retn                 | C3              | asm
            retn  iw             | C2              | asm
            retf                 | CB              | -66
            retfw                | o16 CB
            retfd                | o32 CB
            retf  iw             | CA              | -66
            retfw iw             | o16 CA
            retfd iw             | o32 CA
            sahf                 | 9E
            salc                 | D6
            scasb                | AE              | str
            scasw                | o16 AF          | str
            scasd                | o32 AF          | str
            setcc rm8            | 0F 90+cc /0     | nosize
            sgdt  m              | 0F 01 /0
            sidt  m              | 0F 01 /1
            shld  rmv,rv,ib      | o 0F A4 /r
            shld  rmv,rv,cl      | o 0F A5 /r
            shrd  rmv,rv,ib      | o 0F AC /r
            shrd  rmv,rv,cl      | o 0F AD /r
            sldt  m              | 0F 00 /0
            sldt  rv             | o 0F 00 /0
            smsw  m              | 0F 01 /4
            smsw  rv             | o 0F 01 /4
            stc                  | F9
            std                  | FD
            sti                  | FB
            stosb                | AA              | str
            stosw                | o16 AB          | str
            stosd                | o32 AB          | str
            str   m              | 0F 00 /1
            str   rv             | o 0F 00 /1
            test  rm8,r8         | 84 /r
            test  rmv,rv         | o 85 /r
            test  r8,rm8         | 84 /r           | asm
            test  rv,rmv         | o 85 /r         | asm
            test  al,ib          | A8
            test  av,iv          | o A9
            test  rm8,ib         | F6 /0
            test  rmv,iv         | o F7 /0
            ud2                  | 0F 0B
            verr  rm16           | 0F 00 /4        | nosize
            verw  rm16           | 0F 00 /5        | nosize
            vmcall               | 0F 01 C1
            wait                 | 9B              | asm
            fwait                | 9B              | asm
            wbinvd               | 0F 09
            wrmsr                | 0F 30
            xadd  rm8,r8         | 0F C0 /r
            xadd  rmv,rv         | o 0F C1 /r
            xchg  av,rv          | o 90+r
            xchg  rv,av          | o 90+r          | asm
            xchg  r8,rm8         | 86 /r
            xchg  rm8,r8         | 86 /r           | asm
            xchg  rv,rmv         | o 87 /r
            xchg  rmv,rv         | o 87 /r         | asm
            xlatb                | D7
            xlat                 | D7              | asm
            """;

    /** The eight ALU operations in opcode order (SDM Table A-6, group 1). */
    static final String[] ALU = {"add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"};
    /** The eight shifts and rotates in opcode order (group 2); /6 is undefined. */
    static final String[] ROT = {"rol", "ror", "rcl", "rcr", "shl", "shr", null, "sar"};
    /** Condition codes 0-15 as ndisasm prints them (SDM Appendix B.1). */
    static final String[] CC = {"o", "no", "c", "nc", "z", "nz", "na", "a", "s", "ns", "pe", "po", "l", "nl", "ng", "g"};
    /** Other spellings the assembler accepts, with the code they stand for. */
    static final String[][] CC_ALIASES = {
        {"b", "2"}, {"nae", "2"}, {"nb", "3"}, {"ae", "3"}, {"e", "4"}, {"ne", "5"}, {"be", "6"},
        {"nbe", "7"}, {"p", "10"}, {"np", "11"}, {"nge", "12"}, {"ge", "13"}, {"le", "14"}, {"nle", "15"},
    };
}
