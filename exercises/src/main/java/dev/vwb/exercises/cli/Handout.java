package dev.vwb.exercises.cli;

import dev.vwb.exercises.Exercise;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * A student's project for one exercise: a Maven project that builds and runs the public tests
 * against the workbench's jars, shipped inside it (under {@code lib/}, system-scoped: Maven 3.8
 * refuses a file repository inside the project when offline, and students may be offline), with
 * only JUnit and Maven's plugins from Maven Central (or the local cache). It holds the skeleton
 * and the public tests, never the graded tests or the solution.
 */
final class Handout {
    /** The JUnit the public tests are written for (the workbench's own, junit-bom in the parent pom). */
    static final String JUNIT = "5.10.2";

    private Handout() {
    }

    /**
     * The jars of the workbench this JVM runs on, and of the libraries they use: the class path's
     * entries but for this module (it holds the solutions), JUnit and Maven's test runner; a
     * module's classes folder (a build in progress) is packed into a jar named after the module.
     */
    static List<Path> workbenchJars() throws IOException {
        List<Path> jars = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            String name = p.getFileName() == null ? "" : p.getFileName().toString();
            if (entry.isEmpty() || !Files.exists(p) || excluded(name)) {
                continue;
            }
            if (Files.isDirectory(p)) {
                if (name.equals("classes") && Files.isDirectory(p.resolve("dev/vwb")) && !Files.exists(p.resolve(INDEX))) {
                    jars.add(packed(p, p.getParent().getParent().getFileName() + ".jar"));
                }
            } else if (name.endsWith(".jar") && !holdsExercises(p)) {
                jars.add(p);
            }
        }
        if (jars.stream().noneMatch(j -> j.getFileName().toString().startsWith("workbench-core"))) {
            throw new IllegalStateException("the workbench's jars are not on this class path (run through ./vwb exercise)");
        }
        return jars;
    }

    private static final String INDEX = "dev/vwb/exercises/index.list";

    private static boolean excluded(String name) {
        return Stream.of("junit-", "opentest4j", "apiguardian", "surefire", "common-java5", "common-junit", "maven-", "test-classes")
                .anyMatch(name::startsWith);
    }

    private static boolean holdsExercises(Path jar) throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            return j.getEntry(INDEX) != null;
        }
    }

    /** A classes folder as a jar in a temporary folder. */
    private static Path packed(Path classes, String name) throws IOException {
        Path jar = Files.createTempDirectory("vwb-handout").resolve(name);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
                try (InputStream in = Files.newInputStream(f)) {
                    in.transferTo(j);
                }
                j.closeEntry();
            }
        }
        return jar;
    }

    /**
     * Writes the project for {@code exercise} into {@code dir} (created if missing).
     *
     * @throws IllegalArgumentException if {@code dir} is a file or a folder that is not empty
     */
    static void write(Exercise exercise, Path dir, List<Path> jars) throws IOException {
        if (Files.exists(dir) && (!Files.isDirectory(dir) || !isEmpty(dir))) {
            throw new IllegalArgumentException(dir + " is not an empty folder: give a new or empty one");
        }
        Files.createDirectories(dir.resolve("lib"));
        List<String> libs = new ArrayList<>();
        for (Path jar : jars) {
            String name = jar.getFileName().toString();
            Files.copy(jar, dir.resolve("lib").resolve(name));
            libs.add(name);
        }
        writeSources(dir.resolve("src/main/java"), exercise.sources(Exercise.Part.SKELETON));
        writeSources(dir.resolve("src/test/java"), exercise.sources(Exercise.Part.PUBLIC_TESTS));
        Files.writeString(dir.resolve("pom.xml"), pom(exercise, libs));
        Files.writeString(dir.resolve("README.md"), readme(exercise));
        Files.writeString(dir.resolve(".gitignore"), "target/\n");
        Path script = dir.resolve("vwb");
        Files.writeString(script, resource("handout-vwb.sh"));
        try {
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException e) {
            script.toFile().setExecutable(true);
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private static void writeSources(Path root, Map<String, String> sources) throws IOException {
        for (Map.Entry<String, String> f : sources.entrySet()) {
            Path p = root.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.getValue());
        }
    }

    static String pom(Exercise exercise, List<String> libs) {
        StringBuilder deps = new StringBuilder();
        for (String lib : libs) {
            String id = lib.substring(0, lib.length() - ".jar".length());
            deps.append("    <dependency>\n")
                    .append("      <groupId>dev.vwb.handout</groupId>\n")
                    .append("      <artifactId>").append(id).append("</artifactId>\n")
                    .append("      <version>handout</version>\n")
                    .append("      <scope>system</scope>\n")
                    .append("      <systemPath>${project.basedir}/lib/").append(lib).append("</systemPath>\n")
                    .append("    </dependency>\n");
        }
        return resource("handout-pom.xml").replace("@NAME@", exercise.name()).replace("@TITLE@", exercise.title())
                .replace("@JUNIT@", JUNIT).replace("@LIBS@", deps.toString());
    }

    static String readme(Exercise exercise) {
        StringBuilder files = new StringBuilder();
        exercise.sources(Exercise.Part.SKELETON).keySet().stream().sorted()
                .forEach(f -> files.append("- `src/main/java/").append(f).append("` - yours to complete\n"));
        exercise.sources(Exercise.Part.PUBLIC_TESTS).keySet().stream().sorted()
                .forEach(f -> files.append("- `src/test/java/").append(f).append("` - the public tests\n"));
        return resource("handout-README.md").replace("@NAME@", exercise.name()).replace("@TITLE@", exercise.title())
                .replace("@LESSON@", Integer.toString(exercise.lesson())).replace("@SUMMARY@", exercise.summary())
                .replace("@GUESTS@", String.join(", ", exercise.guests())).replace("@FILES@", files.toString());
    }

    private static String resource(String name) {
        try (InputStream in = Handout.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the exercises module is missing its resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
