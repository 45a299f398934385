package dev.vwb.workbench.hv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vwb.workbench.guests.KernelGuests;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** The notebook views of the hypervisor are well-formed SVG with the labels a reader looks for. */
class SvgViewsTest {
    private static Document parse(String xml) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theTranslationDiagramShowsTheThreeWalksAndMeetsAtTheHostPage() throws Exception {
        KernelRun hv = KernelRun.of(KernelGuests.image("teachkernel"), Hypervisor.Mode.PATCH);
        Translation t = hv.hypervisor().translate(0x100000);
        Document svg = parse(t.toSvg());
        assertEquals("svg", svg.getDocumentElement().getNodeName());
        String text = svg.getDocumentElement().getTextContent();
        assertTrue(text.contains("guest walk") && text.contains("p2m") && text.contains("shadow walk"), text);
        assertTrue(text.contains("00100000 -> 00900000"), text);
        assertTrue(svg.getElementsByTagName("rect").getLength() >= 9, "four boxes a column and the p2m's");
        assertTrue(t.toHtml().contains("<svg"), t.toHtml());
    }

    @Test
    void theExitChartHasABarPerReason() throws Exception {
        KernelRun hv = KernelRun.of(KernelGuests.image("teachkernel"), Hypervisor.Mode.PATCH);
        ExitLog log = hv.hypervisor().exits();
        Document svg = parse(log.barChart());
        assertEquals(log.stats().size(), svg.getElementsByTagName("rect").getLength());
        String text = svg.getDocumentElement().getTextContent();
        assertTrue(text.contains("port I/O") && text.contains("hidden page fault"), text);
        assertTrue(log.toHtml().startsWith("<table class=\"vwb-exits\">"), log.toHtml());
    }
}
