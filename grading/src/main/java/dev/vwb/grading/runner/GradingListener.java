package dev.vwb.grading.runner;

import dev.vwb.workbench.FlightRecorder;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestTag;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Turns JUnit's events into graded results. The graded unit is a test method: a plain
 * {@code @Test}, or a parameterized or repeated method whose invocations must all pass. Its
 * points come from its {@code @Tag("points=N")}; a method without one is worth
 * {@value #DEFAULT_POINTS} point. A failed unit's output is the failure, what it printed, and the
 * {@link FlightRecorder}'s excerpt of the last VM it ran.
 */
final class GradingListener implements TestExecutionListener {
    static final double DEFAULT_POINTS = 1;
    static final String POINTS_TAG = "points=";
    /** What a failure's output shows of the last VM: instructions, then VM exits. */
    private static final int TRACE_INSTRUCTIONS = 24;
    private static final int TRACE_EXITS = 12;
    /** Captured output kept per test, in characters. */
    private static final int OUTPUT_LIMIT = 4_000;

    private final ResultLines out;
    private final TestPlan plan;
    private final Set<String> reported = new LinkedHashSet<>();
    /** Per unit in progress: its first failure (an invocation's or its own). */
    private final Map<String, String> failures = new HashMap<>();
    private final Map<String, StringBuilder> printed = new HashMap<>();
    /** Containers (test classes) that failed: their tests never start, and are reported with this. */
    private final Map<String, String> containerFailures = new HashMap<>();
    private volatile String current;
    private volatile long startedAt;

    GradingListener(ResultLines out, TestPlan plan) {
        this.out = out;
        this.plan = plan;
    }

    /** A plan line for every graded unit the discovery found. */
    void writePlan() {
        for (TestIdentifier root : plan.getRoots()) {
            plan.getDescendants(root).stream().filter(this::isUnit).forEach(u -> out.plan(u.getUniqueId(),
                    u.getDisplayName(), plan.getParent(u).map(TestIdentifier::getDisplayName).orElse(""), points(u)));
        }
    }

    @Override
    public void executionStarted(TestIdentifier id) {
        if (isUnit(id)) {
            FlightRecorder.clear();
            current = id.getUniqueId();
            startedAt = System.nanoTime();
            out.started(current);
        }
    }

    @Override
    public void reportingEntryPublished(TestIdentifier id, ReportEntry entry) {
        unitOf(id).ifPresent(u -> entry.getKeyValuePairs().forEach((key, value) -> {
            if (key.equals("stdout") || key.equals("stderr")) {
                printed.computeIfAbsent(u.getUniqueId(), k -> new StringBuilder()).append(value);
            }
        }));
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        if (isUnit(id)) {
            report(id.getUniqueId(), "failed", "Not run: the test is disabled (" + reason + ").");
        }
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        Optional<TestIdentifier> unit = unitOf(id);
        boolean failed = result.getStatus() != TestExecutionResult.Status.SUCCESSFUL;
        if (unit.isEmpty()) {
            if (failed) {
                containerFailures.put(id.getUniqueId(), Failures.describe(result.getThrowable().orElse(null)));
            }
            return;
        }
        String unitId = unit.get().getUniqueId();
        boolean timedOut = result.getThrowable().filter(TimeoutException.class::isInstance).isPresent();
        if (failed) {
            failures.putIfAbsent(unitId, Failures.describe(result.getThrowable().orElse(null)));
        }
        if (!unitId.equals(id.getUniqueId())) {
            return;
        }
        String failure = failures.remove(unitId);
        StringBuilder output = new StringBuilder();
        if (failure != null) {
            output.append(failure).append('\n');
        }
        StringBuilder text = printed.remove(unitId);
        if (text != null && text.length() > 0) {
            output.append("\nThe test printed:\n").append(Failures.cut(text.toString(), OUTPUT_LIMIT)).append('\n');
        }
        if (failure != null && !timedOut) {
            FlightRecorder.dump(TRACE_INSTRUCTIONS, TRACE_EXITS).ifPresent(t -> output.append("\n").append(t));
        }
        report(unitId, timedOut ? "timeout" : failure == null ? "passed" : "failed", output.toString().strip());
        if (timedOut) {
            // The test's thread spins on; only a fresh JVM gets rid of it.
            Runtime.getRuntime().halt(SandboxRunner.EXIT_RESTART);
        }
    }

    /** After the launcher threw (out of memory): the test in progress failed with it. */
    void abandon(Throwable t) {
        String id = current;
        if (id != null && !reported.contains(id)) {
            report(id, "failed", Failures.describe(t));
        }
    }

    /** Tests never reported (their class failed before them) fail with their class's failure. */
    void finishUnreported() {
        for (TestIdentifier root : plan.getRoots()) {
            for (TestIdentifier u : plan.getDescendants(root)) {
                if (isUnit(u) && !reported.contains(u.getUniqueId())) {
                    String why = plan.getParent(u).map(p -> containerFailures.get(p.getUniqueId())).orElse(null);
                    report(u.getUniqueId(), "failed", why == null ? "Not run." : "Not run: its test class failed first: " + why);
                }
            }
        }
    }

    private void report(String id, String status, String output) {
        if (reported.add(id)) {
            out.finished(id, status, output, id.equals(current) ? (System.nanoTime() - startedAt) / 1e9 : 0);
        }
    }

    /** A test method: a method source whose parent is not one (a parameterized method's invocations are not units). */
    private boolean isUnit(TestIdentifier id) {
        return id.getSource().filter(MethodSource.class::isInstance).isPresent()
                && plan.getParent(id).flatMap(TestIdentifier::getSource).filter(MethodSource.class::isInstance).isEmpty();
    }

    private Optional<TestIdentifier> unitOf(TestIdentifier id) {
        Optional<TestIdentifier> at = Optional.of(id);
        while (at.isPresent() && !isUnit(at.get())) {
            at = plan.getParent(at.get());
        }
        return at;
    }

    static double points(TestIdentifier id) {
        for (TestTag tag : id.getTags()) {
            if (tag.getName().startsWith(POINTS_TAG)) {
                try {
                    return Double.parseDouble(tag.getName().substring(POINTS_TAG.length()));
                } catch (NumberFormatException e) {
                    return DEFAULT_POINTS;
                }
            }
        }
        return DEFAULT_POINTS;
    }
}
