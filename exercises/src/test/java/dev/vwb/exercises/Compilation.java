package dev.vwb.exercises;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/** Java sources compiled (javac, in this JVM) against this test's class path: the workbench's jars and JUnit. */
record Compilation(boolean ok, String diagnostics, Path classes) {

    /**
     * This JVM's class path without this module's own classes: what the grader compiles against
     * (the workbench's jars and JUnit), so that a test that used the exercises module would fail here too.
     */
    static String gradingClassPath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(p -> !Path.of(p).toAbsolutePath().normalize().toString().matches(".*[/\\\\]exercises[/\\\\]target[/\\\\].*"))
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    /**
     * Writes {@code sources} (path below the source root to text; a later set replaces a file of
     * an earlier one) under {@code dir}/src and compiles them into {@code dir}/classes.
     */
    @SafeVarargs
    static Compilation of(Path dir, Map<String, String>... sources) {
        Map<String, String> all = new LinkedHashMap<>();
        for (Map<String, String> set : sources) {
            all.putAll(set);
        }
        try {
            Path src = dir.resolve("src");
            Path classes = dir.resolve("classes");
            Files.createDirectories(classes);
            List<Path> files = new ArrayList<>();
            for (Map.Entry<String, String> file : all.entrySet()) {
                Path p = src.resolve(file.getKey());
                Files.createDirectories(p.getParent());
                Files.writeString(p, file.getValue());
                files.add(p);
            }
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            StringWriter out = new StringWriter();
            try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, null)) {
                List<String> options = List.of("-d", classes.toString(), "-cp", gradingClassPath(),
                        "-proc:none", "-encoding", "UTF-8", "-Xlint:none");
                boolean ok = javac.getTask(out, fm, null, options, null, fm.getJavaFileObjectsFromPaths(files)).call();
                return new Compilation(ok, out.toString(), classes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
