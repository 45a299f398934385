package dev.vwb.tracing;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.vwb.machine.cpu.ExceptionEvent;
import dev.vwb.machine.cpu.Vectors;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * Writes the Chrome trace-event format (the JSON object form, {@code {"traceEvents": [...]}}),
 * which Perfetto and chrome://tracing open. The timeline is the retired-instruction count: one
 * instruction is one microsecond, so "1 ms" on the ruler is a thousand instructions. Each kind
 * of event has its own track (thread): instructions are complete events ({@code ph: "X"}, one
 * unit long, named by their disassembly); memory accesses, port I/O, exceptions and console
 * output are instant events ({@code ph: "i"}). The file is valid JSON only once closed.
 */
public final class ChromeTraceSink implements TraceSink {
    private static final int PID = 1;
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private final JsonGenerator g;

    /** Creates (or truncates) {@code file}; a one-line error if it cannot. */
    public static ChromeTraceSink toFile(Path file) {
        return new ChromeTraceSink(FileErrors.create(file, "the Chrome trace"));
    }

    /** Writes to {@code out}, which {@link #close()} closes. */
    public ChromeTraceSink(OutputStream out) {
        try {
            g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8);
            g.writeStartObject();
            g.writeStringField("displayTimeUnit", "ns");
            g.writeObjectFieldStart("otherData");
            g.writeStringField("timeline", "1 us = 1 retired instruction");
            g.writeEndObject();
            g.writeArrayFieldStart("traceEvents");
            for (EventKind k : EventKind.values()) {
                threadName(k);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Metadata events naming each track after its event kind. */
    private void threadName(EventKind k) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", "thread_name");
        g.writeStringField("ph", "M");
        g.writeNumberField("pid", PID);
        g.writeNumberField("tid", tid(k));
        g.writeNumberField("ts", 0);
        g.writeObjectFieldStart("args");
        g.writeStringField("name", k.spelling());
        g.writeEndObject();
        g.writeEndObject();
    }

    private static int tid(EventKind k) {
        return k.ordinal() + 1;
    }

    @Override
    public void accept(TraceEvent e) {
        try {
            g.writeStartObject();
            g.writeStringField("name", name(e));
            g.writeStringField("cat", e.kind().spelling());
            g.writeStringField("ph", e instanceof TraceEvent.Instruction ? "X" : "i");
            g.writeNumberField("ts", e.retired());
            if (e instanceof TraceEvent.Instruction) {
                g.writeNumberField("dur", 1);
            } else {
                g.writeStringField("s", "t");  // an instant on its own track
            }
            g.writeNumberField("pid", PID);
            g.writeNumberField("tid", tid(e.kind()));
            g.writeObjectFieldStart("args");
            args(e);
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException("writing the Chrome trace failed: " + ex.getMessage(), ex);
        }
    }

    private static String name(TraceEvent e) {
        if (e instanceof TraceEvent.Instruction i) {
            return i.text();
        }
        if (e instanceof TraceEvent.MemoryAccess m) {
            return String.format("%s %08X", m.write() ? "write" : "read", m.linear());
        }
        if (e instanceof TraceEvent.PortIo p) {
            return String.format("%s %04X", p.out() ? "out" : "in", p.port());
        }
        if (e instanceof TraceEvent.Interrupt x) {
            return Vectors.name(x.vector());
        }
        if (e instanceof TraceEvent.VmExit x) {
            return "vm exit: " + x.reason();
        }
        return "console " + ((TraceEvent.ConsoleOutput) e).device();
    }

    private void args(TraceEvent e) throws IOException {
        if (e instanceof TraceEvent.Instruction i) {
            g.writeStringField("address", String.format("%04X:%08X", i.cs(), i.eip()));
            g.writeStringField("linear", String.format("%08X", i.linear()));
            g.writeStringField("bytes", HEX.formatHex(i.bytes()));
            for (RegisterChange c : i.changes()) {
                g.writeStringField(c.register().name(), c.toString().substring(c.register().name().length() + 1));
            }
        } else if (e instanceof TraceEvent.MemoryAccess m) {
            g.writeStringField("physical", String.format("%08X", m.physical()));
            g.writeNumberField("size", m.size());
            g.writeStringField("value", String.format("%X", m.value()));
        } else if (e instanceof TraceEvent.PortIo p) {
            g.writeNumberField("size", p.size());
            g.writeStringField("value", String.format("%X", p.value()));
        } else if (e instanceof TraceEvent.Interrupt x) {
            g.writeStringField("event", new ExceptionEvent(x.vector(), x.errorCode(), x.eip(), x.source()).toString());
        } else if (e instanceof TraceEvent.ConsoleOutput c) {
            g.writeStringField("text", c.text());
        } else if (e instanceof TraceEvent.VmExit x) {
            g.writeStringField("address", String.format("%04X:%08X", x.cs(), x.eip()));
            g.writeStringField("instruction", x.instruction());
            g.writeStringField("action", x.action());
            g.writeNumberField("hostNanos", x.nanos());
        }
    }

    @Override
    public void close() {
        try {
            g.writeEndArray();
            g.writeEndObject();
            g.close();
        } catch (IOException e) {
            throw new UncheckedIOException("finishing the Chrome trace failed: " + e.getMessage(), e);
        }
    }
}
