package dev.vwb.workbench;

import java.util.Map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HtmlRenderingTest {
    @Test
    void escapeCoversTheCharactersThatMatter() {
        assertEquals("&lt;a href=&quot;x&quot;&gt;&amp;&#39;", Html.escape("<a href=\"x\">&'"));
    }

    @Test
    void registersAreATableWithChangedValuesMarked() {
        Vm vm = Workbench.assemble(Guests.COUNTER);
        vm.step(2);
        String html = vm.registers().toHtml();
        assertTrue(html.startsWith("<table class=\"vwb-registers\">"), html);
        assertTrue(html.contains("<tr class=\"changed\" style=\"background:#fff3b0;font-weight:bold\"><td>EAX</td><td class=\"changed\">00000001</td>"), html);
        assertTrue(html.contains("<tr><td>EBX</td><td>00000000</td>"), html);
    }

    @Test
    void hexDumpIsATableWithTheAsciiEscaped() {
        Vm vm = Workbench.assemble(Guests.HELLO);
        vm.physical().write(0x1000, "<b>&".getBytes(StandardCharsets.ISO_8859_1));
        String html = vm.physical().dump(0x1000, 4).toHtml();
        assertTrue(html.contains("<td>3C</td><td>62</td><td>3E</td><td>26</td>"), html);
        assertTrue(html.contains("<td class=\"ascii\">&lt;b&gt;&amp;"), html);
        assertFalse(html.contains("<b>"), html);
    }

    @Test
    void disassemblyHighlightsTheCurrentInstruction() {
        Vm vm = Workbench.assemble(Guests.HELLO);
        vm.step(1);
        String html = vm.disassemble().toHtml();
        assertTrue(html.contains("<tr class=\"current\" style=\"background:#d6eaf8;font-weight:bold\"><td>00007C03</td><td>B048</td><td>mov al,0x48</td></tr>"), html);
        assertTrue(html.contains("&lt;start&gt;:"), html);
    }

    @Test
    void pageWalkIsASmallTable() {
        Vm vm = Workbench.fromAssembly(Guests.PAGING).protectedMode(0x100000).build();
        vm.run();
        String html = vm.walk(0x3000).toHtml();
        assertTrue(html.contains("<td>PDE #0</td><td>00200000</td>"), html);
        assertTrue(html.contains("<td>physical</td><td>00005000</td>"), html);
        assertTrue(vm.walk(0xC00000).toHtml().contains("<td>#PF</td>"));
    }

    @Test
    void everyValueRendersWithoutUnescapedGuestText() {
        Vm vm = Workbench.assemble(Guests.HELLO);
        vm.run();
        for (HtmlRenderable r : new HtmlRenderable[] {vm, vm.step(1), vm.snapshot()}) {
            assertTrue(r.toHtml().startsWith("<"), r.toHtml());
        }
    }


    @Test
    void whereSymbolsAndPageEntriesRenderWithTheirTextEscaped() {
        Where w = new Where(0x10, 0x100, 0x100, "operator<<");
        assertEquals("<code class=\"vwb-where\">0010:00000100 (linear 00000100) &lt;operator&lt;&lt;&gt;</code>", w.toHtml());
        Symbols s = new Symbols(Map.of("a<b>", 0x1000L));
        assertEquals("<table class=\"vwb-symbols\">\n<tr><th>address</th><th>name</th></tr>\n"
                + "<tr><td>00001000</td><td>a&lt;b&gt;</td></tr>\n</table>", s.toHtml());
        assertEquals("<p class=\"vwb-symbols\">(no symbols)</p>", Symbols.NONE.toHtml());
        assertEquals("<code class=\"vwb-page-entry\">00201003 [P RW S]</code>", new PageEntry(0x201003, true).toHtml());
    }
}
