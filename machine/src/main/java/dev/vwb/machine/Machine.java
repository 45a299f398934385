package dev.vwb.machine;

import dev.vwb.machine.cpu.Cpu;
import dev.vwb.machine.devices.DebugConsole;
import dev.vwb.machine.devices.ExitDevice;
import dev.vwb.machine.devices.PostCodePort;
import dev.vwb.machine.io.IoBus;
import dev.vwb.machine.memory.PhysicalMemory;

/**
 * A small PC: a {@link Cpu}, physical memory with an optional BIOS image, and the I/O bus with
 * the debug console (0xE9), the exit device (0xF4) and the POST-code port (0x80).
 *
 * <pre>{@code
 * Machine m = Machine.builder().ramMiB(16).bios(image).build();
 * RunResult r = m.run(1_000_000);
 * System.out.print(m.debugConsole().output());
 * }</pre>
 */
public final class Machine {
    private final PhysicalMemory memory;
    private final IoBus io = new IoBus();
    private final Cpu cpu;
    private final DebugConsole debugConsole = new DebugConsole();
    private final ExitDevice exitDevice = new ExitDevice();
    private final PostCodePort postCodes = new PostCodePort();

    private Machine(Builder b) {
        memory = new PhysicalMemory(b.ramBytes);
        if (b.bios != null) {
            memory.loadBios(b.bios);
        }
        cpu = new Cpu(memory, io);
        io.attach(debugConsole, DebugConsole.PORT, 1);
        io.attach(exitDevice, ExitDevice.PORT, ExitDevice.SIZE);
        io.attach(postCodes, PostCodePort.PORT, 1);
        exitDevice.setOnExit(() -> cpu.stopAfterInstruction(StopReason.EXIT_DEVICE,
                String.format("the guest wrote %d to port F4h (QEMU would exit with status %d)",
                        exitDevice.value(), exitDevice.exitStatus())));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link Machine}. Defaults: 16 MiB of RAM, no BIOS image. */
    public static final class Builder {
        private int ramBytes = 16 << 20;
        private byte[] bios;

        private Builder() {
        }

        public Builder ramMiB(int mib) {
            if (mib < 1 || mib > 2048) {
                throw new IllegalArgumentException("RAM must be between 1 and 2048 MiB, not " + mib);
            }
            this.ramBytes = mib << 20;
            return this;
        }

        public Builder ramBytes(int bytes) {
            this.ramBytes = bytes;
            return this;
        }

        /** A 64 or 128 KiB ROM image whose last 16 bytes hold the reset vector, as for QEMU's {@code -bios}. */
        public Builder bios(byte[] image) {
            this.bios = image.clone();
            return this;
        }

        public Machine build() {
            return new Machine(this);
        }
    }

    public Cpu cpu() {
        return cpu;
    }

    public PhysicalMemory memory() {
        return memory;
    }

    public IoBus io() {
        return io;
    }

    public DebugConsole debugConsole() {
        return debugConsole;
    }

    public ExitDevice exitDevice() {
        return exitDevice;
    }

    public PostCodePort postCodes() {
        return postCodes;
    }

    /** Runs at most {@code maxSteps} instructions (or exception deliveries) and says why it stopped. */
    public RunResult run(long maxSteps) {
        long before = cpu.instructionsRetired();
        StopReason reason = cpu.run(maxSteps);
        String detail = switch (reason) {
            case INSTRUCTION_LIMIT -> "the budget of " + maxSteps + " steps is used up";
            case STOP_REQUESTED -> "stopped on request";
            default -> cpu.stopDetail();
        };
        return new RunResult(reason, cpu.instructionsRetired() - before, detail);
    }

    /** Resets the CPU and the exit device, as the reset line does; memory keeps its contents. */
    public void reset() {
        cpu.reset();
        exitDevice.reset();
    }
}
