package dev.vwb.tracing;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.vwb.machine.cpu.ExceptionEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON form of each event, one object with a {@code kind} and the record's fields:
 * addresses and values as unsigned numbers, instruction bytes as a hex string, the disassembly
 * as {@code text} (written for readers; ignored when reading back), register changes as
 * {@code {"EAX": [before, after]}}. {@link #read} inverts {@link #write}.
 */
public final class EventJson {
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private EventJson() {
    }

    public static void write(JsonGenerator g, TraceEvent e) throws IOException {
        g.writeStartObject();
        g.writeStringField("kind", e.kind().spelling());
        g.writeNumberField("retired", e.retired());
        if (e instanceof TraceEvent.Instruction i) {
            g.writeNumberField("cs", i.cs());
            g.writeNumberField("eip", unsigned(i.eip()));
            g.writeNumberField("linear", unsigned(i.linear()));
            g.writeNumberField("physical", i.physical() == -1 ? -1 : unsigned(i.physical()));
            g.writeStringField("bytes", HEX.formatHex(i.bytes()));
            g.writeNumberField("bits", i.bits32() ? 32 : 16);
            g.writeStringField("text", i.text());
            g.writeObjectFieldStart("changes");
            for (RegisterChange c : i.changes()) {
                g.writeArrayFieldStart(c.register().name());
                g.writeNumber(unsigned(c.before()));
                g.writeNumber(unsigned(c.after()));
                g.writeEndArray();
            }
            g.writeEndObject();
        } else if (e instanceof TraceEvent.MemoryAccess m) {
            g.writeNumberField("linear", unsigned(m.linear()));
            g.writeNumberField("physical", unsigned(m.physical()));
            g.writeNumberField("size", m.size());
            g.writeNumberField("value", unsigned(m.value()));
            g.writeStringField("access", m.write() ? "write" : "read");
        } else if (e instanceof TraceEvent.PortIo p) {
            g.writeNumberField("port", p.port());
            g.writeNumberField("size", p.size());
            g.writeNumberField("value", unsigned(p.value()));
            g.writeStringField("direction", p.out() ? "out" : "in");
        } else if (e instanceof TraceEvent.Interrupt x) {
            g.writeNumberField("vector", x.vector());
            g.writeNumberField("errorCode", x.errorCode());
            g.writeNumberField("eip", unsigned(x.eip()));
            g.writeStringField("source", x.source().name().toLowerCase(Locale.ROOT));
        } else if (e instanceof TraceEvent.ConsoleOutput c) {
            g.writeStringField("device", c.device().name());
            g.writeStringField("text", c.text());
        } else if (e instanceof TraceEvent.VmExit x) {
            g.writeStringField("reason", x.reason());
            g.writeNumberField("cs", x.cs());
            g.writeNumberField("eip", unsigned(x.eip()));
            g.writeStringField("instruction", x.instruction());
            g.writeStringField("action", x.action());
            g.writeNumberField("nanos", x.nanos());
        }
        g.writeEndObject();
    }

    /** The event a {@link #write} produced; a one-line IllegalArgumentException for anything else. */
    public static TraceEvent read(JsonNode n) {
        try {
            EventKind kind = EventKind.ofSpelling(n.get("kind").asText());
            long retired = n.get("retired").asLong();
            return switch (kind) {
                case INSTRUCTION -> new TraceEvent.Instruction(retired, n.get("cs").asInt(), i32(n, "eip"),
                        i32(n, "linear"), i32(n, "physical"), HEX.parseHex(n.get("bytes").asText()),
                        n.get("bits").asInt() == 32, changes(n.get("changes")));
                case MEMORY -> new TraceEvent.MemoryAccess(retired, i32(n, "linear"), i32(n, "physical"),
                        n.get("size").asInt(), i32(n, "value"), n.get("access").asText().equals("write"));
                case PORT_IO -> new TraceEvent.PortIo(retired, n.get("port").asInt(), n.get("size").asInt(),
                        i32(n, "value"), n.get("direction").asText().equals("out"));
                case EXCEPTION -> new TraceEvent.Interrupt(retired, n.get("vector").asInt(), n.get("errorCode").asInt(),
                        i32(n, "eip"), ExceptionEvent.Kind.valueOf(n.get("source").asText().toUpperCase(Locale.ROOT)));
                case CONSOLE -> new TraceEvent.ConsoleOutput(retired, TraceEvent.Console.valueOf(n.get("device").asText()),
                        n.get("text").asText());
                case VM_EXIT -> new TraceEvent.VmExit(retired, n.get("reason").asText(), n.get("cs").asInt(), i32(n, "eip"),
                        n.get("instruction").asText(), n.get("action").asText(), n.get("nanos").asLong());
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a trace event: " + n + " (" + e.getMessage() + ")");
        }
    }

    private static List<RegisterChange> changes(JsonNode n) {
        List<RegisterChange> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            out.add(new RegisterChange(Register.valueOf(f.getKey()), (int) f.getValue().get(0).asLong(),
                    (int) f.getValue().get(1).asLong()));
        }
        return out;
    }

    private static int i32(JsonNode n, String field) {
        return (int) n.get(field).asLong();
    }

    private static long unsigned(int v) {
        return v & 0xFFFF_FFFFL;
    }
}
