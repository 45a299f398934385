package dev.vwb.grading;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The Java sources of a submission: a folder (searched to any depth) or a jar or zip of sources.
 * Each file is placed by its {@code package} declaration, not by where it lay, since students
 * upload flat folders, IDE trees and zips alike.
 */
final class SubmissionSources {
    /** More than this is not a student's hypervisor extension: refused before anything is compiled. */
    static final long MAX_BYTES = 2L << 20;
    static final int MAX_FILES = 500;
    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);

    private SubmissionSources() {
    }

    /** The sources by path below the source root; an {@link IllegalArgumentException} with a one-line message if unreadable or too large. */
    static Map<String, String> read(Path submission) {
        Map<String, String> sources = new LinkedHashMap<>();
        try {
            if (Files.isDirectory(submission)) {
                List<Path> files;
                try (Stream<Path> walk = Files.walk(submission)) {
                    files = walk.filter(p -> p.toString().endsWith(".java") && Files.isRegularFile(p))
                            .filter(p -> !submission.relativize(p).toString().contains("__MACOSX")).sorted().toList();
                }
                check(files.size(), files.stream().mapToLong(SubmissionSources::size).sum());
                for (Path f : files) {
                    add(sources, f.getFileName().toString(), Files.readString(f, StandardCharsets.UTF_8));
                }
            } else if (Files.isRegularFile(submission) && (submission.toString().endsWith(".jar") || submission.toString().endsWith(".zip"))) {
                try (ZipFile zip = new ZipFile(submission.toFile())) {
                    List<? extends ZipEntry> entries = zip.stream().filter(e -> e.getName().endsWith(".java") && !e.isDirectory()
                            && !e.getName().contains("__MACOSX")).toList();
                    check(entries.size(), entries.stream().mapToLong(ZipEntry::getSize).sum());
                    for (ZipEntry e : entries) {
                        try (InputStream in = zip.getInputStream(e)) {
                            byte[] bytes = in.readNBytes((int) MAX_BYTES + 1);
                            String name = e.getName().substring(e.getName().lastIndexOf('/') + 1);
                            add(sources, name, new String(bytes, StandardCharsets.UTF_8));
                        }
                    }
                }
            } else {
                throw new IllegalArgumentException(submission + " is neither a folder of Java sources nor a jar");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the submission " + submission + ": " + e.getMessage());
        }
        return sources;
    }

    private static void add(Map<String, String> sources, String fileName, String text) {
        Matcher m = PACKAGE.matcher(text);
        String dir = m.find() ? m.group(1).replace('.', '/') + "/" : "";
        sources.put(dir + fileName, text);
    }

    private static void check(int files, long bytes) {
        if (files > MAX_FILES || bytes > MAX_BYTES) {
            throw new IllegalArgumentException("the submission is too large (" + files + " files, " + bytes
                    + " bytes; at most " + MAX_FILES + " files and " + MAX_BYTES + " bytes)");
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }
}
