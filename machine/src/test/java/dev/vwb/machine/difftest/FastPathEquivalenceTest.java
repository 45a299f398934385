package dev.vwb.machine.difftest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The CPU's specialized fast paths and its translation of blocks to JVM bytecode must behave
 * exactly as the generic interpreter does. The Unicorn test checks the default CPU; this one
 * runs the same generated cases through the generic interpreter and through fast paths with
 * every block translated on first execution, and compares every register, flag and byte, so
 * the generic implementations and the translator stay tested too. Needs no Unicorn.
 */
class FastPathEquivalenceTest {
    private static final long CASES = Long.getLong("vwb.fastpath.cases", 20_000);

    @Test
    void fastPathsAgreeWithTheGenericInterpreter() {
        DiffCampaign.Summary s;
        try (Engine generic = new VwbEngine(false); Engine fast = new VwbEngine(true, 1)) {
            s = DiffCampaign.run(new CaseGenerator(2024), 0, CASES, generic, fast, 10);
        }
        System.out.printf("fast paths + translation vs generic interpreter: %d cases, %d mismatches%n", s.cases, s.mismatches);
        assertEquals(0, s.mismatches, () -> String.join("\n", s.reports));
        assertEquals(CASES, s.cases);
    }
}
