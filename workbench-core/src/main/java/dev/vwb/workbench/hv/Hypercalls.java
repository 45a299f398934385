package dev.vwb.workbench.hv;

import dev.vwb.machine.Machine;
import dev.vwb.machine.cpu.Cpu;
import dev.vwb.machine.cpu.CpuControl;
import dev.vwb.machine.cpu.GuestInstruction;
import dev.vwb.machine.cpu.Reg32;
import dev.vwb.machine.cpu.SegReg;

/**
 * The hypercall ABI of {@code paravirt} mode, for guest kernels that know they run on vwb's
 * hypervisor and ask it directly instead of executing instructions that trap.
 *
 * <p>A hypercall is {@code VMCALL} (bytes 0F 01 C1; the 486 has no such instruction, so it
 * raises #UD, which the hypervisor takes) at the guest's ring 0, with the call number in EAX and
 * arguments in EBX, ECX, EDX; the result comes back in EAX (negative: an error), other registers
 * are kept. From user code, or in another mode, VMCALL is the #UD it is on hardware.
 *
 * <pre>
 *  EAX  name              arguments                       result
 *   0   VERSION           -                               1
 *   1   CONSOLE_WRITE     EBX = address, ECX = length     bytes written (to COM1)
 *   2   SET_IF            EBX = 0 or 1                    the previous IF
 *   3   SET_CR3           EBX = page directory            0
 *   4   INVLPG            EBX = linear address            0
 *   5   SET_KERNEL_STACK  EBX = SS0, ECX = ESP0           0 (also written into the guest's TSS)
 *   6   HALT              - (enables interrupts first)    0, after the next interrupt
 *   7   OUT               EBX = port, ECX = value, EDX = size (1, 2, 4)   0
 *   8   IN                EBX = port, EDX = size          the value
 *   9   EXIT              EBX = status                    (does not return: the exit device)
 * </pre>
 * Unknown numbers return -1 (ENOSYS). OUT and IN to a port no device answers are answered as
 * an empty bus (all ones, writes dropped), as trapped port I/O is ({@link PrivilegedEmulator}).
 */
final class Hypercalls {
    static final int VERSION = 0, CONSOLE_WRITE = 1, SET_IF = 2, SET_CR3 = 3, INVLPG = 4, SET_KERNEL_STACK = 5,
            HALT = 6, OUT = 7, IN = 8, EXIT = 9;
    private static final String[] NAMES = {"VERSION", "CONSOLE_WRITE", "SET_IF", "SET_CR3", "INVLPG", "SET_KERNEL_STACK",
            "HALT", "OUT", "IN", "EXIT"};
    private static final int COM1 = 0x3F8;
    private static final int EXIT_PORT = 0xF4;

    /** A hypercall made: its number, name and what was done; the port of an OUT or IN no device answers, else -1. */
    record Result(int number, String name, String action, int portWithoutDevice) {
    }

    private final Machine machine;
    private final Cpu cpu;
    private final CpuControl control;
    private final VirtualCpu v;
    private final ShadowTables shadows;
    private final GuestBus io;

    Hypercalls(Machine machine, VirtualCpu v, ShadowTables shadows, GuestBus io) {
        this.io = io;
        this.machine = machine;
        this.cpu = machine.cpu();
        this.control = cpu.control();
        this.v = v;
        this.shadows = shadows;
    }

    static boolean isHypercall(GuestInstruction insn) {
        byte[] b = insn.bytes();
        return b.length == 3 && (b[0] & 0xFF) == 0x0F && b[1] == 0x01 && (b[2] & 0xFF) == 0xC1;
    }

    static String name(int number) {
        return number >= 0 && number < NAMES.length ? NAMES[number] : "UNKNOWN";
    }

    /** Performs the hypercall at EIP ({@code insn}); EIP moves past it. */
    Result call(GuestInstruction insn) {
        int number = cpu.reg(Reg32.EAX);
        int ebx = cpu.reg(Reg32.EBX);
        int ecx = cpu.reg(Reg32.ECX);
        int edx = cpu.reg(Reg32.EDX);
        cpu.setEip(insn.nextEip());
        control.retire(insn);
        String action;
        int result = 0;
        int noDevice = -1;
        switch (number) {
            case VERSION -> {
                result = 1;
                action = "ABI version 1";
            }
            case CONSOLE_WRITE -> {
                int n = Math.max(0, Math.min(ecx, 1 << 16));
                int base = cpu.segmentBase(SegReg.DS) + ebx;
                for (int k = 0; k < n; k++) {
                    io.out(COM1, 1, shadows.readGuest32(base + k) & 0xFF);
                }
                result = n;
                action = n + " bytes to COM1";
            }
            case SET_IF -> {
                result = v.vif ? 1 : 0;
                v.vif = ebx != 0;
                if (v.vif) {
                    cpu.interruptRequested();
                }
                action = "virtual IF = " + (v.vif ? 1 : 0);
            }
            case SET_CR3 -> {
                v.cr3 = ebx;
                shadows.syncPaging();
                action = "virtual CR3 = " + PrivilegedEmulator.hex8(ebx);
            }
            case INVLPG -> {
                shadows.invalidate(ebx);
                action = "TLB entry of " + PrivilegedEmulator.hex8(ebx) + " dropped";
            }
            case SET_KERNEL_STACK -> {
                if ((v.tr & ~3) != 0) {
                    long d = shadows.guestDescriptor(v.tr & ~3);
                    int base = RingCompression.base(d);
                    shadows.writeGuest32(base + 4, ecx);
                    shadows.writeGuest32(base + 8, (shadows.readGuest32(base + 8) & 0xFFFF_0000) | (ebx & 0xFFFF));
                }
                shadows.syncRing1Stack();
                action = "kernel stack " + PrivilegedEmulator.hex4(ebx) + ":" + PrivilegedEmulator.hex8(ecx);
            }
            case HALT -> {
                v.vif = true;
                control.halt();
                cpu.interruptRequested();
                action = "waiting for the next virtual interrupt";
            }
            case OUT -> {
                if (io.reachable(ebx & 0xFFFF)) {
                    io.out(ebx & 0xFFFF, size(edx), ecx);
                } else {
                    noDevice = ebx & 0xFFFF;
                }
                action = "out " + PrivilegedEmulator.hex4(ebx) + " <- " + Integer.toHexString(ecx);
            }
            case IN -> {
                if (io.reachable(ebx & 0xFFFF)) {
                    result = io.in(ebx & 0xFFFF, size(edx));
                } else {
                    noDevice = ebx & 0xFFFF;
                    result = size(edx) == 4 ? -1 : (1 << 8 * size(edx)) - 1;  // the empty bus's all ones
                }
                action = "in " + PrivilegedEmulator.hex4(ebx) + " -> " + Integer.toHexString(result);
            }
            case EXIT -> {
                io.out(EXIT_PORT, 1, ebx);
                action = "exit status " + ebx;
            }
            default -> {
                result = -1;
                action = "no such hypercall: -1";
            }
        }
        if (number != EXIT) {
            cpu.setReg(Reg32.EAX, result);
        }
        return new Result(number, name(number), action, noDevice);
    }

    private static int size(int edx) {
        return edx == 2 || edx == 4 ? edx : 1;
    }
}
