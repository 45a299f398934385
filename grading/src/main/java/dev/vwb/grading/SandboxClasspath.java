package dev.vwb.grading;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipFile;

/**
 * The libraries the test JVM gets: an allow-list, one class from each, found where this JVM
 * loaded it. Never the grader's whole class path: that holds the exercises module, and with it
 * every reference solution. {@link #entries} refuses to hand out an entry that holds one.
 */
final class SandboxClasspath {
    private static final List<String> ANCHORS = List.of(
            "dev.vwb.grading.runner.SandboxRunner",            // this module: the runner (and nothing of the exercises)
            "dev.vwb.machine.Machine", "dev.vwb.tracing.Tracer", "dev.vwb.workbench.Vm",
            "org.objectweb.asm.ClassWriter",                    // the machine's translated blocks
            "com.fasterxml.jackson.databind.ObjectMapper", "com.fasterxml.jackson.core.JsonFactory",
            "com.fasterxml.jackson.annotation.JsonProperty",
            "org.junit.platform.launcher.Launcher", "org.junit.platform.engine.TestEngine",
            "org.junit.platform.commons.util.ReflectionUtils", "org.junit.jupiter.api.Test",
            "org.junit.jupiter.engine.JupiterTestEngine", "org.junit.jupiter.params.ParameterizedTest",
            "org.opentest4j.AssertionFailedError", "org.apiguardian.api.API");
    /** A resource only the exercises module has. */
    private static final String SOLUTIONS_MARK = "dev/vwb/exercises/index.list";

    private static volatile List<Path> entries;

    private SandboxClasspath() {
    }

    /** The entries, in a stable order. */
    static List<Path> entries() {
        List<Path> e = entries;
        if (e == null) {
            Set<Path> found = new LinkedHashSet<>();
            for (String anchor : ANCHORS) {
                found.add(locationOf(anchor));
            }
            for (Path p : found) {
                if (holdsSolutions(p)) {
                    throw new IllegalStateException("the sandbox class path would hold the exercises' solutions: " + p);
                }
            }
            e = entries = List.copyOf(new ArrayList<>(found));
        }
        return e;
    }

    private static Path locationOf(String className) {
        try {
            Class<?> c = Class.forName(className, false, SandboxClasspath.class.getClassLoader());
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
        } catch (ClassNotFoundException | URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("the grader cannot find the library of " + className + " on its class path", e);
        }
    }

    private static boolean holdsSolutions(Path entry) {
        if (Files.isDirectory(entry)) {
            return Files.exists(entry.resolve(SOLUTIONS_MARK));
        }
        try (ZipFile zip = new ZipFile(entry.toFile())) {
            return zip.getEntry(SOLUTIONS_MARK) != null;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
