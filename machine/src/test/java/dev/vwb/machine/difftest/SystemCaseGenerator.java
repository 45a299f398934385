package dev.vwb.machine.difftest;

import dev.vwb.machine.difftest.DiffCase.MemBlock;
import dev.vwb.machine.difftest.DiffCase.Mode;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The protected-mode family ({@link Mode#PM32}): cases that set up a guest's system state with guest
 * code - a GDT full of awkward descriptors, LLDT 0, optionally paging (random P/RW/US/A/D bits, 4 MiB
 * pages with CR4.PSE, CR0.WP 0/1) and an IRET to CPL 3 - and then run 1-3 instructions meant to fault:
 * #DE, #UD, #BR, #GP/#NP/#SS from segment loads, far transfers and segment limits, #GP from privileged
 * instructions at CPL 3, and #PF from loads, stores, read-modify-writes, pushes/pops and string
 * instructions, many of them straddling a page boundary.
 *
 * <p>Compared (see {@link DiffComparator}): the vector, the error code, CR2, the faulting EIP, every
 * register and the memory blocks: the GDT (descriptor accessed bits), PDE 0 and the first 16 PTEs
 * (accessed/dirty bits set by the walker), the data and stack blocks and windows around the test pages.
 * Exceptions are not delivered, as in the other modes (Unicorn 2.0.1 never delivers through the IDT).
 *
 * <p>Every page table maps a page to itself: Unicorn 2.0.1 walks the tables (faults, CR2, A/D bits) but
 * then uses the linear address as the physical one (UNICORN-DIFFERENCES.md, row 20).
 */
final class SystemCaseGenerator implements CaseSource {

    // ---- Layout (physical = linear) ----
    static final int GDT = 0x3000;
    static final int GDTR = 0x3100;           // the 6-byte pseudo-descriptor LGDT reads
    static final int SYSTEM_END = 0x3108;
    static final int PAGE_DIR = 0x4000;
    static final int PAGE_TABLE = 0x5000;
    static final int MAPPED_PAGES = 16;       // PTEs 0..15 map linear 0..0xFFFF; the rest are zero
    /** Pages whose accesses the tests aim at; windows of WINDOW bytes straddle each boundary. */
    static final int TEST_PAGES = 0x9000;
    static final int TEST_PAGE_COUNT = 4;
    static final int WINDOW = 0x40;

    // ---- GDT: selectors and what each descriptor is for ----
    static final int CODE0 = 0x08;            // DPL 0 code, execute/read, flat
    static final int DATA0 = 0x10;            // DPL 0 data, read/write, flat
    static final int CODE3 = 0x18;            // DPL 3 code, execute/read, flat
    static final int DATA3 = 0x20;            // DPL 3 data, read/write, flat
    static final int RODATA3 = 0x28;          // DPL 3 data, read-only: writes and SS loads fault
    static final int XCODE3 = 0x30;           // DPL 3 code, execute-only: DS loads fault
    static final int ABSENT3 = 0x38;          // DPL 3 data, not present: #NP (#SS for SS)
    static final int SMALL3 = 0x40;           // DPL 3 data, base 0x2000, limit 0x23F (byte granular)
    static final int SYSTEM3 = 0x48;          // an available 32-bit TSS descriptor, DPL 3: not loadable
    static final int DATA2 = 0x50;            // DPL 2 data, read/write: RPL/CPL checks
    static final int CONFORMING0 = 0x58;      // DPL 0 conforming code, readable
    static final int EXPDOWN3 = 0x60;         // DPL 3 expand-down data, limit 0x1FFF, B=1
    static final int GDT_LIMIT = 0x67;
    static final int SMALL_BASE = 0x2000;
    static final int SMALL_LIMIT = 0x23F;
    static final int EXPDOWN_LIMIT = 0x1FFF;
    static final int[] SELECTORS = {0, CODE0, DATA0, CODE3, DATA3, RODATA3, XCODE3, ABSENT3, SMALL3, SYSTEM3, DATA2,
        CONFORMING0, EXPDOWN3};

    // Page-table bits
    static final int P = 1, RW = 2, US = 4, A = 0x20, D = 0x40, PS = 0x80;
    static final int CR0_PG = 0x8000_0000, CR0_WP = 0x1_0000, CR0_PE_ET = 0x11, CR4_PSE = 0x10;
    static final int STATUS_FLAGS = Flags.CF | Flags.PF | Flags.AF | Flags.ZF | Flags.SF | Flags.OF;

    private final long seed;

    SystemCaseGenerator(long seed) {
        this.seed = seed;
    }

    @Override
    public long seed() {
        return seed;
    }

    /** What the case's prologue set up; the test-instruction emitters consult it. */
    record Setup(boolean paging, boolean pse, boolean bigPage, boolean wp, int cpl) { }

    @Override
    public DiffCase generate(long id) {
        SplittableRandom rnd = new SplittableRandom(CaseGenerator.mix(CaseGenerator.mix(seed ^ 0x5EC0_0DE5L) + id));
        boolean paging = rnd.nextInt(10) < 6;
        boolean pse = paging && rnd.nextBoolean();
        Setup setup = new Setup(paging, pse, pse && rnd.nextBoolean(), paging && rnd.nextBoolean(),
                rnd.nextBoolean() ? 3 : 0);
        Emitter e = new Emitter(id, rnd, setup);
        e.prologue();
        int count = 1 + rnd.nextInt(3);
        for (int i = 0; i < count; i++) {
            e.testInstruction();
        }
        return e.build();
    }

    /** Builds one case: memory images, then code. */
    private static final class Emitter {
        final long id;
        final SplittableRandom rnd;
        final Setup setup;
        final ByteArrayOutputStream code = new ByteArrayOutputStream();
        final List<String> opcodes = new ArrayList<>();
        final byte[] system = new byte[SYSTEM_END - GDT];
        final byte[] data = new byte[Layout.DATA_END - Layout.DATA];
        final byte[] stack = new byte[Layout.STACK_END - Layout.STACK];
        final byte[][] windows = new byte[TEST_PAGE_COUNT + 1][WINDOW];
        final int[] pte = new int[MAPPED_PAGES];
        int pde;
        int undefinedFlags;
        /** ESP as the test instructions start (known: pushes are kept inside the stack block or windows). */
        int esp;
        /** Selectors of ES CS SS DS FS GS, assuming every load so far succeeded (else nothing ran). */
        final int[] seg = new int[6];

        Emitter(long id, SplittableRandom rnd, Setup setup) {
            this.id = id;
            this.rnd = rnd;
            this.setup = setup;
            rnd.nextBytes(data);
            rnd.nextBytes(stack);
            for (byte[] w : windows) {
                rnd.nextBytes(w);
            }
            buildGdt();
            if (setup.paging()) {
                buildPageTables();
            }
        }

        // ---------------------------------------------------------------- system structures

        private void buildGdt() {
            descriptor(CODE0, 0, 0xFFFFF, 0xA, 0, true, true, true);
            descriptor(DATA0, 0, 0xFFFFF, 0x2, 0, true, true, true);
            descriptor(CODE3, 0, 0xFFFFF, 0xA, 3, true, true, true);
            descriptor(DATA3, 0, 0xFFFFF, 0x2, 3, true, true, true);
            descriptor(RODATA3, 0, 0xFFFFF, 0x0, 3, true, true, true);
            descriptor(XCODE3, 0, 0xFFFFF, 0x8, 3, true, true, true);
            descriptor(ABSENT3, 0, 0xFFFFF, 0x2, 3, false, true, true);
            descriptor(SMALL3, SMALL_BASE, SMALL_LIMIT, 0x2, 3, true, true, false);
            descriptor(SYSTEM3, 0x2100, 0x67, 0x9, 3, true, false, false);
            systemBit(SYSTEM3);
            descriptor(DATA2, 0, 0xFFFFF, 0x2, 2, true, true, true);
            descriptor(CONFORMING0, 0, 0xFFFFF, 0xE, 0, true, true, true);
            descriptor(EXPDOWN3, 0, EXPDOWN_LIMIT, 0x6, 3, true, true, false);
            put16(system, GDTR - GDT, GDT_LIMIT);
            put32(system, GDTR - GDT + 2, GDT);
        }

        /**
         * A code/data descriptor. The accessed bit (type bit 0) is random: loading the segment must
         * set it in memory, which the GDT block comparison sees.
         */
        private void descriptor(int selector, int base, int limit, int type, int dpl, boolean present, boolean db,
                                boolean pageGranular) {
            // Unicorn sets the accessed bit only on MOV/POP/LxS loads, not when a far JMP/CALL or IRET
            // loads CS or IRET loads SS (UNICORN-DIFFERENCES.md row 22): preset it where that happens.
            boolean loadedByTransfers = (type & 0x8) != 0 || selector == DATA3;
            int accessed = loadedByTransfers || rnd.nextBoolean() ? 1 : 0;
            int lo = (limit & 0xFFFF) | (base & 0xFFFF) << 16;
            int hi = (base >>> 16 & 0xFF) | (type | accessed) << 8 | 1 << 12 | dpl << 13 | (present ? 1 << 15 : 0)
                    | (limit & 0xF0000) | (db ? 1 << 22 : 0) | (pageGranular ? 1 << 23 : 0) | (base & 0xFF00_0000);
            put32(system, selector, lo);
            put32(system, selector + 4, hi);
        }

        /** Clears the S bit: a system descriptor (TSS, type 9, accessed bit meaningless there). */
        private void systemBit(int selector) {
            int hi = get32(system, selector + 4) & ~(1 << 12) & ~(0xF << 8) | 0x9 << 8;
            put32(system, selector + 4, hi);
        }

        /** Random permissions, but the pages the prologue itself needs stay usable most of the time. */
        private void buildPageTables() {
            boolean user = setup.cpl() == 3;
            pde = P | (rnd.nextInt(8) != 0 ? RW | US : rnd.nextInt(4) << 1) | randomAD();
            if (user) {
                // A CPL 3 code fetch that faults gets a wrong CR2 from Unicorn (row 24): keep PDE.US set
                pde |= US;
            }
            if (setup.bigPage()) {
                pde |= PS;
            }
            for (int page = 0; page < MAPPED_PAGES; page++) {
                int linear = page << 12;
                int bits = randomBits();
                if (linear == Layout.CODE) {
                    bits |= P | (user ? US : 0);              // the case's own code must stay fetchable
                } else if (linear == GDT) {
                    bits |= P | RW;                            // descriptor loads write accessed bits
                } else if (linear == 0x7000 || linear == 0x8000) {
                    bits = rnd.nextInt(10) != 0 ? bits | P | RW | US : bits;  // the prologue's stack
                }
                pte[page] = linear | bits;
            }
        }

        private int randomBits() {
            int bits = randomAD();
            if (rnd.nextInt(5) != 0) {
                bits |= P;
            }
            if (rnd.nextInt(3) != 0) {
                bits |= RW;
            }
            if (rnd.nextInt(3) != 0) {
                bits |= US;
            }
            return bits;
        }

        private int randomAD() {
            return (rnd.nextBoolean() ? A : 0) | (rnd.nextInt(3) == 0 ? D : 0);
        }

        // ---------------------------------------------------------------- code

        /** LGDT, real selectors, LLDT 0, paging, CPL 3, then random registers and flags. */
        void prologue() {
            b(0x0F, 0x01, 0x15);
            d(GDTR);                                   // lgdt [GDTR]
            movImm(0, DATA0);
            for (int sreg : new int[] {3, 0, 4, 5, 2}) { // ds es fs gs ss
                b(0x8E, 0xC0 | sreg << 3);
            }
            esp = Layout.STACK_TOP_MIN + rnd.nextInt(Layout.STACK_TOP_MAX - Layout.STACK_TOP_MIN);
            movImm(4, esp);
            int next = here() + 7;
            b(0xEA);
            d(next);
            w(CODE0);                                  // jmp far CODE0:next (CS from the GDT)
            b(0x31, 0xC0, 0x0F, 0x00, 0xD0);           // xor eax,eax; lldt ax: TI=1 selectors fault
            if (setup.paging()) {
                movImm(0, PAGE_DIR);
                b(0x0F, 0x22, 0xD8);                   // mov cr3, eax
                if (setup.pse()) {
                    movImm(0, CR4_PSE);
                    b(0x0F, 0x22, 0xE0);               // mov cr4, eax
                }
                movImm(0, CR0_PG | CR0_PE_ET | (setup.wp() ? CR0_WP : 0));
                b(0x0F, 0x22, 0xC0);                   // mov cr0, eax
            }
            if (setup.cpl() == 3) {
                int esp3 = Layout.STACK_TOP_MIN + rnd.nextInt(Layout.STACK_TOP_MAX - Layout.STACK_TOP_MIN);
                push32(DATA3 | 3);
                push32(esp3);
                push32(Flags.BIT1);
                push32(CODE3 | 3);
                push32(here() + 6);
                b(0xCF);                               // iret to CPL 3 (DS..GS become null: DPL 0 < CPL)
                esp = esp3;
                movImm(0, DATA3 | 3);
                b(0x8E, 0xD8, 0x8E, 0xC0);             // ds, es
                java.util.Arrays.fill(seg, 0);
                seg[0] = seg[2] = seg[3] = DATA3 | 3;
                if (rnd.nextBoolean()) {
                    b(0x8E, 0xE0);                     // fs; GS stays null: accesses through it #GP(0)
                    seg[4] = DATA3 | 3;
                }
            } else {
                java.util.Arrays.fill(seg, DATA0);
                if (rnd.nextInt(4) == 0) {
                    movImm(0, 0);
                    b(0x8E, 0xE8);                     // a null GS at CPL 0 too
                    seg[5] = 0;
                }
            }
            for (int r = 0; r < 8; r++) {
                if (r != 4) {
                    movImm(r, rnd.nextInt());
                }
            }
            // POPF: random status flags, DF; at CPL 3 also IF/IOPL bits, which POPF must ignore there
            int flags = Flags.BIT1 | (rnd.nextInt() & (STATUS_FLAGS | Flags.DF));
            if (setup.cpl() == 3) {
                flags |= rnd.nextInt() & (Flags.IF | 0x3000);
            }
            push32(flags);
            b(0x9D);
        }

        /** One instruction (with any register set-up it needs) chosen from the fault families. */
        void testInstruction() {
            switch (rnd.nextInt(setup.paging() ? 12 : 9)) {
                case 0, 1 -> segmentLoad();
                case 2 -> farTransfer();
                case 3 -> divide();
                case 4 -> undefined();
                case 5 -> bound();
                case 6 -> privileged();
                case 7, 8 -> segmentAccess();
                default -> pagedAccess();
            }
        }

        private void segmentLoad() {
            int sreg = new int[] {0, 2, 3, 4, 5}[rnd.nextInt(5)];
            int selector = selector();
            switch (rnd.nextInt(4)) {
                case 0 -> {
                    ensureUsable(2, true);
                    push32(selector);
                    switch (sreg) {                     // pop sreg
                        case 0 -> b(0x07);
                        case 2 -> b(0x17);
                        case 3 -> b(0x1F);
                        case 4 -> b(0x0F, 0xA1);
                        default -> b(0x0F, 0xA9);
                    }
                    opcodes.add("pop " + DiffCase.SREG_NAMES[sreg]);
                }
                default -> {
                    b(0x66, 0xB8);
                    w(selector);                       // mov ax, selector
                    b(0x8E, 0xC0 | sreg << 3);
                    opcodes.add("8E/" + sreg);
                }
            }
            seg[sreg] = selector;                      // if the load faults, nothing after it runs
            if (rnd.nextBoolean()) {
                segmentAccessThrough(sreg);
            }
        }

        /** A selector from the GDT with a random RPL, or null, or beyond the limit, or in the LDT. */
        private int selector() {
            return switch (rnd.nextInt(10)) {
                case 0 -> rnd.nextInt(4);                                      // null, any RPL
                case 1 -> (GDT_LIMIT + 1 + 8 * rnd.nextInt(8)) | rnd.nextInt(4); // beyond the GDT limit
                case 2 -> (8 * rnd.nextInt(12)) | 4 | rnd.nextInt(4);          // TI=1: the LDT is null
                default -> SELECTORS[rnd.nextInt(SELECTORS.length)] | rnd.nextInt(4);
            };
        }

        /** JMP FAR / CALL FAR to the next instruction through a random selector. */
        private void farTransfer() {
            int selector = rnd.nextInt(3) == 0 ? selector() & ~7 | 0x3
                    : rnd.nextInt(3) == 0 ? selector()
                    : new int[] {CODE0, CODE3, XCODE3, CONFORMING0}[rnd.nextInt(4)] | rnd.nextInt(4);
            boolean call = rnd.nextBoolean();
            if (call && setup.paging() && setup.cpl() == 3 && !userWritable(esp - 12, esp + 4)) {
                call = false;  // Unicorn pushes a far CALL's return address with supervisor rights (row 27)
            }
            if (call) {
                ensureUsable(2, true);
            }
            int next = here() + 7;
            if ((selector & ~3) == SYSTEM3) {
                selector = CODE0;                     // a TSS selector means a task switch: not modelled here
            }
            b(call ? 0x9A : 0xEA);
            d(next);
            w(selector);
            opcodes.add(call ? "9A" : "EA");
        }

        /** Whether every page of [from, to) is present, writable and user in both levels. */
        private boolean userWritable(int from, int to) {
            int needed = P | RW | US;
            if ((pde & needed) != needed) {
                return false;
            }
            for (int page = from >>> 12; page <= (to - 1) >>> 12; page++) {
                if (page < 0 || page >= MAPPED_PAGES || (pte[page] & needed) != needed) {
                    return false;
                }
            }
            return true;
        }

        private void divide() {
            switch (rnd.nextInt(3)) {
                case 0 -> {
                    movImm(1, 0);
                    b(0xF7, 0xF1);                    // div ecx, ecx = 0
                    opcodes.add("F7/6");
                }
                case 1 -> {
                    movImm(0, 0);
                    movImm(2, 0x4000_0000);
                    movImm(1, -1);
                    b(0xF7, 0xF9);                    // idiv ecx: quotient -2^62 overflows
                    // (not EDX:EAX = 2^63: QEMU divides INT64_MIN by -1 on the host and dies of SIGFPE)
                    opcodes.add("F7/7");
                }
                default -> {
                    b(0xB1, 0x00, 0xF6, 0xF1);        // mov cl, 0; div cl
                    opcodes.add("F6/6");
                }
            }
        }

        private void undefined() {
            switch (rnd.nextInt(3)) {
                case 0 -> {
                    b(0x0F, 0x0B);
                    opcodes.add("0F 0B");
                }
                case 1 -> {
                    b(0x8E, 0xC8);                    // mov cs, ax
                    opcodes.add("8E/1");
                }
                default -> {
                    b(0xF0, 0x01, 0xC0);              // lock add eax, eax: LOCK needs a memory destination
                    opcodes.add("F0 01");
                }
            }
        }

        /** BOUND eax, [m] with bounds straddling EAX or not. */
        private void bound() {
            ensureUsable(3, false);
            int at = Layout.DATA + 8 * rnd.nextInt(0x40);
            int lower = rnd.nextInt(200) - 100;
            int upper = lower + rnd.nextInt(100);
            put32(data, at - Layout.DATA, lower);
            put32(data, at - Layout.DATA + 4, upper);
            movImm(0, lower - 5 + rnd.nextInt(upper - lower + 10));
            b(0x62, 0x05);
            d(at);
            opcodes.add("62");
        }

        private void privileged() {
            switch (rnd.nextInt(setup.cpl() == 3 ? 9 : 4)) {
                case 0 -> {
                    b(0x0F, 0x20, 0xC0);              // mov eax, cr0
                    opcodes.add("0F 20");
                    undefinedFlags |= STATUS_FLAGS;
                }
                case 1 -> {
                    b(0x0F, 0x20, 0xD0 | rnd.nextInt(2) << 3 | 1); // mov ecx, cr2 / cr3
                    opcodes.add("0F 20");
                    undefinedFlags |= STATUS_FLAGS;
                }
                case 2 -> {
                    b(0xFA);                          // cli
                    opcodes.add("FA");
                }
                case 3 -> {
                    b(0x0F, 0x06);                    // clts
                    opcodes.add("0F 06");
                }
                // CPL 3 only: each raises #GP(0)
                case 4 -> {
                    b(0xF4);                          // hlt (at CPL 0 Unicorn would just stop)
                    opcodes.add("F4");
                }
                case 5 -> {
                    b(0x0F, 0x22, 0xD8);              // mov cr3, eax
                    opcodes.add("0F 22");
                }
                case 6 -> {
                    b(0x0F, 0x01, 0x15);
                    d(GDTR);                          // lgdt
                    opcodes.add("0F 01/2");
                }
                case 7 -> {
                    b(0x0F, 0x01, 0x3D);
                    d(Layout.DATA);                   // invlpg
                    opcodes.add("0F 01/7");
                }
                default -> {
                    b(0xFB);                          // sti
                    opcodes.add("FB");
                }
            }
        }

        /** A load, store or RMW through a random data segment at an offset near its limit or not. */
        private void segmentAccess() {
            segmentAccessThrough(new int[] {0, 2, 3, 4, 5}[rnd.nextInt(5)]);
        }

        private void segmentAccessThrough(int sreg) {
            int[] prefix = {0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65};
            int size = new int[] {1, 2, 4}[rnd.nextInt(3)];
            boolean write = rnd.nextInt(5) != 0;
            ensureUsable(sreg, write, true);
            b(prefix[sreg]);
            memoryOp(size, offsetFor(seg[sreg] & ~3, size), write);
        }

        /**
         * Unicorn (QEMU) never checks segment limits, null selectors or the read-only type on data
         * accesses (UNICORN-DIFFERENCES.md row 21): an access must be one the SDM allows. If the
         * segment register may not be used so, reload it with the flat data segment of the CPL first.
         */
        private void ensureUsable(int sreg, boolean write) {
            ensureUsable(sreg, write, false);
        }

        /** @param smallOk the caller picks an offset within SMALL3's limit (explicit accesses only) */
        private void ensureUsable(int sreg, boolean write, boolean smallOk) {
            int s = seg[sreg] & ~3;
            boolean ok = switch (s) {
                case DATA0, DATA3, DATA2 -> true;
                case RODATA3, CONFORMING0 -> !write;
                case SMALL3 -> smallOk;
                case EXPDOWN3 -> true;
                default -> false;
            };
            if (!ok) {
                int flat = setup.cpl() == 3 ? DATA3 | 3 : DATA0;
                b(0x66, 0xB8);
                w(flat);
                b(0x8E, 0xC0 | sreg << 3);
                seg[sreg] = flat;
            }
        }

        /**
         * An offset that tests the segment's limit and, when the access is allowed, lands in a compared
         * block: near SMALL3's limit (base 0x2000: the data block), at EXPDOWN3's lower bound (offsets
         * up to 0x1FFF fault), else in the data block or a test window.
         */
        private int offsetFor(int selector, int size) {
            if (selector == SMALL3) {                  // up to the last byte, never beyond (row 21)
                return rnd.nextBoolean() ? SMALL_LIMIT + 1 - size : rnd.nextInt(SMALL_LIMIT + 2 - size);
            }
            if (selector == EXPDOWN3 && rnd.nextBoolean()) {
                return EXPDOWN_LIMIT + 1 + rnd.nextInt(4);   // the lowest valid offsets
            }
            return setup.paging() && rnd.nextBoolean() ? windowAddress(size, true) : Layout.DATA + rnd.nextInt(0x200 - 4);
        }

        /**
         * An access in a test window (paging on): loads, stores, RMW, push/pop, strings, with page-boundary
         * straddles. Every address is in a window, so the memory blocks see every byte written.
         */
        private void pagedAccess() {
            switch (rnd.nextInt(5)) {
                case 0, 1 -> {
                    int size = new int[] {1, 2, 4}[rnd.nextInt(3)];
                    boolean write = rnd.nextInt(5) != 0;
                    ensureUsable(3, write);
                    memoryOp(size, windowAddress(size, write), write);
                }
                case 2 -> stackOp();
                default -> stringOp();
            }
        }

        /** A byte address such that [address, address+size) lies in one window, straddles often. */
        private int windowAddress(int size) {
            return windowAddress(size, false);
        }

        private int windowAddress(int size, boolean write) {
            int window = rnd.nextInt(TEST_PAGE_COUNT + 1);
            int boundary = TEST_PAGES + window * 0x1000;
            int offset = rnd.nextInt(3) == 0 ? -size + 1 + rnd.nextInt(size) : rnd.nextInt(WINDOW - size + 1) - WINDOW / 2;
            return boundary + offset;
        }

        /** mov r,m / mov m,r / add m,r / inc m / xchg m,r at a 32-bit displacement. */
        private void memoryOp(int size, int address, boolean write) {
            if (size == 2) {
                b(0x66);
            }
            int wide = size == 1 ? 0 : 1;
            int reg = rnd.nextInt(8);
            if (reg == 4 && size != 1) {
                reg = 0;                                // never load or exchange ESP (AH is fine)
            }
            // Unicorn does a read-modify-write as a plain read then a write: a #PF on the read has W/R = 0
            // where hardware (and Bochs, and vwb) report W/R = 1 (UNICORN-DIFFERENCES.md row 23). So with
            // paging on, RMW forms are not generated on the test pages; plain MOV stores are.
            boolean rmwOk = !setup.paging();
            switch (write ? (rmwOk ? 1 + rnd.nextInt(4) : 1) : 0) {
                case 0 -> {
                    b(0x8A | wide, 0x05 | reg << 3);  // mov r, m
                    opcodes.add(size == 1 ? "8A" : "8B");
                }
                case 1 -> {
                    b(0x88 | wide, 0x05 | reg << 3);               // mov m, r
                    opcodes.add(size == 1 ? "88" : "89");
                }
                case 2 -> {
                    b(wide, 0x05 | reg << 3);                      // add m, r
                    opcodes.add(size == 1 ? "00" : "01");
                }
                case 3 -> {
                    b(0xFE | wide, 0x05);                                                  // inc m
                    opcodes.add(size == 1 ? "FE/0" : "FF/0");
                }
                default -> {
                    b(0x86 | wide, 0x05 | reg << 3);               // xchg m, r
                    opcodes.add(size == 1 ? "86" : "87");
                }
            }
            d(address);
        }

        /** push m / pop m, or push/pop with ESP moved next to a page boundary. */
        private void stackOp() {
            ensureUsable(3, true);
            ensureUsable(2, true);
            switch (rnd.nextInt(3)) {
                case 0 -> {
                    b(0xFF, 0x35);
                    d(windowAddress(4));                   // push dword [m]
                    opcodes.add("FF/6");
                }
                case 1 -> {
                    b(0x8F, 0x05);
                    d(windowAddress(4, true));             // pop dword [m]
                    opcodes.add("8F/0");
                }
                default -> {
                    // ESP inside a window, 4..WINDOW/2 bytes above a boundary or straddling it
                    int boundary = TEST_PAGES + rnd.nextInt(TEST_PAGE_COUNT + 1) * 0x1000;
                    int top = boundary - 2 + rnd.nextInt(12);
                    movImm(4, top);
                    esp = top;
                    if (rnd.nextBoolean()) {
                        b(0x50 | rnd.nextInt(4));          // push r32
                        opcodes.add("50+r");
                    } else {
                        b(0x58 | rnd.nextInt(4));          // pop r32
                        opcodes.add("58+r");
                    }
                }
            }
        }

        /** MOVS/STOS/LODS, sometimes REP with a small count, ESI/EDI next to a page boundary. */
        private void stringOp() {
            ensureUsable(3, false);
            ensureUsable(0, true);
            int size = new int[] {1, 2, 4}[rnd.nextInt(3)];
            boolean rep = rnd.nextBoolean();
            int count = rep ? 1 + rnd.nextInt(6) : 1;
            boolean down = rnd.nextInt(4) == 0;
            // the whole run of `count` elements stays inside one window, crossing its boundary often
            int span = count * size;
            int boundary = TEST_PAGES + rnd.nextInt(TEST_PAGE_COUNT + 1) * 0x1000;
            int first = boundary - rnd.nextInt(span + 1);          // lowest byte touched
            int source = TEST_PAGES + rnd.nextInt(TEST_PAGE_COUNT + 1) * 0x1000 - rnd.nextInt(span + 1);
            movImm(7, down ? first + span - size : first);
            movImm(6, down ? source + span - size : source);
            movImm(1, count);
            b(down ? 0xFD : 0xFC);
            if (rep) {
                b(0xF3);
            }
            if (size == 2) {
                b(0x66);
            }
            int wide = size == 1 ? 0 : 1;
            switch (rnd.nextInt(3)) {
                case 0 -> {
                    b(0xA4 | wide);
                    opcodes.add("A4");
                }
                case 1 -> {
                    b(0xAA | wide);
                    opcodes.add("AA");
                }
                default -> {
                    b(0xAC | wide);
                    opcodes.add("AC");
                }
            }
        }

        // ---------------------------------------------------------------- encoding helpers

        int here() {
            return Layout.CODE + code.size();
        }

        void b(int... bytes) {
            for (int x : bytes) {
                code.write(x);
            }
        }

        void w(int value) {
            b(value & 0xFF, value >>> 8 & 0xFF);
        }

        void d(int value) {
            b(value & 0xFF, value >>> 8 & 0xFF, value >>> 16 & 0xFF, value >>> 24);
        }

        void movImm(int reg, int value) {
            b(0xB8 | reg);
            d(value);
        }

        void push32(int value) {
            b(0x68);
            d(value);
        }

        DiffCase build() {
            if (code.size() > Layout.CODE_MAX) {
                throw new IllegalStateException("PM32 case " + id + " has too much code");
            }
            byte[] bytes = code.toByteArray();
            List<MemBlock> memory = new ArrayList<>();
            memory.add(new MemBlock(Layout.DATA, data));
            memory.add(new MemBlock(Layout.STACK, stack));
            memory.add(new MemBlock(GDT, system));
            if (setup.paging()) {
                byte[] dir = new byte[4];
                put32(dir, 0, pde | (setup.bigPage() ? 0 : PAGE_TABLE));
                memory.add(new MemBlock(PAGE_DIR, dir));
                if (!setup.bigPage()) {
                    byte[] table = new byte[4 * MAPPED_PAGES];
                    for (int i = 0; i < MAPPED_PAGES; i++) {
                        put32(table, 4 * i, pte[i]);
                    }
                    memory.add(new MemBlock(PAGE_TABLE, table));
                }
            }
            for (int k = 0; k <= TEST_PAGE_COUNT; k++) {
                memory.add(new MemBlock(TEST_PAGES + k * 0x1000 - WINDOW / 2, windows[k]));
            }
            int[] gprs = new int[8];
            gprs[4] = Layout.STACK_TOP_MAX;
            opcodes.add(0, setup.paging() ? (setup.bigPage() ? "paging-4M" : "paging-4K") : "no-paging");
            opcodes.add(1, "CPL" + setup.cpl());
            return new DiffCase(id, Mode.PM32, gprs, Flags.BIT1, new int[6], Layout.CODE, bytes, memory,
                    Layout.CODE + bytes.length, Layout.MAX_INSTRUCTIONS, List.copyOf(opcodes), undefinedFlags);
        }
    }

    static void put16(byte[] a, int at, int v) {
        a[at] = (byte) v;
        a[at + 1] = (byte) (v >>> 8);
    }

    static void put32(byte[] a, int at, int v) {
        put16(a, at, v);
        put16(a, at + 2, v >>> 16);
    }

    static int get32(byte[] a, int at) {
        return (a[at] & 0xFF) | (a[at + 1] & 0xFF) << 8 | (a[at + 2] & 0xFF) << 16 | (a[at + 3] & 0xFF) << 24;
    }
}
