package dev.vwb.exercises;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The bundled exercises, read from this module's resources.
 *
 * <p>Layout: {@code dev/vwb/exercises/index.list} names the exercises in order, one a line; each
 * has a folder {@code dev/vwb/exercises/NAME/} with {@code exercise.properties} ({@code title},
 * {@code summary}, {@code lesson}, {@code guests}: comma-separated), {@code files.list} (every
 * source file of the exercise, one a line, as {@code PART/path/below/the/source/root.java}, PART
 * one of {@link Exercise.Part#folder()}), and the files themselves. Listing the files keeps the
 * registry the same from a jar and from a folder.
 */
public final class Exercises {
    private static final String ROOT = "dev/vwb/exercises/";

    private Exercises() {
    }

    /** Every bundled exercise, in the index's order. */
    public static List<Exercise> all() {
        List<Exercise> all = new ArrayList<>();
        for (String name : lines(ROOT + "index.list")) {
            all.add(load(name));
        }
        return List.copyOf(all);
    }

    /** The exercise of this name, if there is one. */
    public static Optional<Exercise> find(String name) {
        return lines(ROOT + "index.list").contains(name) ? Optional.of(load(name)) : Optional.empty();
    }

    /** The exercise of this name; an {@link IllegalArgumentException} with a one-line message listing the names if none. */
    public static Exercise byName(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException(
                "no exercise named '" + name + "'; the exercises are: " + String.join(", ", lines(ROOT + "index.list"))));
    }

    private static Exercise load(String name) {
        String folder = ROOT + name + "/";
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(text(folder + "exercise.properties")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<Exercise.Part, Map<String, String>> sources = new EnumMap<>(Exercise.Part.class);
        for (String file : lines(folder + "files.list")) {
            int slash = file.indexOf('/');
            Exercise.Part part = partOf(file.substring(0, slash), name);
            sources.computeIfAbsent(part, p -> new LinkedHashMap<>()).put(file.substring(slash + 1), text(folder + file));
        }
        sources.replaceAll((part, files) -> Map.copyOf(files));
        String guests = properties.getProperty("guests", "").trim();
        return new Exercise(name, properties.getProperty("title", name), properties.getProperty("summary", ""),
                Integer.parseInt(properties.getProperty("lesson", "0").trim()),
                guests.isEmpty() ? List.of() : Arrays.stream(guests.split(",")).map(String::trim).toList(), sources);
    }

    private static Exercise.Part partOf(String folder, String exercise) {
        for (Exercise.Part part : Exercise.Part.values()) {
            if (part.folder().equals(folder)) {
                return part;
            }
        }
        throw new IllegalStateException("exercise " + exercise + ": files.list names a file outside the parts: " + folder);
    }

    private static List<String> lines(String resource) {
        return text(resource).lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    private static String text(String resource) {
        try (InputStream in = Exercises.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the exercises module is missing its resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
