package dev.vwb.machine.devices;

import dev.vwb.machine.state.Stateful;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import dev.vwb.machine.cpu.Cpu;
import dev.vwb.machine.io.IoDevice;

/**
 * The PC's two cascaded 8259A controllers: the master at ports 20h–21h delivers IRQ 0–7, the
 * slave at A0h–A1h delivers IRQ 8–15 through the master's IR2. This is the CPU's INTR line and
 * INTA cycle ({@link Cpu.InterruptLine}); it tells the CPU whenever its output may have changed,
 * so the CPU never has to poll it.
 */
public final class PicPair implements IoDevice, Cpu.InterruptLine, Stateful {
    public static final int MASTER_PORT = 0x20;
    public static final int SLAVE_PORT = 0xA0;
    private static final int CASCADE_IR = 2;

    private final Pic8259 master = new Pic8259("master", 0x08);
    private final Pic8259 slave = new Pic8259("slave", 0x70);
    private Runnable onChange = () -> { };

    /** Called whenever INTR may have become asserted (the machine wires it to the CPU). */
    public void setOnChange(Runnable onChange) {
        this.onChange = onChange;
    }

    /** Raises or lowers IRQ {@code irq} (0–15); a rising edge requests an interrupt. */
    public void setIrq(int irq, boolean high) {
        if (irq < 8) {
            master.setLine(irq, high);
        } else {
            slave.setLine(irq - 8, high);
            master.setLine(CASCADE_IR, slave.pendingIr() >= 0);
        }
        onChange.run();
    }

    /** A rising then falling edge: what an edge-triggered device does to request once. */
    public void pulseIrq(int irq) {
        setIrq(irq, true);
        setIrq(irq, false);
    }

    @Override
    public boolean pending() {
        return master.pendingIr() >= 0;
    }

    @Override
    public int acknowledge() {
        int ir = master.pendingIr();
        if (ir < 0) {
            return master.spuriousVector();
        }
        int vector;
        if (ir == CASCADE_IR) {
            master.acknowledge(ir);
            int slaveIr = slave.pendingIr();
            vector = slaveIr < 0 ? slave.spuriousVector() : slave.acknowledge(slaveIr);
            master.setLine(CASCADE_IR, false);
            master.setLine(CASCADE_IR, slave.pendingIr() >= 0);
        } else {
            vector = master.acknowledge(ir);
        }
        return vector;
    }

    @Override
    public int in(int port, int size) {
        Pic8259 pic = port >= SLAVE_PORT ? slave : master;
        return (port & 1) == 0 ? pic.readCommand() : pic.readData();
    }

    @Override
    public void out(int port, int size, int value) {
        Pic8259 pic = port >= SLAVE_PORT ? slave : master;
        if ((port & 1) == 0) {
            pic.writeCommand(value & 0xFF);
        } else {
            pic.writeData(value & 0xFF);
        }
        if (pic == slave) {
            master.setLine(CASCADE_IR, slave.pendingIr() >= 0);
        }
        onChange.run();  // a mask or EOI may let a waiting request through
    }

    @Override
    public String toString() {
        return master + "; " + slave;
    }

    @Override
    public void save(DataOutput out) throws IOException {
        master.save(out);
        slave.save(out);
    }

    @Override
    public void restore(DataInput in) throws IOException {
        master.restore(in);
        slave.restore(in);
        onChange.run();  // INTR may differ from before the restore
    }
}
