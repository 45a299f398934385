package dev.vwb.machine.difftest;

import static dev.vwb.machine.difftest.CaseBuilder.EBP;
import static dev.vwb.machine.difftest.CaseBuilder.EBX;
import static dev.vwb.machine.difftest.CaseBuilder.EDI;
import static dev.vwb.machine.difftest.CaseBuilder.ESI;
import static dev.vwb.machine.difftest.CaseBuilder.ESP;

import dev.vwb.machine.difftest.CaseBuilder.Mem;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds ModRM/SIB memory operands whose effective address hits a chosen spot of the data or stack
 * block: it picks an addressing form (any mod/rm, SIB scale/index/base, disp8/16/32, no-base disp32,
 * EBP/ESP bases, 16- or 32-bit addressing, optional segment override), picks the target, chooses
 * random values for all but one component and solves for the last, then emits the MOV setups for the
 * base/index registers. Solutions are verified by recomputing the address the way the CPU does.
 *
 * <p>Real mode keeps every effective offset within 0..0xFFFF (Unicorn does not enforce the limit, a
 * real CPU raises #GP/#SS; see UNICORN-DIFFERENCES.md).
 */
final class AddressSolver {

    private static final int[][] RM16 = {{EBX, ESI}, {EBX, EDI}, {EBP, ESI}, {EBP, EDI}, {ESI}, {EDI}, {EBP}, {EBX}};

    /** Where a memory operand may land. */
    enum Area { GENERAL, GENERAL_OR_STACK }

    private final CaseBuilder b;

    AddressSolver(CaseBuilder b) {
        this.b = b;
    }

    /** A data operand of {@code span} bytes somewhere in the data block (or the stack block). */
    Mem mem(int span, boolean write) {
        return solve(new Request(span, write, 0, Area.GENERAL_OR_STACK, -1, true, true));
    }

    /** As {@link #mem} but the effective address is {@code delta} bytes below the access (BT with a register offset). */
    Mem memWithDelta(int span, boolean write, int delta) {
        return solve(new Request(span, write, delta, Area.GENERAL, -1, true, false));
    }

    /** A read of exactly the given linear address (a pointer/bounds slot). */
    Mem memAt(int linear, int span) {
        return solve(new Request(span, false, 0, Area.GENERAL, linear, true, false));
    }

    /** As {@link #mem} but never ESP-based (POP r/m computes its address after incrementing ESP). */
    Mem memNoEsp(int span, boolean write) {
        return solve(new Request(span, write, 0, Area.GENERAL_OR_STACK, -1, false, true));
    }

    private record Request(int span, boolean write, int delta, Area area, int fixedLinear, boolean allowEspBase,
                           boolean pokeEdge) { }

    /** One addressing form; regs/values are filled by solving. */
    private static final class Form {
        boolean addr16;
        int mod;
        int rm;
        int sib = -1;
        int base = -1;          // register or -1
        int index = -1;         // register or -1
        int scale;
        int dispBytes;          // 0, 1, 2 or 4
        int defaultSeg;
        int disp;
        final List<int[]> setups = new ArrayList<>(); // {reg, value}
    }

    private Mem solve(Request q) {
        for (int attempt = 0; attempt < 200; attempt++) {
            Form f = chooseForm(q.allowEspBase());
            if (f == null) {
                continue;
            }
            int seg = f.defaultSeg;
            int override = -1;
            if (b.chance(25)) {
                int s = b.pick(6);
                if (b.real() || !(s == DiffCase.CS && q.write())) {   // flat CS is not writable
                    seg = s;
                    override = s;
                }
            }
            long eaMask = f.addr16 ? 0xFFFFL : 0xFFFFFFFFL;
            Integer access;
            if (f.base == ESP && f.index < 0 && f.dispBytes != 4) {
                // [ESP] / [ESP+disp8]: the address is fixed by ESP, so choose the displacement first
                f.disp = f.dispBytes == 0 ? 0 : (byte) b.rnd.nextInt(256);
                long at = ((b.st.value(ESP) + (long) f.disp) & eaMask) + q.delta();
                access = acceptable(q, b.segBase(seg), f.addr16, at) ? (int) at : null;
            } else {
                access = pickAccess(q, b.segBase(seg), f.addr16);
            }
            if (access == null) {
                continue;
            }
            long ea = (access - q.delta()) & eaMask;
            if (b.real() && ea > 0xFFFF) {
                continue;
            }
            if (!solveRegisters(f, (int) ea)) {
                continue;
            }
            for (int[] s : f.setups) {
                if (!b.settable(s[0])) {
                    throw new IllegalStateException("solver picked a reserved register");
                }
            }
            for (int[] s : f.setups) {
                if (f.addr16) {
                    b.setLow16(s[0], s[1]);
                } else {
                    b.setReg(s[0], s[1], 32);
                }
            }
            if (verify(f) != ea) {
                throw new IllegalStateException("address solver bug: form does not hit the target");
            }
            int linear = b.segBase(seg) + access;
            if (q.pokeEdge() && b.chance(40)) {
                b.poke(linear, b.edge(32), Math.min(q.span(), 4));
            }
            byte[] disp = CaseBuilder.le(f.disp, f.dispBytes);
            return new Mem(f.mod, f.rm, f.sib, disp, f.addr16, override, linear);
        }
        throw new IllegalStateException("cannot place a memory operand (case " + b.id + ")");
    }

    /** The segment offset the access should start at, or null when the area is unreachable. */
    private Integer pickAccess(Request q, int segBase, boolean addr16) {
        long limit = (b.real() || addr16) ? 0x10000L - q.span() : 0xFFFFFFFFL;
        if (q.fixedLinear() >= 0) {
            long off = q.fixedLinear() - (long) segBase;
            return off >= 0 && off <= limit ? (int) off : null;
        }
        int[][] areas = q.area() == Area.GENERAL
                ? new int[][] {{Layout.DATA, Layout.GENERAL_END}}
                : new int[][] {{Layout.DATA, Layout.GENERAL_END}, {Layout.STACK, Layout.STACK_END}};
        int[] area = areas[b.pick(areas.length)];
        // keep |delta| bytes of slack so that the (unaccessed) effective address stays in range too
        long lo = Math.max(area[0] - (long) segBase, Math.max(0, q.delta()));
        long hi = Math.min(area[1] - q.span() - (long) segBase, limit + Math.min(0, q.delta()));
        if (lo > hi) {
            return null;
        }
        return (int) (lo + b.pick((int) (hi - lo + 1)));
    }

    /** Whether an access at segment offset {@code off} is allowed for the request. */
    private boolean acceptable(Request q, int segBase, boolean addr16, long off) {
        long limit = (b.real() || addr16) ? 0x10000L - q.span() : 0xFFFFFFFFL;
        long linear = segBase + off;
        boolean inArea = linear >= Layout.DATA && linear + q.span() <= Layout.GENERAL_END
                || q.area() == Area.GENERAL_OR_STACK && linear >= Layout.STACK && linear + q.span() <= Layout.STACK_END;
        return off >= 0 && off <= limit && inArea && q.fixedLinear() < 0;
    }

    private Form chooseForm(boolean allowEspBase) {
        Form f = new Form();
        f.addr16 = b.real() ? !b.chance(25) : b.chance(20);
        f.mod = b.pick(3);
        if (f.addr16) {
            f.rm = b.pick(8);
            if (f.mod == 0 && f.rm == 6) {
                f.dispBytes = 2;
            } else {
                int[] regs = RM16[f.rm];
                f.base = regs[0];
                f.index = regs.length > 1 ? regs[1] : -1;
                f.dispBytes = f.mod == 0 ? 0 : f.mod == 1 ? 1 : 2;
            }
            f.defaultSeg = f.base == EBP ? DiffCase.SS : DiffCase.DS;
            return f;
        }
        f.dispBytes = f.mod == 0 ? 0 : f.mod == 1 ? 1 : 4;
        if (b.chance(45)) {                         // SIB
            f.rm = 4;
            f.scale = b.pick(4);
            int index = b.pick(8);
            int base = b.pick(8);
            f.sib = f.scale << 6 | index << 3 | base;
            f.index = index == 4 ? -1 : index;
            if (f.mod == 0 && base == 5) {
                f.dispBytes = 4;                    // no base, disp32
            } else {
                f.base = base;
            }
        } else {
            f.rm = b.pick(8);
            if (f.rm == 4) {
                f.rm = 7;
            }
            if (f.mod == 0 && f.rm == 5) {
                f.dispBytes = 4;                    // disp32 absolute
            } else {
                f.base = f.rm;
            }
        }
        if (f.base == ESP && !allowEspBase) {
            return null;
        }
        f.defaultSeg = f.base == ESP || f.base == EBP ? DiffCase.SS : DiffCase.DS;
        return f;
    }

    private int randomDisp(Form f) {
        return switch (f.dispBytes) {
            case 1 -> (byte) b.rnd.nextInt(256);
            case 2 -> b.edge(16);
            case 4 -> b.edge(32);
            default -> 0;
        };
    }

    private boolean free(int r) {
        return r != ESP && b.settable(r);
    }

    private boolean solveRegisters(Form f, int ea) {
        if (f.base >= 0 && f.base != ESP && !free(f.base) || f.index >= 0 && !free(f.index)) {
            return false;
        }
        if (f.addr16) {
            f.disp = randomDisp(f);
            if (f.base < 0) {
                f.disp = ea;                        // [disp16]
                return true;
            }
            int rest = ea - f.disp;
            if (f.index >= 0) {
                int iv = b.edge(16);
                f.setups.add(new int[] {f.index, iv});
                rest -= iv;
            }
            f.setups.add(new int[] {f.base, rest & 0xFFFF});
            return true;
        }
        int k = 1 << f.scale;
        if (f.base < 0) {                           // disp32, maybe with an index
            if (f.index >= 0) {
                int iv = b.edge(32);
                f.setups.add(new int[] {f.index, iv});
                f.disp = ea - iv * k;
            } else {
                f.disp = ea;
            }
            return true;
        }
        if (f.base == ESP) {
            int esp = b.st.value(ESP);
            if (f.index < 0) {
                int needed = ea - esp;
                if (f.dispBytes == 0 && needed != 0 || f.dispBytes == 1 && needed != (byte) needed) {
                    return false;
                }
                f.disp = needed;
                return true;
            }
            if (f.dispBytes == 4) {
                int iv = b.edge(32);
                f.disp = ea - esp - iv * k;
                f.setups.add(new int[] {f.index, iv});
                return true;
            }
            f.disp = randomDisp(f);
            int scaled = ea - esp - f.disp;
            if ((scaled & (k - 1)) != 0) {
                return false;
            }
            int iv = (scaled >>> f.scale) | (f.scale == 0 ? 0 : b.rnd.nextInt() << (32 - f.scale));
            f.setups.add(new int[] {f.index, iv});
            return true;
        }
        f.disp = randomDisp(f);
        if (f.index == f.base) {                    // [r + r*k]: value * (1 + k)
            if (f.dispBytes == 4) {
                int v = b.edge(32);
                f.disp = ea - v * (1 + k);
                f.setups.add(new int[] {f.base, v});
                return true;
            }
            long want = (ea - (long) f.disp) & 0xFFFFFFFFL;
            if (want % (1 + k) != 0) {
                return false;
            }
            f.setups.add(new int[] {f.base, (int) (want / (1 + k))});
            return true;
        }
        int rest = ea - f.disp;
        if (f.index >= 0) {
            int iv = b.edge(32);
            f.setups.add(new int[] {f.index, iv});
            rest -= iv * k;
        }
        f.setups.add(new int[] {f.base, rest});
        return true;
    }

    /** The effective address as the CPU computes it from the current register model. */
    private long verify(Form f) {
        long sum = f.disp;
        if (f.base >= 0) {
            sum += b.st.value(f.base);
        }
        if (f.index >= 0) {
            sum += (long) b.st.value(f.index) << (f.addr16 ? 0 : f.scale);
        }
        return sum & (f.addr16 ? 0xFFFFL : 0xFFFFFFFFL);
    }

    /**
     * A memory form for LEA: random registers and displacement, no setups (LEA reads no memory, so any
     * address is fine and more interesting).
     */
    Mem leaForm() {
        Form f;
        do {
            f = chooseForm(true);
        } while (f == null);
        f.disp = randomDisp(f);
        return new Mem(f.mod, f.rm, f.sib, CaseBuilder.le(f.disp, f.dispBytes), f.addr16, -1, 0);
    }

    /**
     * XLAT: loads AL with a random value and (E)BX so that [seg:(E)BX + AL] hits the data block.
     * Returns the operand (no ModRM; only its 67/segment prefixes matter).
     */
    Mem xlat() {
        for (int attempt = 0; attempt < 100; attempt++) {
            boolean addr16 = b.real() ? !b.chance(25) : b.chance(20);
            int seg = DiffCase.DS;
            int override = -1;
            if (b.chance(25)) {
                seg = b.pick(6);
                override = seg;
            }
            Integer access = pickAccess(new Request(1, false, 0, Area.GENERAL_OR_STACK, -1, false, false),
                    b.segBase(seg), addr16);
            if (access == null || !b.settable(CaseBuilder.EAX) || !b.settable(EBX)) {
                continue;
            }
            int al = b.rnd.nextInt(256);
            b.setReg(CaseBuilder.EAX, al, 8);
            if (addr16) {
                b.setLow16(EBX, access - al);
            } else {
                b.setReg(EBX, access - al, 32);
            }
            return new Mem(-1, 0, -1, new byte[0], addr16, override, b.segBase(seg) + access);
        }
        throw new IllegalStateException("cannot place an XLAT operand");
    }

    /** A moffs operand (MOV A0-A3): just an offset, 16- or 32-bit, maybe with a segment override. */
    Mem moffs(int span, boolean write) {
        for (int attempt = 0; attempt < 100; attempt++) {
            boolean addr16 = b.real() ? !b.chance(25) : b.chance(20);
            int seg = DiffCase.DS;
            int override = -1;
            if (b.chance(25)) {
                int s = b.pick(6);
                if (b.real() || !(s == DiffCase.CS && write)) {
                    seg = s;
                    override = s;
                }
            }
            Integer access = pickAccess(new Request(span, write, 0, Area.GENERAL_OR_STACK, -1, false, false),
                    b.segBase(seg), addr16);
            if (access == null) {
                continue;
            }
            if (b.chance(40)) {
                b.poke(b.segBase(seg) + access, b.edge(32), span);
            }
            return new Mem(-1, 0, -1, CaseBuilder.le(access, addr16 ? 2 : 4), addr16, override, b.segBase(seg) + access);
        }
        throw new IllegalStateException("cannot place a moffs operand");
    }
}
