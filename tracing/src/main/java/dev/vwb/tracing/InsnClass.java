package dev.vwb.tracing;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Classes of instructions, worked out from the disassembled text (so they agree with what a
 * student reads). An instruction can be in several: {@code call [ebx]} is a control transfer and
 * a memory access, {@code out dx,al} is I/O and IOPL-sensitive.
 */
public enum InsnClass {
    /**
     * Privileged (CPL 0 only: SDM Vol. 3A §5.9) or IOPL-sensitive (CLI, STI, IN, OUT, INS, OUTS):
     * the instructions a trap-and-emulate hypervisor must see.
     */
    PRIVILEGED,
    /** Changes EIP other than by falling through: jumps, calls, returns, loops, INT, IRET. */
    CONTROL_TRANSFER,
    /** Reads or writes memory as data: a memory operand, a string instruction, the stack. */
    MEMORY,
    /** Port I/O: IN, OUT, INS, OUTS. */
    IO;

    private static final Set<String> PREFIXES = Set.of("lock", "rep", "repe", "repz", "repne", "repnz",
            "o16", "o32", "a16", "a32", "cs", "ds", "es", "ss", "fs", "gs");
    private static final Set<String> PRIVILEGED_MNEMONICS = Set.of("hlt", "lgdt", "lidt", "lldt", "ltr", "lmsw",
            "clts", "invd", "wbinvd", "invlpg", "rdmsr", "wrmsr", "cli", "sti", "in", "out",
            "insb", "insw", "insd", "outsb", "outsw", "outsd");
    private static final Set<String> IO_MNEMONICS = Set.of("in", "out", "insb", "insw", "insd", "outsb", "outsw", "outsd");
    private static final Set<String> TRANSFER_MNEMONICS = Set.of("jmp", "call", "ret", "retf", "iret", "iretd", "iretw",
            "int", "int1", "int3", "into", "loop", "loope", "loopz", "loopne", "loopnz", "jcxz", "jecxz", "bound");
    private static final Set<String> IMPLICIT_MEMORY = Set.of("push", "pop", "pusha", "pushad", "pushaw", "popa", "popad",
            "popaw", "pushf", "pushfd", "pushfw", "popf", "popfd", "popfw", "call", "ret", "retf", "iret", "iretd", "iretw",
            "enter", "leave", "int", "int3", "into", "xlatb", "bound", "lgdt", "lidt", "sgdt", "sidt");
    private static final String[] STRING_OPS = {"movs", "stos", "lods", "cmps", "scas", "ins", "outs"};

    /** The mnemonic of a disassembled instruction: its first word that is not a prefix. */
    public static String mnemonic(String text) {
        String[] words = text.trim().toLowerCase(Locale.ROOT).split("[\\s,]+");
        for (String w : words) {
            if (!PREFIXES.contains(w)) {
                return w;
            }
        }
        return words.length == 0 ? "" : words[words.length - 1];
    }

    /** The classes of a disassembled instruction, such as {@code "mov cr0,eax"}. */
    public static Set<InsnClass> of(String text) {
        return fromMask(mask(text));
    }

    /** The classes as a bit mask (bit {@code ordinal()}), for the hot paths. */
    static int mask(String text) {
        String m = mnemonic(text);
        String lower = text.toLowerCase(Locale.ROOT);
        int mask = 0;
        boolean controlRegister = m.equals("mov") && lower.matches(".*\\b[cdt]r\\d.*");
        if (PRIVILEGED_MNEMONICS.contains(m) || controlRegister) {
            mask |= 1 << PRIVILEGED.ordinal();
        }
        if (TRANSFER_MNEMONICS.contains(m) || (m.length() >= 2 && m.charAt(0) == 'j')) {
            mask |= 1 << CONTROL_TRANSFER.ordinal();
        }
        if (lower.indexOf('[') >= 0 || IMPLICIT_MEMORY.contains(m) || isStringOp(m)) {
            mask |= 1 << MEMORY.ordinal();
        }
        if (IO_MNEMONICS.contains(m)) {
            mask |= 1 << IO.ordinal();
        }
        return mask;
    }

    private static boolean isStringOp(String m) {
        for (String s : STRING_OPS) {
            if (m.startsWith(s) && m.length() == s.length() + 1) {
                return true;
            }
        }
        return false;
    }

    static Set<InsnClass> fromMask(int mask) {
        Set<InsnClass> set = EnumSet.noneOf(InsnClass.class);
        for (InsnClass c : values()) {
            if ((mask & 1 << c.ordinal()) != 0) {
                set.add(c);
            }
        }
        return set;
    }

    static int maskOf(Set<InsnClass> classes) {
        int mask = 0;
        for (InsnClass c : classes) {
            mask |= 1 << c.ordinal();
        }
        return mask;
    }
}
