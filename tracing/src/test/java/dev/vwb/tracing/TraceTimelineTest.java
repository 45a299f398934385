package dev.vwb.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

class TraceTimelineTest {
    /** A NOP at CPL {@code ring}, retired at {@code t}. */
    private static TraceEvent nop(long t, int ring) {
        return new TraceEvent.Instruction(t, 0x08 | ring, 0x1000, 0x1000, 0x1000, new byte[] {(byte) 0x90}, true, List.of());
    }

    private static List<TraceEvent> kernelThenUser() {
        List<TraceEvent> events = new ArrayList<>();
        for (long t = 0; t < 64; t++) {
            events.add(nop(t, t < 32 ? 0 : 3));
        }
        events.add(new TraceEvent.Interrupt(40, 0x20, -1, 0x1000, dev.vwb.machine.cpu.ExceptionEvent.Kind.EXTERNAL));
        events.add(new TraceEvent.PortIo(10, 0x3F8, 1, 'A', true));
        events.add(new TraceEvent.VmExit(5, "privileged instruction", 9, 0x1000, "cli", "IF=0", 100));
        events.add(new TraceEvent.VmExit(50, "port I/O", 9, 0x1000, "out dx, al", "COM1", 100));
        events.add(new TraceEvent.VmExit(51, "patched instruction", 9, 0x1000, "popf", "", 100));
        return events;
    }

    @Test
    void textLanesShowTheRingOfEachColumnAndWhereEventsHappened() {
        String text = TraceTimeline.of(kernelThenUser()).toString();
        String[] lines = text.split("\n");
        assertTrue(lines[0].contains("69 events") && lines[0].contains("0 to 63"), lines[0]);
        assertEquals("ring        |" + "0".repeat(32) + "3".repeat(32) + "|", lines[1]);
        String interrupts = lines[2];
        assertTrue(interrupts.startsWith("interrupts  |"), interrupts);
        assertEquals(40, interrupts.indexOf('|', 13) - 13, "the interrupt sits in column 40: " + interrupts);
        assertTrue(lines[3].startsWith("port I/O    |") && lines[3].charAt(13 + 10) == '|', lines[3]);
        // Two reasons starting with P: the second gets the next free letter.
        String exits = lines[4];
        assertEquals('P', exits.charAt(13 + 5));
        assertEquals('A', exits.charAt(13 + 50), exits);
        assertEquals('B', exits.charAt(13 + 51), exits);
        assertTrue(lines[5].contains("P privileged instruction") && lines[5].contains("A port I/O")
                && lines[5].contains("B patched instruction"), lines[5]);
    }

    @Test
    void lanesWithoutEventsAreLeftOut() {
        String text = TraceTimeline.of(List.of(nop(0, 0), nop(1, 0))).toString();
        assertEquals(2, text.split("\n").length, text);
        assertEquals("trace timeline: no events\n", TraceTimeline.of(List.of()).toString());
    }

    @Test
    void manyEventsShareColumnsAndKeepTheTextNarrow() {
        List<TraceEvent> events = new ArrayList<>();
        for (long t = 0; t < 1_000_000; t += 7) {
            events.add(nop(t, 1));
        }
        String ring = TraceTimeline.of(events).toString().split("\n")[1];
        assertEquals("ring        |" + "1".repeat(TraceTimeline.TEXT_COLUMNS) + "|", ring);
    }

    @Test
    void svgIsWellFormedWithOneRectPerOccupiedColumnAndATooltipEach() throws Exception {
        String svg = TraceTimeline.of(kernelThenUser()).toHtml();
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", doc.getDocumentElement().getTagName());
        NodeList titles = doc.getElementsByTagName("title");
        // 64 ring columns + 1 interrupt + 1 port + 3 exits, each with its tooltip.
        assertEquals(69, titles.getLength());
        assertTrue(svg.contains("exit: patched instruction") && svg.contains("ring 3"), svg);
        assertTrue(svg.contains("out dx, al"), "a tooltip names the exit's instruction");
    }
}
