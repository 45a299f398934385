package dev.vwb.machine.difftest;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Differential test of vwb's CPU against Unicorn (QEMU's x86 CPU): random valid instruction sequences
 * in REAL16 and FLAT32 must leave both in the same state.
 *
 * <p>System properties: {@code vwb.diff.cases} (default 20000), {@code vwb.diff.seed} (default
 * {@value #DEFAULT_SEED}), {@code vwb.diff.first} (first case id, default 0; with cases=1 it reruns one
 * case from a report), {@code vwb.diff.candidate} ({@code vwb}, the default, or {@code unicorn}: a second
 * Unicorn running every batch in shuffled order, a self-check of the harness). The long campaign is
 * scripts/difftest-campaign. Known Unicorn bugs and liberties are listed in
 * src/test/resources/difftest/UNICORN-DIFFERENCES.md.
 */
class UnicornDifferentialTest {

    static final long DEFAULT_SEED = 486;
    private static final int SHOWN_REPORTS = 20;

    @Test
    void vwbAgreesWithUnicorn() {
        Optional<String> unavailable = UnicornEngine.unavailableReason();
        assumeTrue(unavailable.isEmpty(), () -> "Unicorn differential test skipped: " + unavailable.orElse(""));

        long cases = Long.getLong("vwb.diff.cases", 20_000);
        long seed = Long.getLong("vwb.diff.seed", DEFAULT_SEED);
        long first = Long.getLong("vwb.diff.first", 0);
        DiffCampaign.Summary s;
        String candidateName = System.getProperty("vwb.diff.candidate", "vwb");
        try (Engine unicorn = new UnicornEngine();
             Engine candidate = "unicorn".equals(candidateName) ? new ShuffledEngine(new UnicornEngine()) : new VwbEngine()) {
            s = DiffCampaign.run(new CaseGenerator(seed), first, cases, unicorn, candidate, SHOWN_REPORTS);
        }

        System.out.printf("difftest: sequences run: %d (seed %d, ids %d..%d) in %.1f s, %.0f cases/s%n",
                s.cases, seed, first, first + cases - 1, s.seconds, s.casesPerSecond());
        System.out.println("difftest: opcodes covered: " + s.coverageLine());
        System.out.println("difftest: mismatches: " + s.mismatches
                + (s.referenceErrors > 0 ? " (" + s.referenceErrors + " of them Unicorn errors)" : ""));
        System.out.println("difftest: exceptions seen: " + s.vectors);
        s.reports.forEach(System.out::println);
        if (s.mismatches > 0) {
            fail(s.mismatches + " of " + s.cases + " cases differ between " + candidateName + " and Unicorn; first reports:\n"
                    + String.join("\n", s.reports.subList(0, Math.min(5, s.reports.size()))));
        }
    }

    /**
     * The protected-mode family (SystemCaseGenerator): faults from segment loads, far transfers,
     * segment limits, privileged instructions, #DE/#UD/#BR and paging, at CPL 0 and 3. Property
     * {@code vwb.diff.pmCases} (default 5000); seed and first id as above.
     */
    @Test
    void vwbAgreesWithUnicornInProtectedMode() {
        Optional<String> unavailable = UnicornEngine.unavailableReason();
        assumeTrue(unavailable.isEmpty(), () -> "Unicorn differential test skipped: " + unavailable.orElse(""));

        long cases = Long.getLong("vwb.diff.pmCases", 5_000);
        long seed = Long.getLong("vwb.diff.seed", DEFAULT_SEED);
        long first = Long.getLong("vwb.diff.first", 0);
        DiffCampaign.Summary s;
        try (Engine unicorn = new UnicornEngine(); Engine vwb = new VwbEngine()) {
            s = DiffCampaign.run(new SystemCaseGenerator(seed), first, cases, unicorn, vwb, SHOWN_REPORTS);
        }
        System.out.printf("difftest-pm: cases run: %d (seed %d, ids %d..%d) in %.1f s, %.0f cases/s%n",
                s.cases, seed, first, first + cases - 1, s.seconds, s.casesPerSecond());
        System.out.printf("difftest-pm: mismatches: %d (agreement %.3f%%)%s%n", s.mismatches,
                100.0 * (s.cases - s.mismatches) / Math.max(1, s.cases),
                s.referenceErrors > 0 ? " (" + s.referenceErrors + " of them Unicorn errors)" : "");
        System.out.println("difftest-pm: exceptions seen: " + s.vectors);
        s.reports.forEach(System.out::println);
        if (s.mismatches > 0) {
            fail(s.mismatches + " of " + s.cases + " protected-mode cases differ between vwb and Unicorn; first reports:\n"
                    + String.join("\n", s.reports.subList(0, Math.min(5, s.reports.size()))));
        }
    }

    /**
     * Runs each batch in a shuffled order on another engine: against the reference it must agree, which
     * shows no state leaks from one case into the next (this caught Unicorn's "exception in flight").
     */
    static final class ShuffledEngine implements Engine {
        private final Engine inner;
        private final Random random = new Random(1);

        ShuffledEngine(Engine inner) {
            this.inner = inner;
        }

        @Override
        public List<DiffResult> run(List<DiffCase> batch) {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                order.add(i);
            }
            Collections.shuffle(order, random);
            List<DiffResult> shuffled = inner.run(order.stream().map(batch::get).toList());
            DiffResult[] results = new DiffResult[batch.size()];
            for (int k = 0; k < order.size(); k++) {
                results[order.get(k)] = shuffled.get(k);
            }
            return Arrays.asList(results);
        }

        @Override
        public String name() {
            return inner.name() + "-shuffled";
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
