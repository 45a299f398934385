package dev.vwb.workbench.gdb;

import dev.vwb.machine.cpu.Cpu;
import dev.vwb.machine.cpu.SegReg;
import dev.vwb.tracing.AddressRange;
import dev.vwb.tracing.BreakCondition;
import dev.vwb.tracing.BreakReport;
import dev.vwb.tracing.Breakpoint;
import dev.vwb.tracing.Breakpoints;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The breakpoints and watchpoints gdb inserted with {@code Z} packets, as the tracing module's
 * breakpoints of the VM ({@link Breakpoints}), and the reason a stop reply gives when one of
 * them stopped the guest.
 *
 * <pre>
 *   Z0 / Z1  addr,kind   execution at linear address addr (software / hardware: the same here)
 *   Z2       addr,len    write watchpoint  -> stop reply "watch:ADDR;"
 *   Z3       addr,len    read watchpoint   -> "rwatch:ADDR;"
 *   Z4       addr,len    access watchpoint -> "awatch:ADDR;"
 * </pre>
 *
 * Addresses are linear (CS base + EIP, the data address of the access), as QEMU's gdbstub takes
 * them. An execution breakpoint stops before the instruction, with EIP at the breakpoint (the
 * stub, not gdb, "adjusts the PC", which is what {@code swbreak+} tells gdb); a watchpoint stops
 * after the instruction that made the access, as x86 debug registers do. Inserting what is
 * already inserted and removing what is not are accepted (gdb may do either). Breakpoints the
 * VM has from elsewhere (the REPL's) are left alone; {@link #close()} removes only gdb's.
 */
final class GdbPoints implements AutoCloseable {
    static final int SOFTWARE = 0;
    static final int HARDWARE = 1;
    static final int WRITE = 2;
    static final int READ = 3;
    static final int ACCESS = 4;

    /** One inserted point as gdb names it: type, address, kind (the length, for watchpoints). */
    private record Key(int type, long address, long kind) {
    }

    private final Breakpoints breakpoints;
    private final Cpu cpu;
    private final Map<Key, Breakpoint> inserted = new LinkedHashMap<>();

    GdbPoints(Breakpoints breakpoints, Cpu cpu) {
        this.breakpoints = breakpoints;
        this.cpu = cpu;
    }

    /** {@code Z type,addr,kind}. Unknown types are the caller's to refuse (an empty reply). */
    void insert(int type, long address, long kind) {
        Key key = new Key(type, address, kind);
        if (inserted.containsKey(key)) {
            return;
        }
        inserted.put(key, switch (type) {
            case SOFTWARE, HARDWARE -> execution(address);
            case WRITE -> watch(address, kind, BreakCondition.Access.WRITE);
            case READ -> watch(address, kind, BreakCondition.Access.READ);
            case ACCESS -> watch(address, kind, BreakCondition.Access.READ_WRITE);
            default -> throw new IllegalArgumentException("no breakpoint type " + type);
        });
    }

    /** {@code z type,addr,kind}. */
    void remove(int type, long address, long kind) {
        Breakpoint b = inserted.remove(new Key(type, address, kind));
        if (b != null) {
            b.delete();
        }
    }

    /** Whether {@code type} is one of Z0-Z4. */
    static boolean supported(int type) {
        return type >= SOFTWARE && type <= ACCESS;
    }

    /**
     * The stop-reply reason for a stop at a breakpoint: {@code swbreak:;}, {@code hwbreak:;},
     * {@code watch:ADDR;}, {@code rwatch:ADDR;}, {@code awatch:ADDR;}, or empty when none of gdb's
     * points explains it (a breakpoint of the REPL's: gdb then sees a plain SIGTRAP).
     *
     * @param report the breakpoints' report of this stop, or null if there is none
     */
    String reason(BreakReport report) {
        if (report != null) {
            for (Map.Entry<Key, Breakpoint> e : inserted.entrySet()) {
                if (e.getValue().id() == report.breakpoint()) {
                    return reason(e.getKey(), report);
                }
            }
        }
        // Another breakpoint at the same place may have been reported first: gdb's is hit too.
        long pc = (cpu.segmentBase(SegReg.CS) + cpu.eip()) & 0xFFFF_FFFFL;
        for (Key k : inserted.keySet()) {
            if (k.type() <= HARDWARE && k.address() == pc && (report == null || report.access().isEmpty())) {
                return reason(k, report);
            }
        }
        return "";
    }

    private static String reason(Key k, BreakReport report) {
        return switch (k.type()) {
            case SOFTWARE -> "swbreak:;";
            case HARDWARE -> "hwbreak:;";
            default -> (k.type() == WRITE ? "watch" : k.type() == READ ? "rwatch" : "awatch") + ":"
                    + Long.toHexString(dataAddress(k, report)) + ";";
        };
    }

    /** The address gdb is told: the access's, moved into the watched range if it began before it. */
    private static long dataAddress(Key k, BreakReport report) {
        if (report == null || report.access().isEmpty()) {
            return k.address();
        }
        long a = report.access().get().address() & 0xFFFF_FFFFL;
        return a >= k.address() && a < k.address() + k.kind() ? a : k.address();
    }

    /** Removes every point gdb inserted (the session ended). */
    @Override
    public void close() {
        for (Breakpoint b : inserted.values()) {
            b.delete();
        }
        inserted.clear();
    }

    /**
     * A breakpoint at a linear address; where the page tables do not map it now (a kernel that
     * has not turned paging on yet) the tracing module refuses an address breakpoint, so a
     * predicate on CS base + EIP does the same job.
     */
    private Breakpoint execution(long address) {
        try {
            return breakpoints.atAddress(address);
        } catch (IllegalArgumentException unmapped) {
            return breakpoints.when(String.format("execution at %08X (gdb, unmapped when set)", address),
                    c -> ((c.segmentBase(SegReg.CS) + c.eip()) & 0xFFFF_FFFFL) == address);
        }
    }

    private Breakpoint watch(long address, long length, BreakCondition.Access access) {
        if (length < 1 || address + length - 1 > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(String.format("no watchpoint of %d bytes at %08X", length, address));
        }
        return breakpoints.onMemory(AddressRange.of(address, length), access);
    }
}
