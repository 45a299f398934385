package dev.vwb.notebooks;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernelspec Jupyter starts the kernel from: {@code kernels/vwb/kernel.json}, running this
 * JVM's java on this JVM's class path (the notebooks module and its libraries), interrupts sent
 * as messages (the kernel stops the guest, and lives on).
 */
public final class Kernelspec {
    /** The kernel's name in Jupyter ({@code --kernel vwb}). */
    public static final String NAME = "vwb";
    public static final String DISPLAY_NAME = "vwb (Java)";
    static final String MAIN = "dev.vwb.notebooks.cli.Main";

    private Kernelspec() {
    }

    /** The kernel.json text for {@code classPath} (absolute entries, the platform's separator). */
    static String json(String java, String classPath) {
        List<String> argv = List.of(java, "-XX:+UseParallelGC", "-cp", classPath, MAIN, "kernel", "run", "{connection_file}");
        List<String> quoted = new ArrayList<>();
        argv.forEach(a -> quoted.add(quote(a)));
        return "{\n"
                + "  \"argv\": [" + String.join(", ", quoted) + "],\n"
                + "  \"display_name\": " + quote(DISPLAY_NAME) + ",\n"
                + "  \"language\": \"java\",\n"
                + "  \"interrupt_mode\": \"message\"\n"
                + "}\n";
    }

    /** Writes the kernelspec for this JVM under {@code dataDir}/kernels/vwb; returns its directory. */
    public static Path install(Path dataDir) throws IOException {
        Path dir = dataDir.resolve("kernels").resolve(NAME);
        Files.createDirectories(dir);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(dir.resolve("kernel.json"), json(java, classPath()));
        return dir;
    }

    /** This JVM's class path, each entry absolute. */
    static String classPath() {
        List<String> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!e.isBlank()) {
                entries.add(Path.of(e).toAbsolutePath().toString());
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
