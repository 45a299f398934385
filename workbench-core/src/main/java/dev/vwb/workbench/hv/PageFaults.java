package dev.vwb.workbench.hv;

import dev.vwb.machine.cpu.Cpu;
import dev.vwb.machine.cpu.CpuFault;
import dev.vwb.machine.cpu.ExceptionInterceptor;
import dev.vwb.machine.cpu.GuestInstruction;
import dev.vwb.machine.cpu.Vectors;

/**
 * The page-fault path under shadow paging. The real CPU walks the shadow tables, not the
 * guest's, so a page fault it takes says only that the shadow lacks what was asked; the
 * {@link ShadowPager} tells what it really is, and this class acts on that: a hidden fault is
 * filled and the instruction retried (the guest never sees it: its CR2 is put back), a true fault
 * is reflected with the guest's own error code and CR2, a write to a guest page-table page (or
 * one CR0.WP = 0 allows) runs once unprotected, and a refused one stops the guest. The same
 * question is asked of a page fault the hypervisor meets while it runs guest code itself
 * ({@link #fillIfHidden}).
 */
final class PageFaults extends Mechanism {
    PageFaults(Cpu cpu, VirtualCpu vcpu, ShadowTables shadows, ShadowPager pager, Exits exits) {
        super(cpu, vcpu, shadows, pager, exits);
    }

    /** A page fault at {@code linear} under the shadow tables: hidden (filled, retried), the guest's (reflected), a protected write (run), or refused. */
    ExceptionInterceptor.Decision onPageFault(int linear, int errorCode, long start) {
        ShadowPager.Fault f = pager.onPageFault(linear, errorCode);
        if (f instanceof ShadowPager.Fault.Hidden h) {
            control.setCr(2, vcpu.cr2);  // the guest never saw this fault
            exits.record(new VmExit.HiddenPageFault(exits.site(null, h.action(), System.nanoTime() - start), linear));
            return ExceptionInterceptor.Decision.HANDLED;
        }
        if (f instanceof ShadowPager.Fault.True t) {
            vcpu.cr2 = linear;
            exits.reflectToGuest(Vectors.PF, t.errorCode());  // the guest's error code, from its own tables
            return ExceptionInterceptor.Decision.HANDLED;
        }
        if (f instanceof ShadowPager.Fault.ProtectedWrite w) {
            GuestInstruction insn = control.decode();
            int changed = pager.runUnprotected(insn, linear, w.table());
            control.setCr(2, vcpu.cr2);
            if (w.table()) {
                exits.record(new VmExit.PageTableWrite(exits.site(insn,
                        changed + " table entries changed; their shadow entries dropped", System.nanoTime() - start), linear, changed));
            } else {
                exits.record(new VmExit.HiddenPageFault(exits.site(insn, "a write CR0.WP = 0 allows, run unprotected",
                        System.nanoTime() - start), linear));
            }
            return ExceptionInterceptor.Decision.HANDLED;
        }
        return exits.contain(null, ((ShadowPager.Fault.Refused) f).why(), start);
    }

    /** Whether {@code fault}, met while emulating, was a page the shadow lacked ({@link #fillIfHidden}); recorded if so. */
    boolean fillWhileEmulating(CpuFault fault, long start) {
        int linear = cpu.cr2();  // the page filled (CR2 goes back to the guest's below)
        if (!fillIfHidden(fault)) {
            return false;
        }
        exits.record(new VmExit.HiddenPageFault(exits.site(null, "filled while emulating; the instruction runs again",
                System.nanoTime() - start), linear));
        return true;
    }

    /**
     * Whether {@code fault}, met while the hypervisor ran guest code itself (emulating, or a task
     * switch in the guest's view), is a page the shadow lacked: it is then filled, the guest's CR2
     * put back, and the instruction is to run again. Anything else is left as it is.
     */
    boolean fillIfHidden(CpuFault fault) {
        if (fault.vector() == Vectors.PF && pager.onPageFault(cpu.cr2(), fault.errorCode()) instanceof ShadowPager.Fault.Hidden) {
            control.setCr(2, vcpu.cr2);
            return true;
        }
        return false;
    }
}
