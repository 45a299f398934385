package dev.vwb.machine.cpu;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Saves and restores the CPU's architectural state for machine snapshots: the registers, the
 * segment registers with their hidden descriptor caches, the descriptor-table registers, the
 * control and debug registers, the CPL, the halted state and the virtual clock. What the CPU
 * merely caches (decoded and translated code, the TLB) is dropped on restore and rebuilt as
 * the guest runs, which gives the same results: the caches are exact.
 */
final class CpuState {
    private CpuState() {
    }

    static void save(Cpu c, DataOutput out) throws IOException {
        for (int r : c.regs) {
            out.writeInt(r);
        }
        out.writeInt(c.eip);
        out.writeInt(c.flags.get());
        for (Segment s : c.seg) {
            saveSegment(s, out);
        }
        saveSegment(c.ldtr, out);
        saveSegment(c.tr, out);
        for (int v : new int[] {c.gdtrBase, c.gdtrLimit, c.idtrBase, c.idtrLimit, c.cr0, c.cr2, c.cr3, c.cr4, c.cpl}) {
            out.writeInt(v);
        }
        for (int d : c.dr) {
            out.writeInt(d);
        }
        out.writeLong(c.tscOffset);
        out.writeLong(c.retired);
        out.writeLong(c.idleSteps);
        out.writeBoolean(c.halted);
    }

    static void restore(Cpu c, DataInput in) throws IOException {
        for (int i = 0; i < 8; i++) {
            c.regs[i] = in.readInt();
        }
        c.eip = in.readInt();
        c.flags.put(in.readInt());
        for (Segment s : c.seg) {
            restoreSegment(s, in);
        }
        restoreSegment(c.ldtr, in);
        restoreSegment(c.tr, in);
        c.gdtrBase = in.readInt();
        c.gdtrLimit = in.readInt();
        c.idtrBase = in.readInt();
        c.idtrLimit = in.readInt();
        c.cr0 = in.readInt();
        c.cr2 = in.readInt();
        c.cr3 = in.readInt();
        c.cr4 = in.readInt();
        int cpl = in.readInt();
        for (int i = 0; i < c.dr.length; i++) {
            c.dr[i] = in.readInt();
        }
        c.tscOffset = in.readLong();
        c.retired = in.readLong();
        c.idleSteps = in.readLong();
        c.halted = in.readBoolean();
        // Derived state and caches. (An interrupt shadow pending from an STI or MOV SS just
        // before the snapshot is not kept: snapshots are taken between whole instructions.)
        c.attention = 0;
        c.paging = (c.cr0 & Cpu.CR0_PG) != 0;
        c.pager.flushAll();
        c.flushDecodeCache();
        c.setCpl(cpl);
        Segments.cacheModes(c);
        c.recheckAttention();
    }

    private static void saveSegment(Segment s, DataOutput out) throws IOException {
        out.writeInt(s.selector);
        out.writeInt(s.base);
        out.writeInt(s.limit);
        out.writeInt(s.attributes);
    }

    private static void restoreSegment(Segment s, DataInput in) throws IOException {
        int selector = in.readInt();
        int base = in.readInt();
        int limit = in.readInt();
        s.set(selector, base, limit, in.readInt());
    }
}
