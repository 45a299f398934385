package dev.vwb.machine.cpu;

import static dev.vwb.machine.cpu.Cpu.EAX;
import static dev.vwb.machine.cpu.Cpu.EBX;
import static dev.vwb.machine.cpu.Cpu.ECX;
import static dev.vwb.machine.cpu.Cpu.EDX;

/**
 * CPUID (SDM Vol. 2A CPUID). This CPU calls itself "VWBVirtCPU86", family 4 (a 486), and
 * reports exactly the features it implements: TSC, MSR (for the TSC), CX8 (CMPXCHG8B), PSE,
 * PGE and CMOV; no FPU.
 */
final class Cpuid {
    private Cpuid() {
    }

    static final int FAMILY_MODEL_STEPPING = 0x0480;  // family 4, model 8, stepping 0
    static final int FEATURE_TSC = 1 << 4;
    static final int FEATURE_MSR = 1 << 5;
    static final int FEATURE_PSE = 1 << 3;
    static final int FEATURE_CX8 = 1 << 8;
    static final int FEATURE_PGE = 1 << 13;
    static final int FEATURE_CMOV = 1 << 15;
    static final int FEATURES = FEATURE_PSE | FEATURE_TSC | FEATURE_MSR | FEATURE_CX8 | FEATURE_PGE | FEATURE_CMOV;

    /** The vendor string, returned in EBX, EDX, ECX order. */
    private static final String VENDOR = "VWBVirtCPU86";

    static void execute(Cpu c) {
        int leaf = c.regs[EAX];
        switch (leaf) {
            case 0:
                c.regs[EAX] = 1;
                c.regs[EBX] = chunk(0);
                c.regs[EDX] = chunk(4);
                c.regs[ECX] = chunk(8);
                break;
            case 1:
                c.regs[EAX] = FAMILY_MODEL_STEPPING;
                c.regs[EBX] = 0;
                c.regs[ECX] = 0;
                c.regs[EDX] = FEATURES;
                break;
            default:
                // Leaves above the maximum return the highest basic leaf's data (SDM: "If a value
                // entered for CPUID.EAX is higher than the maximum input value...").
                c.regs[EAX] = 1;
                execute(c);
        }
    }

    private static int chunk(int at) {
        return VENDOR.charAt(at) | VENDOR.charAt(at + 1) << 8 | VENDOR.charAt(at + 2) << 16 | VENDOR.charAt(at + 3) << 24;
    }
}
