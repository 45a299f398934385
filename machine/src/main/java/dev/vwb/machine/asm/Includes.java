package dev.vwb.machine.asm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where {@code %include "name"} finds its file (NASM manual 4.6.1): the assembler asks with the
 * name as written and the name of the file the directive stands in, and assembles the text it
 * gets back in place of the directive's line.
 *
 * <pre>{@code
 * Includes lib = (name, from) -> name.equals("com1.inc") ? Optional.of(new Includes.Source("com1.inc", COM1)) : Optional.empty();
 * Assembler.assemble(source, "kernel.asm", lib);
 * }</pre>
 */
@FunctionalInterface
public interface Includes {
    /**
     * The file that {@code %include "name"} means when written in the file {@code from}.
     *
     * @param name what the directive names, without its quotes
     * @param from the including file's name, as the {@link Source} that gave it named it (the
     *             main file's name for its own includes)
     * @return the file, or empty when there is none (the assembler reports that at the including
     *         line); never throws for a file that is missing or unreadable
     */
    Optional<Source> find(String name, String from);

    /**
     * A file to assemble.
     *
     * @param name the name diagnostics and the listing give it; two includes of one file must give
     *             the same name, since the assembler finds include cycles by name
     * @param text its source
     */
    record Source(String name, String text) {
    }

    /**
     * Files on disk, searched as nasm searches them: the including file's folder first, then each
     * of {@code folders} in order (nasm's {@code -i}; a folder here needs no trailing slash). A file
     * found is named by its path, normalized.
     */
    static Includes folders(List<Path> folders) {
        List<Path> search = List.copyOf(folders);
        return (name, from) -> {
            Path parent = Path.of(from).getParent();
            List<Path> candidates = new ArrayList<>();
            candidates.add(parent == null ? Path.of(name) : parent.resolve(name));
            for (Path folder : search) {
                candidates.add(folder.resolve(name));
            }
            for (Path c : candidates) {
                if (Files.isRegularFile(c)) {
                    try {
                        return Optional.of(new Source(c.normalize().toString(), Files.readString(c, StandardCharsets.UTF_8)));
                    } catch (IOException e) {
                        return Optional.empty();
                    }
                }
            }
            return Optional.empty();
        };
    }
}
