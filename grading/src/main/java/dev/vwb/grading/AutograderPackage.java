package dev.vwb.grading;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A Gradescope autograder for one exercise (gradescope-autograders.readthedocs.io, "Autograder
 * Specifications"): a zip with {@code setup.sh} (installs a JDK from the distribution's packages;
 * bubblewrap too, used if the image allows it) and {@code run_autograder} at its root, the jars
 * the grader and its test JVM need in {@code lib/}, and the exercise's kit in {@code exercise/}
 * (skeleton and hidden tests: never the solution). Gradescope unpacks it into
 * {@code /autograder/source}; {@code run_autograder} grades {@code /autograder/submission} into
 * {@code /autograder/results/results.json}. {@code AUTOGRADER_ROOT} moves {@code /autograder}
 * (for testing the bundle off the service).
 */
public final class AutograderPackage {
    static final String SETUP = """
            #!/usr/bin/env bash
            # Gradescope runs this once, as root, when it builds the autograder's image.
            set -euo pipefail
            export DEBIAN_FRONTEND=noninteractive
            apt-get update -qq
            apt-get install -y -qq --no-install-recommends openjdk-17-jdk-headless
            # Adds a read-only file system and no network around the tests where the image allows
            # user namespaces; the grader checks that it works and does without it otherwise.
            apt-get install -y -qq --no-install-recommends bubblewrap || true
            """;

    static final String RUN = """
            #!/usr/bin/env bash
            # Gradescope runs this for each submission: grades /autograder/submission into
            # /autograder/results (results.json, with junit.xml and report.md beside it).
            set -euo pipefail
            ROOT="${AUTOGRADER_ROOT:-/autograder}"
            mkdir -p "$ROOT/results"
            exec java -Xmx512m -cp "$ROOT/source/lib/*" dev.vwb.grading.cli.Main \\
                --exercise-dir "$ROOT/source/exercise" "$ROOT/submission" --out "$ROOT/results" %s
            """;

    private AutograderPackage() {
    }

    /** Writes the autograder of {@code kit} to {@code zip}; {@code gradeOptions} are extra options of the grade command (limits). */
    public static void write(GradingKit kit, Path zip, List<String> gradeOptions) throws IOException {
        Path staging = Files.createTempDirectory("vwb-package-");
        try {
            ExerciseFolder.write(kit, staging.resolve("exercise"));
            try (OutputStream file = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(file)) {
                text(out, "setup.sh", SETUP);
                text(out, "run_autograder", RUN.formatted(String.join(" ", gradeOptions)));
                Set<String> names = new HashSet<>();
                for (Path entry : SandboxClasspath.entries()) {
                    String name = jarName(entry, names);
                    if (Files.isDirectory(entry)) {
                        out.putNextEntry(new ZipEntry("lib/" + name));
                        out.write(jarOf(entry));
                    } else {
                        out.putNextEntry(new ZipEntry("lib/" + name));
                        Files.copy(entry, out);
                    }
                    out.closeEntry();
                }
                try (Stream<Path> walk = Files.walk(staging.resolve("exercise"))) {
                    for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
                        out.putNextEntry(new ZipEntry(staging.relativize(f).toString().replace('\\', '/')));
                        Files.copy(f, out);
                        out.closeEntry();
                    }
                }
            }
        } finally {
            try (Stream<Path> walk = Files.walk(staging)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void text(ZipOutputStream out, String name, String text) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setLastModifiedTime(FileTime.fromMillis(System.currentTimeMillis()));
        out.putNextEntry(e);
        out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        out.closeEntry();
    }

    /** A jar's own name; a classes folder (a build tree, as in tests) named after its module. */
    private static String jarName(Path entry, Set<String> taken) {
        String name = Files.isDirectory(entry)
                ? (entry.getParent() != null && entry.getParent().getParent() != null
                        ? entry.getParent().getParent().getFileName() + "-classes.jar" : "classes.jar")
                : entry.getFileName().toString();
        String unique = name;
        for (int i = 2; !taken.add(unique); i++) {
            unique = i + "-" + name;
        }
        return unique;
    }

    /** A folder of classes as jar bytes. */
    private static byte[] jarOf(Path dir) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (ZipOutputStream jar = new ZipOutputStream(bytes); Stream<Path> walk = Files.walk(dir)) {
            List<Path> files = new ArrayList<>(walk.filter(Files::isRegularFile).sorted().toList());
            for (Path f : files) {
                jar.putNextEntry(new ZipEntry(dir.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, jar);
                jar.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
