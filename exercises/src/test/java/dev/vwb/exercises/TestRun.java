package dev.vwb.exercises;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestTag;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** The test classes among some sources run with the JUnit Platform Launcher: each test's outcome and points. */
record TestRun(List<Result> results) {

    /** One test method: its display name, its points ({@code @Tag("points=N")}, 0 without one), and why it failed (null: passed). */
    record Result(String name, int points, String failure) {
        boolean passed() {
            return failure == null;
        }
    }

    /** Runs the classes named {@code testClasses} (binary names), compiled into {@code classes}. */
    static TestRun of(Path classes, List<String> testClasses) {
        List<Result> results = new ArrayList<>();
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, TestRun.class.getClassLoader())) {
            Thread.currentThread().setContextClassLoader(loader);
            LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request();
            for (String name : testClasses) {
                request.selectors(selectClass(loader.loadClass(name)));
            }
            LauncherDiscoveryRequest built = request.build();
            Launcher launcher = LauncherFactory.create();
            launcher.execute(built, new TestExecutionListener() {
                @Override
                public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                    if (!id.isTest()) {
                        if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                            results.add(new Result(id.getDisplayName(), 0, describe(result)));  // a class that could not run
                        }
                        return;
                    }
                    results.add(new Result(id.getDisplayName(), points(id), result.getStatus() == TestExecutionResult.Status.SUCCESSFUL
                            ? null : describe(result)));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("a test class was not compiled: " + e.getMessage(), e);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        return new TestRun(List.copyOf(results));
    }

    private static String describe(TestExecutionResult result) {
        Optional<Throwable> t = result.getThrowable();
        return result.getStatus() + t.map(e -> ": " + e).orElse("");
    }

    private static int points(TestIdentifier id) {
        for (TestTag tag : id.getTags()) {
            if (tag.getName().startsWith("points=")) {
                return Integer.parseInt(tag.getName().substring("points=".length()));
            }
        }
        return 0;
    }

    int total() {
        return results.stream().mapToInt(Result::points).sum();
    }

    int scored() {
        return results.stream().filter(Result::passed).mapToInt(Result::points).sum();
    }

    List<Result> failures() {
        return results.stream().filter(r -> !r.passed()).toList();
    }

    List<Result> passes() {
        return results.stream().filter(Result::passed).toList();
    }
}
