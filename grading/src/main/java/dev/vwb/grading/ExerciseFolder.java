package dev.vwb.grading;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * An exercise as a folder, in the exercises module's resource layout ({@code exercise.properties},
 * {@code files.list}, {@code skeleton/ solution/ public/ hidden/}): how a packaged autograder
 * carries its kit (without {@code solution/}), and how tests and benchmarks give the grader an
 * exercise of their own.
 */
public final class ExerciseFolder {
    private ExerciseFolder() {
    }

    /** The grading kit in {@code dir}; a one-line {@link IllegalArgumentException} if it is not one. */
    public static GradingKit kit(Path dir) {
        Properties p = properties(dir);
        String name = p.getProperty("name", dir.getFileName().toString());
        return new GradingKit(name, p.getProperty("title", name), part(dir, "skeleton"), part(dir, "hidden"), part(dir, "public"));
    }

    /** The reference solution's sources in {@code dir} (empty in a packaged kit). */
    public static Map<String, String> solution(Path dir) {
        return part(dir, "solution");
    }

    /** Writes {@code kit} as a folder (the solution left out). */
    static void write(GradingKit kit, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("exercise.properties"), "name=" + kit.name() + "\ntitle=" + kit.title().replace("\n", " ") + "\n");
        StringBuilder list = new StringBuilder();
        for (var part : List.of(Map.entry("skeleton", kit.skeleton()), Map.entry("hidden", kit.hidden()), Map.entry("public", kit.support()))) {
            for (var file : part.getValue().entrySet()) {
                Path target = dir.resolve(part.getKey()).resolve(file.getKey());
                Files.createDirectories(target.getParent());
                Files.writeString(target, file.getValue());
                list.append(part.getKey()).append('/').append(file.getKey()).append('\n');
            }
        }
        Files.writeString(dir.resolve("files.list"), list);
    }

    private static Properties properties(Path dir) {
        Path file = dir.resolve("exercise.properties");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(dir + " is not an exercise folder (no exercise.properties)");
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** The files of one part, as files.list names them. */
    private static Map<String, String> part(Path dir, String part) {
        Map<String, String> files = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(dir.resolve("files.list"))) {
                String f = line.trim();
                if (f.startsWith(part + "/")) {
                    files.put(f.substring(part.length() + 1), Files.readString(dir.resolve(f)));
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(dir + ": cannot read the exercise's files: " + e.getMessage());
        }
        return files;
    }
}
