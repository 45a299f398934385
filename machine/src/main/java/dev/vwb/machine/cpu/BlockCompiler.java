package dev.vwb.machine.cpu;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Translates a hot run of guest instructions into a JVM class (a {@link CompiledBlock}) whose
 * {@code run} method calls the instructions' kernels one after another: for the hottest forms a
 * {@link Kernels} method with the operands as constants, otherwise the {@link FastPath} kernel
 * (or the generic interpreter) on the decoded {@link Insn}.
 *
 * <p>Why: an interpreter pays a dispatch per guest instruction, and on the JVM that dispatch is
 * a call through which nothing is kept in registers. Translated code calls each kernel
 * statically, so the JIT inlines the kernels into one straight-line method per block and the
 * dispatch happens once per block. The semantics cannot differ from the interpreter's: the
 * translated method runs exactly the kernels the interpreter would, in the same order, and
 * checks the attention word after every instruction that can raise it (those that write memory,
 * which may hit decoded code). It adds to the retired count when it returns; when an instruction
 * faults, the run loop works out from EIP how many had completed.
 *
 * <p>A block is a trace of fast paths on one physical page: it runs straight on, continues past
 * a conditional branch or LOOP along its not-taken path (leaving through a side exit when it is
 * taken), follows direct JMPs and CALLs to their targets and, after a RET that matches a CALL it
 * followed, continues at the return address (leaving through a side exit should the stack say
 * otherwise). It ends with any other RET, an instruction the generic interpreter runs, a branch
 * back into the block, or at {@link #MAX_LENGTH}.
 */
final class BlockCompiler {
    private BlockCompiler() {
    }

    /** Longer traces make methods too big for the JIT to inline every kernel into. */
    static final int MAX_LENGTH = 24;
    private static final String CPU = "dev/vwb/machine/cpu/Cpu";
    private static final String INSN = "dev/vwb/machine/cpu/Insn";
    private static final String BASE = "dev/vwb/machine/cpu/CompiledBlock";
    private static final String FAST_PATHS = "dev/vwb/machine/cpu/FastPaths";
    private static final String INTERPRETER = "dev/vwb/machine/cpu/Interpreter";
    private static final String KERNELS = "dev/vwb/machine/cpu/Kernels";
    private static final String KERNEL = "(L" + CPU + ";L" + INSN + ";)V";
    private static final MethodType CONSTRUCTOR = MethodType.methodType(void.class, Insn[].class, int[].class);

    /**
     * Collects the block starting with {@code first} at {@code pc} (decoding ahead through
     * {@code fetch}) and translates it.
     */
    static CompiledBlock compile(Insn first, int pc, java.util.function.IntFunction<Insn> fetch) {
        Insn[] insns = new Insn[MAX_LENGTH];
        int[] offsets = new int[MAX_LENGTH];
        boolean[] guarded = new boolean[MAX_LENGTH];
        int[] returns = new int[MAX_LENGTH];  // return offsets of the CALLs followed, innermost last
        int depth = 0;
        int n = 0;
        Insn insn = first;
        int offset = 0;
        while (true) {
            insns[n] = insn;
            offsets[n] = offset;
            n++;
            if (insn.fast == null || n == MAX_LENGTH) {
                break;
            }
            int nextOffset;
            String kernel = insn.fast.kernel;
            if (!insn.fast.branch) {
                nextOffset = offset + insn.length;
            } else if (kernel.equals("jcc") || kernel.equals("loop")) {
                nextOffset = offset + insn.length;  // the not-taken path; taken leaves by a side exit
                guarded[n - 1] = true;
            } else if (kernel.equals("jmp")) {
                nextOffset = offset + insn.length + insn.imm;
            } else if (kernel.equals("call")) {
                returns[depth++] = offset + insn.length;
                nextOffset = offset + insn.length + insn.imm;
            } else if (kernel.equals("ret") && depth > 0) {
                nextOffset = returns[--depth];  // expected: back to the CALL this block followed
                guarded[n - 1] = true;
            } else {
                break;  // RET of a CALL outside the block: the next EIP is known only at run time
            }
            if (contains(offsets, n, nextOffset)) {
                break;  // a loop back into this block: the block ends, the next one is linked to it
            }
            Insn next;
            try {
                next = fetch.apply(pc + nextOffset);
            } catch (GuestFault undecodable) {
                break;  // the block ends before bytes that cannot be decoded (yet)
            }
            if (!next.cached || !insn.cached || (next.phys ^ insn.phys) >>> 12 != 0) {
                break;  // blocks stay on one page, so dropping the page drops them
            }
            if (nextOffset == offset + insn.length) {
                insn.next = next;
            }
            insn = next;
            offset = nextOffset;
        }
        Insn[] blockInsns = Arrays.copyOf(insns, n);
        int[] blockOffsets = Arrays.copyOf(offsets, n);
        boolean[] blockGuards = Arrays.copyOf(guarded, n);
        try {
            if (SHAPES.size() >= MAX_SHAPES) {
                SHAPES.clear();  // bounded: classes no live block uses are then unloaded
            }
            return (CompiledBlock) SHAPES.computeIfAbsent(shape(blockInsns, blockGuards), key -> define(blockInsns, blockGuards))
                    .invoke(blockInsns, blockOffsets);
        } catch (Throwable e) {
            throw new IllegalStateException("translating a block failed", e);
        }
    }

    /**
     * Translated classes by shape: the kernels a block calls and their constant operands. Blocks
     * of the same shape, in any machine, share one class, and the JIT compiles it once.
     */
    private static final Map<String, MethodHandle> SHAPES = new ConcurrentHashMap<>();
    private static final int MAX_SHAPES = 8192;

    private static String shape(Insn[] insns, boolean[] guarded) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < insns.length; k++) {
            KernelCall call = KernelCall.of(insns[k]);
            if (call != null) {
                sb.append(call.method).append(java.util.Arrays.toString(call.args));
            } else {
                sb.append(insns[k].fast == null ? "*" : insns[k].fast.kernel);
            }
            sb.append(guarded[k] ? "?," : ",");
        }
        return sb.toString();
    }

    /**
     * A call of a {@link Kernels} method with every operand a constant, for the instruction forms
     * that have one; the JIT then folds the operands into the translated code.
     */
    record KernelCall(String method, int[] args) {
        private static final String[] FNS = {"Add", "Or", "Adc", "Sbb", "And", "Sub", "Xor", "Cmp"};
        private static final String[] SHIFTS = {"Rol", "Ror", "Rcl", "Rcr", "Shl", "Shr", "Sal", "Sar"};

        static KernelCall of(Insn i) {
            if (i.fast == null) {
                return null;
            }
            String k = i.fast.kernel;
            int[] mem = {i.seg, i.base, i.index, i.scale, i.disp, i.a32 ? 1 : 0, i.length};
            for (int fn = 0; fn < 8; fn++) {
                if (k.equals("regReg" + FNS[fn])) {
                    return new KernelCall("aluRR", new int[] {fn, i.dst, i.src, i.length});
                }
                if (k.equals("regImm" + FNS[fn])) {
                    return new KernelCall("aluRI", new int[] {fn, i.dst, i.imm, i.length});
                }
                if (k.equals("regMem" + FNS[fn])) {
                    return new KernelCall("aluRM", concat(new int[] {fn, i.dst}, mem));
                }
                if (k.equals("memReg" + FNS[fn])) {
                    return new KernelCall("aluMR", concat(new int[] {fn, i.src}, mem));
                }
                if (k.equals("shiftReg" + SHIFTS[fn])) {
                    return new KernelCall("shift", new int[] {fn, i.dst, i.src, i.length});
                }
            }
            switch (k) {
                case "movRegReg": return new KernelCall("movRR", new int[] {i.dst, i.src, i.length});
                case "movRegImm": return new KernelCall("movRI", new int[] {i.reg, i.imm, i.length});
                case "movRegMem": return new KernelCall("movRM", concat(new int[] {i.reg}, mem));
                case "movMemReg": return new KernelCall("movMR", concat(new int[] {i.reg}, mem));
                case "movMemImm": return new KernelCall("movMI", concat(new int[] {i.imm}, mem));
                case "lea": return new KernelCall("lea", new int[] {i.reg, i.base, i.index, i.scale, i.disp, i.a32 ? 1 : 0, i.length});
                case "incReg": return new KernelCall("incDec", new int[] {1, i.reg, i.length});
                case "decReg": return new KernelCall("incDec", new int[] {0, i.reg, i.length});
                case "testRegReg": return new KernelCall("test", new int[] {i.rm, i.reg, i.length});
                case "pushReg": return new KernelCall("push", new int[] {i.reg, i.length});
                case "popReg": return new KernelCall("pop", new int[] {i.reg, i.length});
                case "jcc": return new KernelCall("jcc", new int[] {i.cc, i.length, i.imm});
                case "jmp": return new KernelCall("jmp", new int[] {i.length, i.imm});
                case "call": return new KernelCall("call", new int[] {i.length, i.imm});
                case "ret": return new KernelCall("ret", new int[0]);
                case "loop": return new KernelCall("loop", new int[] {i.length, i.imm});
                case "nop": return new KernelCall("nop", new int[] {i.length});
                case "setcc": return i.mem ? null : new KernelCall("setccR", new int[] {i.cc, i.rm, i.length});
                case "incDecMem": return new KernelCall("incDecM", concat(new int[] {i.op == Op.INC_RM ? 1 : 0}, mem));
                case "extend":
                    return new KernelCall("extend", concat(new int[] {i.reg, i.op == Op.MOVSX ? 1 : 0,
                        (i.opcode & 1) == 0 ? 1 : 2, i.mem ? 1 : 0, i.rm}, mem));
                case "imulImm": return i.mem ? null : new KernelCall("imulRRI", new int[] {i.reg, i.rm, i.imm, i.length});
                default: return null;
            }
        }

        private static int[] concat(int[] a, int[] b) {
            int[] r = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, r, a.length, b.length);
            return r;
        }

        String descriptor() {
            return "(L" + CPU + ";" + "I".repeat(args.length) + ")V";
        }
    }

    private static MethodHandle define(Insn[] insns, boolean[] guarded) {
        try {
            MethodHandles.Lookup hidden = MethodHandles.lookup().defineHiddenClass(translate(insns, guarded), true);
            return hidden.findConstructor(hidden.lookupClass(), CONSTRUCTOR);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("defining a translated block failed", e);
        }
    }

    private static boolean contains(int[] values, int count, int value) {
        for (int k = 0; k < count; k++) {
            if (values[k] == value) {
                return true;
            }
        }
        return false;
    }

    /** Emits {@code c.retired += n}. */
    private static void addRetired(MethodVisitor run, int n) {
        run.visitVarInsn(Opcodes.ALOAD, 1);
        run.visitInsn(Opcodes.DUP);
        run.visitFieldInsn(Opcodes.GETFIELD, CPU, "retired", "J");
        run.visitLdcInsn((long) n);
        run.visitInsn(Opcodes.LADD);
        run.visitFieldInsn(Opcodes.PUTFIELD, CPU, "retired", "J");
    }

    /** The class file of a block: a constructor and {@code run(Cpu)}. */
    private static byte[] translate(Insn[] insns, boolean[] guarded) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS | ClassWriter.COMPUTE_FRAMES) {
            @Override
            protected String getCommonSuperClass(String a, String b) {
                return "java/lang/Object";
            }
        };
        cw.visit(Opcodes.V17, Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, "dev/vwb/machine/cpu/TranslatedBlock", null, BASE, null);

        MethodVisitor init = cw.visitMethod(0, "<init>", "([L" + INSN + ";[I)V", null, null);
        init.visitCode();
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitVarInsn(Opcodes.ALOAD, 1);
        init.visitVarInsn(Opcodes.ALOAD, 2);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, BASE, "<init>", "([L" + INSN + ";[I)V", false);
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();

        // int run(Cpu c, int bpc): locals 0 this, 1 c, 2 bpc, 3 insns, 4 offsets
        MethodVisitor run = cw.visitMethod(0, "run", "(L" + CPU + ";I)I", null, null);
        run.visitCode();
        run.visitVarInsn(Opcodes.ALOAD, 0);
        run.visitFieldInsn(Opcodes.GETFIELD, BASE, "insns", "[L" + INSN + ";");
        run.visitVarInsn(Opcodes.ASTORE, 3);
        run.visitVarInsn(Opcodes.ALOAD, 0);
        run.visitFieldInsn(Opcodes.GETFIELD, BASE, "offsets", "[I");
        run.visitVarInsn(Opcodes.ASTORE, 4);
        for (int k = 0; k < insns.length; k++) {
            FastPath p = insns[k].fast;
            KernelCall call = KernelCall.of(insns[k]);
            run.visitVarInsn(Opcodes.ALOAD, 1);
            if (call != null) {
                // Kernels.method(c, constant operands...);
                for (int arg : call.args()) {
                    run.visitLdcInsn(arg);
                }
                run.visitMethodInsn(Opcodes.INVOKESTATIC, KERNELS, call.method(), call.descriptor(), false);
            } else {
                // kernel(c, insns[k]);
                run.visitVarInsn(Opcodes.ALOAD, 3);
                run.visitLdcInsn(k);
                run.visitInsn(Opcodes.AALOAD);
                if (p != null) {
                    run.visitMethodInsn(Opcodes.INVOKESTATIC, FAST_PATHS, p.kernel, KERNEL, false);
                } else {
                    run.visitMethodInsn(Opcodes.INVOKESTATIC, INTERPRETER, "execute", KERNEL, false);
                }
            }
            if (k < insns.length - 1 && guarded[k]) {
                // A side exit (a branch taken, a RET elsewhere than expected):
                // if (c.eip != bpc + offsets[k + 1]) { c.retired += k + 1; return k + 1; }
                Label stay = new Label();
                run.visitVarInsn(Opcodes.ALOAD, 1);
                run.visitFieldInsn(Opcodes.GETFIELD, CPU, "eip", "I");
                run.visitVarInsn(Opcodes.ILOAD, 2);
                run.visitVarInsn(Opcodes.ALOAD, 4);
                run.visitLdcInsn(k + 1);
                run.visitInsn(Opcodes.IALOAD);
                run.visitInsn(Opcodes.IADD);
                run.visitJumpInsn(Opcodes.IF_ICMPEQ, stay);
                addRetired(run, k + 1);
                run.visitLdcInsn(k + 1);
                run.visitInsn(Opcodes.IRETURN);
                run.visitLabel(stay);
            }
            if (k < insns.length - 1 && FastPaths.writesMemory(p)) {
                // A write may have dropped decoded code (or raised attention otherwise):
                // if (c.attention != 0) { c.retired += k + 1; return; }
                Label go = new Label();
                run.visitVarInsn(Opcodes.ALOAD, 1);
                run.visitFieldInsn(Opcodes.GETFIELD, CPU, "attention", "I");
                run.visitJumpInsn(Opcodes.IFEQ, go);
                addRetired(run, k + 1);
                run.visitLdcInsn(k + 1);
                run.visitInsn(Opcodes.IRETURN);
                run.visitLabel(go);
            }
        }
        addRetired(run, insns.length);
        run.visitLdcInsn(insns.length);
        run.visitInsn(Opcodes.IRETURN);
        run.visitMaxs(0, 0);
        run.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }
}
