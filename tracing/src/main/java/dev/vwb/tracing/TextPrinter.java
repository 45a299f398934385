package dev.vwb.tracing;

import dev.vwb.machine.cpu.ExceptionEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.HexFormat;
import java.util.stream.Collectors;

/**
 * A sink that prints one readable line per event, and the formatting every event's
 * {@code toString} uses:
 * <pre>
 * #41      0008:00100013  B8 05 00 00 00        mov eax,0x5                EAX=00000003→00000005
 * #42      write [00102000] phys 00102000  dword 00000005
 * #43      out   port 03F8  byte 41
 * #44      #GP error=0000 at EIP=00100020 (exception)
 * #45      console COM1 "A"
 * </pre>
 */
public final class TextPrinter implements TraceSink {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ").withUpperCase();
    private final Writer out;

    /** Prints to {@code out}; {@link #close()} flushes it but leaves it open (it may be stdout). */
    public TextPrinter(Writer out) {
        this.out = out;
    }

    @Override
    public void accept(TraceEvent event) {
        try {
            out.write(format(event));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code events}, one a line in {@link #format}'s words, each line after {@code indent}. */
    public static String lines(java.util.List<? extends TraceEvent> events, String indent) {
        StringBuilder sb = new StringBuilder();
        for (TraceEvent e : events) {
            sb.append(indent).append(format(e)).append('\n');
        }
        return sb.toString();
    }

    /** One line, without a line break. */
    public static String format(TraceEvent event) {
        String stamp = String.format("#%-7d ", event.retired());
        if (event instanceof TraceEvent.Instruction i) {
            String changes = i.changes().stream().map(RegisterChange::toString).collect(Collectors.joining(" "));
            return stamp + String.format("%04X:%08X  %-21s %-26s %s", i.cs(), i.eip(), HEX.formatHex(i.bytes()),
                    i.text(), changes).stripTrailing();
        }
        if (event instanceof TraceEvent.MemoryAccess m) {
            return stamp + String.format("%-5s [%08X] phys %08X  %s %0" + 2 * m.size() + "X",
                    m.write() ? "write" : "read", m.linear(), m.physical(), sizeName(m.size()), m.value());
        }
        if (event instanceof TraceEvent.PortIo p) {
            return stamp + String.format("%-5s port %04X  %s %0" + 2 * p.size() + "X",
                    p.out() ? "out" : "in", p.port(), sizeName(p.size()), p.value());
        }
        if (event instanceof TraceEvent.Interrupt x) {
            return stamp + new ExceptionEvent(x.vector(), x.errorCode(), x.eip(), x.source());
        }
        if (event instanceof TraceEvent.VmExit x) {
            return stamp + String.format("vm exit   %04X:%08X  %-22s %-26s %s (%.1f us)", x.cs(), x.eip(), x.reason(),
                    x.instruction(), x.action(), x.nanos() / 1000.0);
        }
        TraceEvent.ConsoleOutput c = (TraceEvent.ConsoleOutput) event;
        return stamp + "console " + c.device() + " " + quote(c.text());
    }

    static String sizeName(int size) {
        return switch (size) {
            case 1 -> "byte";
            case 2 -> "word";
            default -> "dword";
        };
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (ch < 0x20 || ch >= 0x7F) {
                        b.append(String.format("\\x%02X", (int) ch));
                    } else {
                        b.append(ch);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
