package dev.vwb.machine.difftest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vwb.machine.difftest.DiffCase.Mode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Checks the case generator on its own, with Unicorn as the judge: generated code must run without
 * touching unmapped memory or memory outside its blocks, must reach its end or stop on an intended
 * exception, and 20,000 cases must cover every required opcode in both modes.
 */
class CaseGeneratorTest {

    private static final int CASES = 20_000;

    @Test
    void casesRunCleanlyInUnicornAndCoverEveryOpcode() {
        Optional<String> unavailable = UnicornEngine.unavailableReason();
        assumeTrue(unavailable.isEmpty(), () -> "generator check skipped: " + unavailable.orElse(""));

        DiffCampaign.Summary s;
        try (Engine unicorn = new UnicornEngine(true)) {
            s = DiffCampaign.run(new CaseGenerator(UnicornDifferentialTest.DEFAULT_SEED), 0, CASES, unicorn, null, 10);
        }
        System.out.printf("generator: %d cases through Unicorn in %.1f s (%.0f cases/s, generation included)%n",
                s.cases, s.seconds, s.casesPerSecond());
        System.out.println("generator: opcodes covered: " + s.coverageLine());
        System.out.println("generator: exceptions seen: " + s.vectors);

        assertEquals(0, s.referenceErrors, () -> "Unicorn could not run some generated cases:\n"
                + String.join("\n", s.reports));
        assertEquals(0, s.unexpectedVectorCount, () -> "cases stopped on exceptions the generator did not intend:\n"
                + String.join("\n", s.unexpectedVectors));
        assertTrue(s.coverageComplete(), s::coverageLine);
    }

    @Test
    void generationIsDeterministic() {
        CaseGenerator a = new CaseGenerator(7);
        CaseGenerator b = new CaseGenerator(7);
        CaseGenerator other = new CaseGenerator(8);
        int same = 0;
        for (long id = 0; id < 300; id++) {
            DiffCase x = a.generate(id);
            DiffCase y = b.generate(id);
            assertArrayEquals(x.code(), y.code());
            assertArrayEquals(x.gprs(), y.gprs());
            assertEquals(x.opcodes(), y.opcodes());
            assertArrayEquals(x.memory().get(0).bytes(), y.memory().get(0).bytes());
            if (java.util.Arrays.equals(x.code(), other.generate(id).code())) {
                same++;
            }
        }
        assertTrue(same < 10, "different seeds should give different code");
    }

    @Test
    void casesAreWellFormed() {
        CaseGenerator g = new CaseGenerator(11);
        for (long id = 0; id < 2000; id++) {
            DiffCase c = g.generate(id);
            assertEquals(id % 2 == 0 ? Mode.REAL16 : Mode.FLAT32, c.mode());
            assertEquals(c.startEip() + c.code().length, c.endEip());
            assertEquals(Layout.CODE, c.codeLinear());
            assertTrue((c.eflags() & (Flags.TF | Flags.RF | Flags.VM | Flags.ID)) == 0);
            assertTrue((c.eflags() & Flags.BIT1) != 0);
            assertFalse(c.opcodes().isEmpty());
            int sp = c.mode() == Mode.REAL16 ? c.gprs()[4] & 0xFFFF : c.gprs()[4];
            int stack = (c.mode() == Mode.REAL16 ? c.selectors()[DiffCase.SS] << 4 : 0) + sp;
            assertTrue(stack >= Layout.STACK && stack < Layout.STACK_END, "ESP must point into the stack block");
        }
    }

    /** ndisasm must decode generated code without "db" (undecodable) lines: catches encoding slips. */
    @Test
    void ndisasmDecodesGeneratedCode() {
        assumeTrue(Disassembler.available(), "ndisasm not installed");
        CaseGenerator g = new CaseGenerator(13);
        List<String> bad = new ArrayList<>();
        for (long id = 0; id < 300 && bad.size() < 5; id++) {
            DiffCase c = g.generate(id);
            // ndisasm does not know the aliases 82 (= 80) and shift /6 (SAL = SHL)
            if (c.opcodes().stream().anyMatch(k -> k.startsWith("82/") || k.matches("(C0|C1|D0|D1|D2|D3)/6"))) {
                continue;
            }
            String listing = Disassembler.ndisasm(c.code(), c.mode() == Mode.REAL16 ? 16 : 32, c.startEip());
            if (listing != null && listing.contains(" db ")) {
                bad.add("case " + c.id() + " " + c.mode() + " " + c.opcodes() + "\n" + listing);
            }
        }
        assertTrue(bad.isEmpty(), () -> String.join("\n", bad));
    }
}
