package dev.vwb.machine.difftest;

import dev.vwb.machine.difftest.DiffCase.Mode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Generates cases in batches and runs them through a reference engine (Unicorn) and, optionally, a
 * candidate (vwb), comparing the two. The reference runs on a helper thread (its work happens in the
 * Python process) while this thread runs the candidate and generates the next batch.
 */
final class DiffCampaign {

    static final int BATCH = 1000;

    /** Results of a campaign. */
    static final class Summary {
        long cases;
        long mismatches;
        long referenceErrors;
        final List<String> reports = new ArrayList<>();
        final Map<Mode, TreeSet<String>> covered = new EnumMap<>(Mode.class);
        final Map<String, Long> vectors = new TreeMap<>();
        /** Cases whose exception vector the generator did not intend (see OpcodeCatalog.vectorExpected). */
        final List<String> unexpectedVectors = new ArrayList<>();
        long unexpectedVectorCount;
        double seconds;

        Summary() {
            for (Mode m : Mode.values()) {
                covered.put(m, new TreeSet<>());
            }
        }

        double casesPerSecond() {
            return cases / Math.max(seconds, 1e-9);
        }

        /** "REAL16 342/342, FLAT32 324/324" plus what is missing. */
        String coverageLine() {
            StringBuilder sb = new StringBuilder();
            List<String> missing = new ArrayList<>();
            for (Mode m : Mode.values()) {
                List<String> required = OpcodeCatalog.required(m);
                List<String> miss = OpcodeCatalog.missing(m, covered.get(m));
                sb.append(sb.length() == 0 ? "" : ", ").append(m).append(' ')
                  .append(required.size() - miss.size()).append('/').append(required.size());
                miss.forEach(k -> missing.add(m + ":" + k));
            }
            return sb + (missing.isEmpty() ? " (none missing)" : " missing: " + missing);
        }

        boolean coverageComplete() {
            for (Mode m : Mode.values()) {
                if (!OpcodeCatalog.missing(m, covered.get(m)).isEmpty()) {
                    return false;
                }
            }
            return true;
        }
    }

    private DiffCampaign() {
    }

    /**
     * @param candidate  null to run the reference alone (checks the generator)
     * @param maxReports how many mismatch reports to keep
     */
    static Summary run(CaseSource generator, long firstId, long count, Engine reference, Engine candidate,
                       int maxReports) {
        Summary summary = new Summary();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "difftest-reference");
            t.setDaemon(true);
            return t;
        });
        try {
            long next = firstId;
            long end = firstId + count;
            List<DiffCase> batch = generate(generator, next, Math.min(BATCH, end - next));
            next += batch.size();
            while (!batch.isEmpty()) {
                List<DiffCase> current = batch;
                Future<List<DiffResult>> referenceResults = pool.submit(() -> reference.run(current));
                List<DiffResult> candidateResults = candidate == null ? null : candidate.run(current);
                batch = generate(generator, next, Math.min(BATCH, end - next));
                next += batch.size();
                check(summary, generator.seed(), current, await(referenceResults), reference, candidateResults,
                        candidate, maxReports);
            }
        } finally {
            pool.shutdownNow();
        }
        summary.seconds = (System.nanoTime() - start) / 1e9;
        return summary;
    }

    private static List<DiffCase> generate(CaseSource generator, long from, long n) {
        List<DiffCase> cases = new ArrayList<>((int) n);
        for (long id = from; id < from + n; id++) {
            cases.add(generator.generate(id));
        }
        return cases;
    }

    private static List<DiffResult> await(Future<List<DiffResult>> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("reference engine failed", e.getCause());
        }
    }

    private static void check(Summary s, long seed, List<DiffCase> cases, List<DiffResult> ref, Engine reference,
                              List<DiffResult> cand, Engine candidate, int maxReports) {
        for (int i = 0; i < cases.size(); i++) {
            DiffCase c = cases.get(i);
            DiffResult r = ref.get(i);
            s.cases++;
            s.covered.get(c.mode()).addAll(c.opcodes());
            if (r.engineError() != null) {
                s.referenceErrors++;
            }
            if (r.exceptionVector() != null) {
                int v = r.exceptionVector();
                s.vectors.merge((c.mode() == Mode.PM32 ? "PM32 " : "") + (v < 32 ? DiffComparator.vector(v) : "INT 32..255"),
                        1L, Long::sum);
                if (!OpcodeCatalog.vectorExpected(c, r.exceptionVector())
                        && s.unexpectedVectorCount++ < maxReports) {
                    s.unexpectedVectors.add("case " + c.id() + " (" + c.mode() + "): unexpected "
                            + DiffComparator.vector(r.exceptionVector()) + " at EIP " + Integer.toHexString(r.eip())
                            + "\n" + Disassembler.listing(c));
                }
            }
            if (cand == null) {
                if (r.engineError() != null && s.reports.size() < maxReports) {
                    s.reports.add("case " + c.id() + " (" + c.mode() + "): " + r.engineError() + "\n  opcodes: "
                            + c.opcodes() + "\n" + Disassembler.listing(c));
                }
                continue;
            }
            DiffResult v = cand.get(i);
            if (v.caseId() != c.id()) {
                throw new IllegalStateException(candidate.name() + " returned case " + v.caseId() + " for " + c.id());
            }
            List<String> diffs = DiffComparator.differences(c, r, v);
            if (!diffs.isEmpty()) {
                s.mismatches++;
                if (s.reports.size() < maxReports) {
                    s.reports.add(DiffComparator.report(c, seed, reference.name(), r, candidate.name(), v, diffs));
                }
            }
        }
    }
}
