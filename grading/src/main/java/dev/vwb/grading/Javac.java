package dev.vwb.grading;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles sources with the JDK's own compiler, in the grader's JVM (javax.tools): no process to
 * start, and a compile error is text for the student, never a stack trace.
 */
final class Javac {
    /** Compiler messages kept, in characters: a submission with a thousand errors needs its first few. */
    private static final int MESSAGES_LIMIT = 8_000;

    /** Whether it compiled, and javac's messages with paths relative to the source root. */
    record Result(boolean ok, String messages) {
    }

    private Javac() {
    }

    /** Writes {@code sources} below {@code sourceRoot} and compiles them into {@code classes} against {@code classpath}. */
    static Result compile(Map<String, String> sources, Path sourceRoot, Path classes, List<Path> classpath) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("the grader needs a JDK (javax.tools has no compiler in this Java runtime)");
        }
        Files.createDirectories(classes);
        List<Path> files = new ArrayList<>();
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = sourceRoot.resolve(source.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            files.add(file);
        }
        StringWriter out = new StringWriter();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, null)) {
            Iterable<? extends JavaFileObject> units = fm.getJavaFileObjectsFromPaths(files);
            List<String> options = List.of("-d", classes.toString(), "-encoding", "UTF-8", "--release", "17", "-g",
                    "-proc:none", "-nowarn", "-Xmaxerrs", "50",
                    "-cp", classpath.stream().map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator)));
            boolean ok = javac.getTask(out, fm, null, options, null, units).call();
            String messages = out.toString().replace(sourceRoot.toAbsolutePath() + java.io.File.separator, "");
            return new Result(ok, messages.length() > MESSAGES_LIMIT
                    ? messages.substring(0, MESSAGES_LIMIT) + "\n... (more messages cut)" : messages.strip());
        }
    }
}
