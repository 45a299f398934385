package dev.vwb.machine.difftest;

import static dev.vwb.machine.difftest.Flags.BIT1;

import dev.vwb.machine.difftest.DiffCase.Mode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Builds one {@link DiffCase}: the initial state, the code buffer, an x86 encoder and the
 * {@link GenState model} the instruction emitters ({@link DataOps}, {@link StackOps}, {@link StringOps},
 * {@link ControlOps}) consult so that every instruction they emit is valid: its memory operands land in
 * the data or stack block, ESP stays inside the stack block, and no instruction reads a flag that an
 * earlier instruction left undefined.
 *
 * <p>"Setup" instructions (MOV reg,imm and friends) are emitted freely before the instruction under test
 * to give registers the values the test needs; they are real instructions and are covered too.
 */
final class CaseBuilder {

    static final int EAX = 0, ECX = 1, EDX = 2, EBX = 3, ESP = 4, EBP = 5, ESI = 6, EDI = 7;
    static final int[] SEG_PREFIX = {0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65};

    private static final int[] EDGES = {0, 1, 2, -1, -2, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x10000,
        0x7FFFFFFF, 0x80000000, 0x80000001, 0xFFFFFF80, 0xFFFF8000, 0xFFFF7FFF, 0x55555555, 0xAAAAAAAA, 0x0F, 0x10};

    final long id;
    final Mode mode;
    final SplittableRandom rnd;
    final GenState st = new GenState();
    final AddressSolver addr;

    private final byte[] code = new byte[Layout.CODE_MAX];
    private int len;
    private final byte[] data = new byte[Layout.DATA_END - Layout.DATA];
    private final byte[] stack = new byte[Layout.STACK_END - Layout.STACK];
    private int nextSlot = Layout.POINTERS;
    private final Set<String> keys = new LinkedHashSet<>();
    private int undefinedAtStops;

    /** Registers no emitted instruction may write (e.g. a loop counter); long-lived. */
    int reservedMask;
    /** Registers whose value matters to the instruction being built: address setups must not clobber them. */
    int insnReserved;

    /** Emits one instruction that may be skipped by a conditional branch (set by the generator). */
    java.util.function.Consumer<CaseBuilder> fillerSource;

    final int startEip;
    private final int[] initialGprs = new int[8];
    private final int[] initialSegs = new int[6];
    private final int initialEflags;

    CaseBuilder(long id, Mode mode, SplittableRandom rnd) {
        this.id = id;
        this.mode = mode;
        this.rnd = rnd;
        this.addr = new AddressSolver(this);
        if (real()) {
            st.seg[DiffCase.CS] = pickInt(0x0000, 0x0080, 0x0100, rnd.nextInt(0x101));
            for (int s : new int[] {DiffCase.ES, DiffCase.DS, DiffCase.FS, DiffCase.GS}) {
                st.seg[s] = dataSegmentValue();
            }
            st.seg[DiffCase.SS] = stackSegmentValue();
        }
        startEip = Layout.CODE - segBase(DiffCase.CS);
        fillRandom(data);
        fillRandom(stack);
        for (int r = 0; r < 8; r++) {
            st.set(r, edge(32));
        }
        int top = stackTopCandidate();
        st.set(ESP, real() ? top - segBase(DiffCase.SS) : top);
        initialEflags = randomEflags(false);
        st.df = (initialEflags & Flags.DF) != 0 ? 1 : 0;
        System.arraycopy(st.reg, 0, initialGprs, 0, 8);
        System.arraycopy(st.seg, 0, initialSegs, 0, 6);
    }

    DiffCase build() {
        List<DiffCase.MemBlock> blocks = List.of(
                new DiffCase.MemBlock(Layout.DATA, data.clone()),
                new DiffCase.MemBlock(Layout.STACK, stack.clone()));
        return new DiffCase(id, mode, initialGprs.clone(), initialEflags, initialSegs.clone(), startEip,
                Arrays.copyOf(code, len), blocks, startEip + len, Layout.MAX_INSTRUCTIONS,
                List.copyOf(keys), undefinedAtStops | st.undefinedFlags);
    }

    // ---------------------------------------------------------------- mode facts

    boolean real() {
        return mode == Mode.REAL16;
    }

    /** Default operand (and address) size in bits. */
    int defaultSize() {
        return real() ? 16 : 32;
    }

    int segBase(int sreg) {
        return real() ? st.seg[sreg] << 4 : 0;
    }

    /** The part of ESP that addresses the stack: SP in real mode, ESP in flat mode. */
    int stackPointer() {
        int esp = st.value(ESP);
        return real() ? esp & 0xFFFF : esp;
    }

    int stackLinear() {
        return segBase(DiffCase.SS) + stackPointer();
    }

    /** EIP of a code offset while CS is the initial CS. */
    int eipOf(int offset) {
        return startEip + offset;
    }

    int pos() {
        return len;
    }

    // ---------------------------------------------------------------- randomness

    int pick(int n) {
        return rnd.nextInt(n);
    }

    boolean chance(int percent) {
        return rnd.nextInt(100) < percent;
    }

    int pickInt(int... values) {
        return values[rnd.nextInt(values.length)];
    }

    static int mask(int bits) {
        return bits == 32 ? -1 : (1 << bits) - 1;
    }

    /** An edge value (0, 1, -1, 0x7F, 0x80, 0x7FFF, 0x80000000, ...) or a random one, of the given width. */
    int edge(int bits) {
        int roll = rnd.nextInt(100);
        int v;
        if (roll < 45) {
            v = EDGES[rnd.nextInt(EDGES.length)];
        } else if (roll < 55) {
            v = rnd.nextInt(17);
        } else {
            v = rnd.nextInt();
        }
        return v & mask(bits);
    }

    private void fillRandom(byte[] image) {
        for (int i = 0; i < image.length; i += 8) {
            putLe(image, i, (int) rnd.nextLong(), Math.min(4, image.length - i));
            if (i + 4 < image.length) {
                putLe(image, i + 4, rnd.nextInt(), Math.min(4, image.length - i - 4));
            }
        }
        for (int k = image.length / 16; k > 0; k--) {         // sprinkle edge values on ~1/4 of the dwords
            putLe(image, 4 * rnd.nextInt(image.length / 4), edge(32), 4);
        }
    }

    /** A real-mode data segment value from which the data block is reachable with 16-bit offsets. */
    int dataSegmentValue() {
        return pickInt(0x0000, 0x0100, 0x0200, 0x01F0, 0x0001, rnd.nextInt(0x201));
    }

    /** A real-mode stack segment value from which the stack block is reachable. */
    int stackSegmentValue() {
        return pickInt(0x0000, 0x0700, 0x07F0, 0x0400, rnd.nextInt(0x7F1));
    }

    int stackTopCandidate() {
        return (Layout.STACK_TOP_MIN + rnd.nextInt(Layout.STACK_TOP_MAX - Layout.STACK_TOP_MIN + 1)) & ~(chance(80) ? 3 : 1);
    }

    /**
     * A sane EFLAGS image: random status flags, DF, IF, sometimes IOPL/NT/AC; never TF, RF, VM or ID.
     * With {@code junk}, reserved bits may be set and bit 1 cleared (POPF/IRET must fix them up).
     */
    int randomEflags(boolean junk) {
        int f = BIT1 | (rnd.nextInt() & Flags.STATUS);
        if (chance(50)) {
            f |= Flags.DF;
        }
        if (chance(50)) {
            f |= Flags.IF;
        }
        if (chance(20)) {
            f |= rnd.nextInt(4) << 12;
        }
        if (chance(10)) {
            f |= Flags.NT;
        }
        if (chance(10)) {
            f |= Flags.AC;
        }
        if (junk && chance(30)) {
            f |= pickInt(1 << 3, 1 << 5, 1 << 15, 1 << 3 | 1 << 5 | 1 << 15, 0xFFC00000);
        }
        if (junk && chance(20)) {
            f &= ~BIT1;
        }
        return f;
    }

    // ---------------------------------------------------------------- model updates

    void flags(int defined, int undefined) {
        st.flags(defined, undefined);
    }

    /** The next instruction may fault or trap: execution may end here with the current flags. */
    void mayStop() {
        undefinedAtStops |= st.undefinedFlags;
    }

    /** A write to a register of the given width (8-bit numbers 4..7 are AH..BH). */
    void clobber(int r, int bits) {
        st.forget(bits == 8 ? r & 3 : r);
    }

    void pushed(int bytes) {
        moveStack(-bytes);
    }

    void popped(int bytes) {
        moveStack(bytes);
    }

    /** ESP += delta; only SP moves on a 16-bit stack (real mode). */
    void moveStack(int delta) {
        int esp = st.value(ESP);
        st.set(ESP, real() ? (esp & 0xFFFF0000) | ((esp + delta) & 0xFFFF) : esp + delta);
    }

    // ---------------------------------------------------------------- registers

    /** A register for an operand; writes never pick ESP (16/32-bit) or a reserved register. */
    int pickReg(int bits, boolean write) {
        while (true) {
            int r = rnd.nextInt(8);
            int full = bits == 8 ? r & 3 : r;
            if (write && ((bits != 8 && r == ESP) || (reservedMask & (1 << full)) != 0)) {
                continue;
            }
            return r;
        }
    }

    /** Like {@link #pickReg} but sometimes first loads an edge value into it (then reserved for this instruction). */
    int valueReg(int bits, boolean write) {
        int r = pickReg(bits, write);
        int full = bits == 8 ? r & 3 : r;
        if (full != ESP && chance(25) && settable(full)) {
            setReg(r, edge(bits), bits);
        }
        return r;
    }

    boolean settable(int r) {
        return r != ESP && ((reservedMask | insnReserved) & (1 << r)) == 0;
    }

    void reserve(int r) {
        insnReserved |= 1 << r;
    }

    /** MOV reg, imm of the given width (B0+r / B8+r), tracked in the model; reserves the register. */
    void setReg(int r, int value, int bits) {
        int full = bits == 8 ? r & 3 : r;
        if (full == ESP && bits != 16 && bits != 32) {
            throw new IllegalStateException("8-bit write to SP");
        }
        if (bits == 8) {
            insn(OpTable.hex(0xB0 + r)).setup().op(0xB0 + r).imm(value, 1).emit();
            if (st.known(full)) {
                int shift = r >= 4 ? 8 : 0;
                st.set(full, (st.reg[full] & ~(0xFF << shift)) | ((value & 0xFF) << shift));
            }
        } else {
            insn(OpTable.hex(0xB8 + r)).setup().size(bits).op(0xB8 + r).imm(value, bits / 8).emit();
            if (bits == 32) {
                st.set(r, value);
            } else if (st.known(r)) {
                st.set(r, (st.reg[r] & 0xFFFF0000) | (value & 0xFFFF));
            } else if (r == ESP) {
                throw new IllegalStateException("ESP unknown");
            }
        }
        reserve(full);
    }

    /** Gives a register's low 16 bits a value, by MOV r16 or by MOV r32 with random upper bits. */
    void setLow16(int r, int value) {
        if (!st.known(r) || chance(50)) {
            setReg(r, (rnd.nextInt() & 0xFFFF0000) | (value & 0xFFFF), 32);
        } else {
            setReg(r, value, 16);
        }
    }

    // ---------------------------------------------------------------- stack

    /**
     * Makes sure {@code below} bytes can be pushed and {@code above} bytes popped inside the stack
     * block, re-placing ESP (MOV ESP / MOV SP, imm) when they cannot.
     */
    void ensureStack(int below, int above) {
        int sp = stackPointer();
        int linear = stackLinear();
        boolean ok = linear - below >= Layout.STACK && linear + above <= Layout.STACK_END
                && (!real() || (sp - below >= 0 && sp + above <= 0xFFFF));
        if (!ok) {
            placeStack(stackTopCandidate());
        }
    }

    /** MOV (E)SP so that SS:(E)SP is the given linear address. */
    void placeStack(int linear) {
        if (real()) {
            setReg(ESP, linear - segBase(DiffCase.SS), 16);
        } else {
            setReg(ESP, linear, 32);
        }
    }

    /** A value for the stack pointer (an SS offset) that is safely inside the stack block. */
    int safeStackPointer() {
        return stackTopCandidate() - segBase(DiffCase.SS);
    }

    // ---------------------------------------------------------------- memory images

    /** Writes an initial memory value (little endian) if the address is in a block. */
    void poke(int linear, int value, int bytes) {
        for (int i = 0; i < bytes; i++) {
            int a = linear + i;
            byte b = (byte) (value >>> (8 * i));
            if (a >= Layout.DATA && a < Layout.DATA_END) {
                data[a - Layout.DATA] = b;
            } else if (a >= Layout.STACK && a < Layout.STACK_END) {
                stack[a - Layout.STACK] = b;
            }
        }
    }

    /** Reserves a read-only slot (pointer, bounds, selector) with the given bytes; -1 when full. */
    int slot(byte[] contents) {
        int at = (nextSlot + 1) & ~1;
        if (at + contents.length > Layout.DATA_END) {
            return -1;
        }
        nextSlot = at + contents.length;
        System.arraycopy(contents, 0, data, at - Layout.DATA, contents.length);
        return at;
    }

    static byte[] le(int value, int bytes) {
        byte[] b = new byte[bytes];
        putLe(b, 0, value, bytes);
        return b;
    }

    static void putLe(byte[] target, int at, int value, int bytes) {
        for (int i = 0; i < bytes; i++) {
            target[at + i] = (byte) (value >>> (8 * i));
        }
    }

    // ---------------------------------------------------------------- code

    /** One FILLER instruction: something a conditional branch can skip without upsetting the model. */
    void filler() {
        fillerSource.accept(this);
    }

    Insn insn(String key) {
        return new Insn(key);
    }

    /** Bytes that must never execute (after an unconditional jump): INT3, so a wrong jump is visible. */
    void junk() {
        int n = 1 + rnd.nextInt(3);
        for (int i = 0; i < n; i++) {
            code[len++] = (byte) 0xCC;
        }
    }

    /** Writes a little-endian value into already emitted code. */
    void patch(int at, int value, int bytes) {
        putLe(code, at, value, bytes);
    }

    /** Points the relative displacement that ends instruction {@code e} at code offset {@code target}. */
    void patchRel(Emitted e, int bytes, int target) {
        int rel = target - e.end();
        if (bytes == 1 && (rel < -128 || rel > 127)) {
            throw new IllegalStateException("rel8 out of range: " + rel);
        }
        patch(e.end() - bytes, rel, bytes);
    }

    /** Start and end code offsets of an emitted instruction. */
    record Emitted(int start, int end) { }

    /** An r/m operand. */
    sealed interface Operand permits Reg, Mem { }

    record Reg(int r) implements Operand { }

    /**
     * A memory operand. {@code mod < 0} means a moffs (A0-A3) address: only {@code disp}.
     * {@code linear} is where the access lands.
     */
    record Mem(int mod, int rm, int sib, byte[] disp, boolean addr16, int segOverride, int linear) implements Operand { }

    /** Fluent encoder for one instruction; {@link #emit()} appends it and records its coverage keys. */
    final class Insn {
        private final String key;

        String key() {
            return key;
        }
        private final List<Integer> prefixes = new ArrayList<>();
        private final byte[] body = new byte[16];
        private int n;
        private boolean setup;

        private Insn(String key) {
            this.key = key;
        }

        /** Adds 66 when {@code bits} (16/32) differs from the mode's default; 8 needs nothing. */
        Insn size(int bits) {
            if (bits != 8 && bits != defaultSize()) {
                prefix(0x66);
            }
            return this;
        }

        /** A setup instruction: keeps the registers reserved for the instruction being prepared. */
        Insn setup() {
            setup = true;
            return this;
        }

        Insn prefix(int p) {
            if (!prefixes.contains(p)) {
                prefixes.add(p);
            }
            return this;
        }

        /** 67 when the address size differs from the default. */
        Insn addrSize(boolean addr16) {
            if (addr16 != real()) {
                prefix(0x67);
            }
            return this;
        }

        Insn op(int... bytes) {
            for (int b : bytes) {
                body[n++] = (byte) b;
            }
            return this;
        }

        Insn modrm(Operand rm, int regField) {
            if (rm instanceof Reg reg) {
                return op(0xC0 | (regField & 7) << 3 | reg.r());
            }
            Mem m = (Mem) rm;
            memPrefixes(m);
            op(m.mod() << 6 | (regField & 7) << 3 | m.rm());
            if (m.sib() >= 0) {
                op(m.sib());
            }
            for (byte b : m.disp()) {
                op(b & 0xFF);
            }
            return this;
        }

        /** The address bytes of a moffs operand (A0-A3). */
        Insn moffs(Mem m) {
            memPrefixes(m);
            for (byte b : m.disp()) {
                op(b & 0xFF);
            }
            return this;
        }

        private void memPrefixes(Mem m) {
            addrSize(m.addr16());
            if (m.segOverride() >= 0) {
                prefix(SEG_PREFIX[m.segOverride()]);
            }
        }

        Insn imm(int value, int bytes) {
            for (int i = 0; i < bytes; i++) {
                body[n++] = (byte) (value >>> (8 * i));
            }
            return this;
        }

        Insn lock() {
            return prefix(0xF0);
        }

        Emitted emit() {
            List<Integer> order = new ArrayList<>(prefixes);
            Collections.shuffle(order, new java.util.Random(rnd.nextLong()));
            int total = order.size() + n;
            if (total > 15) {
                throw new IllegalStateException("instruction longer than 15 bytes: " + key);
            }
            if (len + total > code.length) {
                throw new CodeFull();
            }
            int start = len;
            for (int p : order) {
                code[len++] = (byte) p;
                keys.add(OpTable.hex(p));
            }
            System.arraycopy(body, 0, code, len, n);
            len += n;
            keys.add(key);
            if (!setup) {
                insnReserved = 0;
            }
            return new Emitted(start, len);
        }
    }

    /** Thrown when a case's code would not fit its code area (never expected with 1-6 instructions). */
    static final class CodeFull extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CodeFull() {
            super("code area full");
        }
    }
}
