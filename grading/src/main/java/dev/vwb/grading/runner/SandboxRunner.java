package dev.vwb.grading.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The sandbox JVM's main class: runs the hidden tests through the JUnit Platform Launcher and
 * writes what happens as JSON lines ({@link ResultLines}), one as each test finishes, so a JVM
 * the grader kills still leaves the tests done so far.
 *
 * <p>Arguments: {@code --results FILE} (the JSON lines), {@code --classes FILE} (the hidden test
 * classes, one a line), {@code --only FILE} (unique ids of the graded tests to run, one a line;
 * all if absent), {@code --list} (discover only: plan lines, nothing run), {@code --test-timeout
 * SECONDS}, {@code --untrusted DIR} (the submission's classes: code from there runs under
 * {@link SandboxPolicy}), {@code --scratch DIR} (the one folder that code may write),
 * {@code --max-threads N}.
 *
 * <p>Exit status: 0 when every selected test ran; {@value #EXIT_RESTART} after a test timed out
 * or ran the heap out (the JVM ends at once, abandoning the test's thread; the grader starts a
 * fresh one for the tests left); 2 for bad arguments.
 */
public final class SandboxRunner {
    /** The exit status asking the grader for a fresh JVM for the tests not run yet. */
    public static final int EXIT_RESTART = 3;

    private SandboxRunner() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> options = parse(args);
        if (options == null) {
            System.err.println("usage: SandboxRunner --results FILE --classes FILE [--only FILE] [--list]"
                    + " [--test-timeout S] [--untrusted DIR --scratch DIR] [--max-threads N]");
            Runtime.getRuntime().halt(2);
        }
        ResultLines out = new ResultLines(Path.of(options.get("--results")));
        List<String> classes = lines(options.get("--classes"));
        LauncherDiscoveryRequest request = request(classes, options.get("--only"),
                options.getOrDefault("--test-timeout", "10"));
        Launcher launcher = LauncherFactory.create();
        TestPlan plan = launcher.discover(request);
        GradingListener listener = new GradingListener(out, plan);
        listener.writePlan();
        if (options.containsKey("--list")) {
            out.done();
            Runtime.getRuntime().halt(0);
        }
        if (options.containsKey("--untrusted")) {
            SandboxPolicy.install(Path.of(options.get("--untrusted")), Path.of(options.get("--scratch")),
                    Integer.parseInt(options.getOrDefault("--max-threads", "32")));
        }
        try {
            launcher.execute(plan, listener);
        } catch (Throwable t) {
            // JUnit rethrows what it deems unrecoverable (OutOfMemoryError): the test in progress gets it.
            listener.abandon(t);
            Runtime.getRuntime().halt(EXIT_RESTART);
        }
        listener.finishUnreported();
        out.done();
        // halt, not exit: threads a submission left running must not keep the JVM alive or run shutdown hooks.
        Runtime.getRuntime().halt(0);
    }

    private static LauncherDiscoveryRequest request(List<String> classes, String onlyFile, String timeoutSeconds)
            throws IOException {
        List<DiscoverySelector> selectors = new ArrayList<>();
        if (onlyFile != null) {
            for (String id : lines(onlyFile)) {
                selectors.add(DiscoverySelectors.selectUniqueId(id));
            }
        } else {
            for (String c : classes) {
                selectors.add(DiscoverySelectors.selectClass(c));
            }
        }
        return LauncherDiscoveryRequestBuilder.request()
                .selectors(selectors)
                // Only the hidden tests' own configuration counts, not a junit-platform.properties a submission ships.
                .enableImplicitConfigurationParameters(false)
                .configurationParameter("junit.jupiter.execution.timeout.default", timeoutSeconds + " s")
                .configurationParameter("junit.jupiter.execution.timeout.mode", "enabled")
                // A spinning test is abandoned in its own thread; the runner then ends the JVM (GradingListener).
                .configurationParameter("junit.jupiter.execution.timeout.thread.mode.default", "SEPARATE_THREAD")
                .configurationParameter("junit.platform.output.capture.stdout", "true")
                .configurationParameter("junit.platform.output.capture.stderr", "true")
                .configurationParameter("junit.platform.output.capture.maxBuffer", String.valueOf(64 * 1024))
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "false")
                .build();
    }

    /** Options: each {@code --name value}, {@code --list} alone; null when something required is missing. */
    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--list")) {
                options.put("--list", "");
            } else if (args[i].startsWith("--") && i + 1 < args.length) {
                options.put(args[i], args[++i]);
            } else {
                return null;
            }
        }
        boolean sandboxed = options.containsKey("--untrusted") == options.containsKey("--scratch");
        return options.containsKey("--results") && options.containsKey("--classes") && sandboxed ? options : null;
    }

    private static List<String> lines(String file) throws IOException {
        return Files.readAllLines(Path.of(file)).stream().map(String::trim).filter(l -> !l.isEmpty()).toList();
    }
}
