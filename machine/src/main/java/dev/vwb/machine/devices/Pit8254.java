package dev.vwb.machine.devices;

import dev.vwb.machine.state.Stateful;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import dev.vwb.machine.io.IoDevice;
import java.util.function.IntConsumer;

/**
 * The Intel 8254 programmable interval timer at ports 40h–43h, clocked at 1,193,182 Hz of
 * <em>virtual</em> time: the machine advances it with retired instructions, so a guest sees the
 * same ticks on every run. Channel 0 drives IRQ 0.
 *
 * <p>Modelled (8254 data sheet): the control word with the LSB/MSB/LSB-then-MSB access modes,
 * the counter-latch and read-back commands with the status byte, and modes 0 (interrupt on
 * terminal count), 2 (rate generator), 3 (square wave) and 4 (software strobe) with gates held
 * high as on channel 0. Not modelled: modes 1 and 5 (they need a gate edge, which nothing on
 * this machine gives), BCD counting (a BCD count runs as binary), and the speaker gate of
 * channel 2 at port 61h.
 */
public final class Pit8254 implements IoDevice, Stateful {
    public static final int PORT = 0x40;
    public static final int PORTS = 4;
    /** The input clock of every channel, in Hz. */
    public static final long FREQUENCY = 1_193_182;

    private final Channel[] channels = {new Channel(), new Channel(), new Channel()};
    private final IntConsumer irq0Edge;
    private final Runnable rescheduled;
    private long now;  // virtual time in PIT ticks

    /**
     * @param irq0Edge    called with 1 at each rising edge of channel 0's output (the IRQ 0 request)
     * @param rescheduled called when channel 0 is reprogrammed, so the machine can reschedule
     */
    public Pit8254(IntConsumer irq0Edge, Runnable rescheduled) {
        this.irq0Edge = irq0Edge;
        this.rescheduled = rescheduled;
    }

    /** The current virtual time in ticks of the 1.193182 MHz clock. */
    public long now() {
        return now;
    }

    /** Advances virtual time to {@code tick}, raising IRQ 0 at every rising edge of channel 0 on the way. */
    public void advanceTo(long tick) {
        Channel c0 = channels[0];
        while (c0.nextEdge >= 0 && c0.nextEdge <= tick) {
            now = c0.nextEdge;
            c0.edgePassed();
            irq0Edge.accept(1);
        }
        now = Math.max(now, tick);
    }

    /** The tick of channel 0's next rising edge, or -1 when none is coming. */
    public long nextEventTick() {
        return channels[0].nextEdge;
    }

    private final class Channel {
        int mode;
        int access = 3;          // 1 LSB, 2 MSB, 3 LSB then MSB
        int reload = 0x10000;    // the count written (0 means 65536)
        long start = -1;         // the tick counting began, -1 before a count is written
        long nextEdge = -1;      // the next rising edge of OUT, -1 for none
        boolean writeHigh;       // LSB-then-MSB: the next write is the MSB
        boolean readHigh;
        int partial;             // the LSB written so far
        int latched = -1;        // a latched count, or -1
        boolean latchedHigh;
        int status = -1;         // a latched status byte, or -1
        int programmed;          // mode and BCD bits as written (bits 3-0), which the status byte reports

        void control(int value) {
            int rw = (value >>> 4) & 3;
            if (rw == 0) {
                latch();
                return;
            }
            access = rw;
            programmed = value & 0x0F;
            mode = (value >>> 1) & 7;
            if (mode > 5) {
                mode -= 4;  // 6 and 7 are aliases of 2 and 3
            }
            writeHigh = false;
            readHigh = false;
            start = -1;
            nextEdge = -1;
        }

        void write(int value) {
            value &= 0xFF;
            switch (access) {
                case 1: load(value); break;
                case 2: load(value << 8); break;
                default:
                    if (!writeHigh) {
                        partial = value;
                        writeHigh = true;
                    } else {
                        writeHigh = false;
                        load(partial | value << 8);
                    }
            }
        }

        private void load(int count) {
            reload = count == 0 ? 0x10000 : count;
            start = now + 1;  // the count is loaded on the next clock
            switch (mode) {
                case 0: nextEdge = start + reload; break;        // OUT rises at terminal count
                case 2:
                case 3: nextEdge = start + reload; break;        // then every period
                case 4: nextEdge = start + reload + 1; break;    // a one-clock low strobe, then high
                default: nextEdge = -1;
            }
            if (this == channels[0]) {
                rescheduled.run();
            }
        }

        void edgePassed() {
            nextEdge = mode == 2 || mode == 3 ? nextEdge + reload : -1;
        }

        int count() {
            if (start < 0 || now < start) {
                return reload & 0xFFFF;
            }
            long elapsed = now - start;
            switch (mode) {
                case 2: return (int) (reload - elapsed % reload) & 0xFFFF;
                case 3: return (int) (reload - (2 * elapsed) % reload) & 0xFFFE;
                default: return (int) (reload - elapsed) & 0xFFFF;  // modes 0 and 4 wrap after terminal count
            }
        }

        boolean output() {
            if (start < 0) {
                return mode != 0;
            }
            long elapsed = now - start;
            switch (mode) {
                case 0: return elapsed >= reload;
                case 2: return elapsed % reload != reload - 1;
                case 3: return elapsed % reload < (reload + 1) / 2;
                case 4: return elapsed != reload;
                default: return true;
            }
        }

        void latch() {
            if (latched < 0) {
                latched = count();
                latchedHigh = false;
            }
        }

        void latchStatus() {
            if (status < 0) {
                status = (output() ? 0x80 : 0) | (start < 0 ? 0x40 : 0) | access << 4 | programmed;
            }
        }

        int read() {
            if (status >= 0) {
                int s = status;
                status = -1;
                return s;
            }
            int value = latched >= 0 ? latched : count();
            int result;
            switch (access) {
                case 1: result = value & 0xFF; latched = -1; break;
                case 2: result = value >>> 8; latched = -1; break;
                default:
                    if (!readHigh) {
                        result = value & 0xFF;
                        readHigh = true;
                    } else {
                        result = (value >>> 8) & 0xFF;
                        readHigh = false;
                        latched = -1;
                    }
            }
            return result;
        }
    }

    @Override
    public int in(int port, int size) {
        int index = port - PORT;
        return index < 3 ? channels[index].read() : 0xFF;
    }

    @Override
    public void out(int port, int size, int value) {
        int index = port - PORT;
        if (index < 3) {
            channels[index].write(value);
            return;
        }
        int select = (value >>> 6) & 3;
        if (select == 3) {
            // Read-back: bit 5 clear latches counts, bit 4 clear latches status, bits 1-3 pick channels.
            for (int c = 0; c < 3; c++) {
                if ((value & (2 << c)) != 0) {
                    if ((value & 0x20) == 0) {
                        channels[c].latch();
                    }
                    if ((value & 0x10) == 0) {
                        channels[c].latchStatus();
                    }
                }
            }
            return;
        }
        channels[select].control(value);
    }

    @Override
    public void save(DataOutput out) throws IOException {
        out.writeLong(now);
        for (Channel c : channels) {
            for (int v : new int[] {c.mode, c.access, c.reload, c.partial, c.latched, c.status, c.programmed}) {
                out.writeInt(v);
            }
            out.writeLong(c.start);
            out.writeLong(c.nextEdge);
            out.writeBoolean(c.writeHigh);
            out.writeBoolean(c.readHigh);
            out.writeBoolean(c.latchedHigh);
        }
    }

    @Override
    public void restore(DataInput in) throws IOException {
        now = in.readLong();
        for (Channel c : channels) {
            c.mode = in.readInt();
            c.access = in.readInt();
            c.reload = in.readInt();
            c.partial = in.readInt();
            c.latched = in.readInt();
            c.status = in.readInt();
            c.programmed = in.readInt();
            c.start = in.readLong();
            c.nextEdge = in.readLong();
            c.writeHigh = in.readBoolean();
            c.readHigh = in.readBoolean();
            c.latchedHigh = in.readBoolean();
        }
    }
}
