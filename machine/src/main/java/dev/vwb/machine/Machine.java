package dev.vwb.machine;

import dev.vwb.machine.cpu.Cpu;
import dev.vwb.machine.devices.DebugConsole;
import dev.vwb.machine.devices.ExitDevice;
import dev.vwb.machine.devices.PicPair;
import dev.vwb.machine.devices.Pit8254;
import dev.vwb.machine.devices.PostCodePort;
import dev.vwb.machine.devices.Uart16550;
import dev.vwb.machine.io.IoBus;
import dev.vwb.machine.memory.PhysicalMemory;
import dev.vwb.machine.state.MachineState;
import dev.vwb.machine.state.Stateful;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A small PC: a {@link Cpu}, physical memory with an optional BIOS image, and the I/O bus with
 * the 8259A pair (20h, A0h), the 8254 timer (40h), the 16550 UART COM1 (3F8h, IRQ 4), the
 * debug console (E9h), the exit device (F4h) and the POST-code port (80h).
 *
 * <p>Time is virtual: the machine is a {@value #VIRTUAL_MIPS}-MIPS PC, so the timer advances
 * by 1,193,182 ticks per {@value #VIRTUAL_MIPS} million retired instructions, and two runs of a
 * guest see the same interrupts at the same instructions.
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
    private final PicPair pic = new PicPair();
    private final Pit8254 pit;
    private final Uart16550 com1 = new Uart16550();

    /** The speed of the virtual CPU, which sets how fast virtual time passes per instruction. */
    public static final long VIRTUAL_MIPS = 100;
    private static final long INSTRUCTIONS_PER_SECOND = VIRTUAL_MIPS * 1_000_000;

    private Machine(Builder b) {
        memory = new PhysicalMemory(b.ramBytes);
        if (b.bios != null) {
            memory.loadBios(b.bios);
        }
        cpu = new Cpu(memory, io);
        pit = new Pit8254(edge -> pic.pulseIrq(0), cpu::endSlice);
        io.attach(debugConsole, DebugConsole.PORT, 1);
        io.attach(exitDevice, ExitDevice.PORT, ExitDevice.SIZE);
        io.attach(postCodes, PostCodePort.PORT, 1);
        io.attach(pic, PicPair.MASTER_PORT, 2);
        io.attach(pic, PicPair.SLAVE_PORT, 2);
        io.attach(pit, Pit8254.PORT, Pit8254.PORTS);
        io.attach(com1, Uart16550.COM1, Uart16550.PORTS);
        com1.setIrqLine(level -> pic.setIrq(Uart16550.IRQ, level != 0));
        pic.setOnChange(cpu::interruptRequested);
        cpu.setInterruptLine(pic);
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

    /** RAM's pages in the snapshot last taken or restored: the base of the next one. */
    private byte[][] lastPages;

    /** The parts a snapshot saves, in the order it saves them. */
    private List<Stateful> stateful() {
        return List.of(debugConsole, exitDevice, postCodes, pic, pit, com1);
    }

    /**
     * A snapshot of the whole machine, taken between two instructions (call it while the machine
     * is not running): the CPU, the devices and RAM. Only the pages written since the last
     * snapshot taken or restored are copied; the others are shared with it.
     */
    public MachineState saveState() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            cpu.saveState(out);
            for (Stateful part : stateful()) {
                part.save(out);
            }
            out.flush();
            byte[][] pages = memory.snapshotPages(lastPages);
            lastPages = pages;
            return new MachineState(memory.ramSize(), cpu.instructionsRetired(), bytes.toByteArray(), pages);
        } catch (IOException e) {
            throw new UncheckedIOException(e);  // in-memory streams do not fail
        }
    }

    /**
     * Puts the machine back to a snapshot of a machine with the same RAM size; it then runs on as
     * it did from that moment. Hooks, sinks and listeners stay as they are.
     *
     * @throws IllegalArgumentException when the snapshot's RAM size differs, or its contents are corrupted
     */
    public void restoreState(MachineState state) {
        if (state.ramSize() != memory.ramSize()) {
            throw new IllegalArgumentException(String.format("the snapshot is of a machine with %d KiB of RAM, this one has %d KiB",
                    state.ramSize() >> 10, memory.ramSize() >> 10));
        }
        try (DataInputStream in = state.components()) {
            memory.restorePages(state.ramPages(), lastPages);
            lastPages = state.ramPages();
            cpu.restoreState(in);
            for (Stateful part : stateful()) {
                part.restore(in);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("the snapshot is corrupted: " + e.getMessage());
        }
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

    public PicPair pic() {
        return pic;
    }

    public Pit8254 pit() {
        return pit;
    }

    /** The 16550 UART at COM1 (3F8h, IRQ 4): its transmitted text, and a queue for input. */
    public Uart16550 com1() {
        return com1;
    }

    /**
     * Runs at most {@code maxSteps} instructions (or exception deliveries, or steps halted waiting
     * for an interrupt) and says why it stopped. The run is cut into slices that end where the
     * timer's next interrupt falls, so the interrupt arrives at the same instruction every time.
     */
    public RunResult run(long maxSteps) {
        long before = cpu.instructionsRetired();
        long remaining = maxSteps;
        StopReason reason;
        while (true) {
            if (cpu.halted() && (cpu.eflags() & dev.vwb.machine.cpu.Eflags.IF) != 0
                    && pit.nextEventTick() < 0 && !pic.pending()) {
                reason = StopReason.HALTED;
                break;  // waiting for an interrupt nothing will raise
            }
            long slice = remaining;
            long next = pit.nextEventTick();
            if (next >= 0) {
                long due = instructionsAt(next) - cpu.instructionsRetired();
                slice = Math.min(slice, Math.max(1, due));
            }
            reason = cpu.run(slice);
            remaining -= cpu.lastRunSteps();
            pit.advanceTo(ticksAt(cpu.instructionsRetired()));
            if (reason != StopReason.INSTRUCTION_LIMIT || remaining <= 0) {
                break;
            }
        }
        String detail = switch (reason) {
            case INSTRUCTION_LIMIT -> "the budget of " + maxSteps + " steps is used up";
            case STOP_REQUESTED -> "stopped on request";
            case HALTED -> cpu.halted() ? "HLT with interrupts enabled, but no interrupt will come" : cpu.stopDetail();
            default -> cpu.stopDetail();
        };
        return new RunResult(reason, cpu.instructionsRetired() - before, detail);
    }

    /** Virtual time, in timer ticks, after {@code instructions} retired instructions (exact, no overflow). */
    static long ticksAt(long instructions) {
        long seconds = instructions / INSTRUCTIONS_PER_SECOND;
        long rest = instructions % INSTRUCTIONS_PER_SECOND;
        return seconds * Pit8254.FREQUENCY + rest * Pit8254.FREQUENCY / INSTRUCTIONS_PER_SECOND;
    }

    /** The first instruction count at which virtual time reaches {@code tick}. */
    static long instructionsAt(long tick) {
        long seconds = tick / Pit8254.FREQUENCY;
        long rest = tick % Pit8254.FREQUENCY;
        return seconds * INSTRUCTIONS_PER_SECOND + (rest * INSTRUCTIONS_PER_SECOND + Pit8254.FREQUENCY - 1) / Pit8254.FREQUENCY;
    }

    /** Resets the CPU and the exit device, as the reset line does; memory keeps its contents. */
    public void reset() {
        cpu.reset();
        exitDevice.reset();
    }
}
