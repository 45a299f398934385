package dev.vwb.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubmissionSourcesTest {
    @TempDir
    Path tmp;

    @Test
    void filesArePlacedByTheirPackage_whereverTheyLay() throws Exception {
        Files.createDirectories(tmp.resolve("flat/deep/er"));
        Files.writeString(tmp.resolve("flat/deep/er/A.java"), "// hi\npackage dev.vwb.student;\nclass A {}");
        Files.writeString(tmp.resolve("flat/B.java"), "class B {}");
        Files.writeString(tmp.resolve("flat/notes.txt"), "not a source");
        assertEquals(Map.of("dev/vwb/student/A.java", "// hi\npackage dev.vwb.student;\nclass A {}", "B.java", "class B {}"),
                SubmissionSources.read(tmp.resolve("flat")));
    }

    @Test
    void aJarOfSources_isReadLikeAFolder() throws Exception {
        Path jar = tmp.resolve("s.jar");
        try (OutputStream o = Files.newOutputStream(jar); ZipOutputStream z = new ZipOutputStream(o)) {
            z.putNextEntry(new ZipEntry("src/main/java/dev/vwb/student/A.java"));
            z.write("package dev.vwb.student; class A {}".getBytes());
            z.closeEntry();
        }
        assertEquals(Map.of("dev/vwb/student/A.java", "package dev.vwb.student; class A {}"), SubmissionSources.read(jar));
    }

    @Test
    void somethingElse_isRefusedInOneLine() throws Exception {
        Path txt = Files.writeString(tmp.resolve("s.txt"), "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SubmissionSources.read(txt));
        assertTrue(e.getMessage().contains("neither a folder of Java sources nor a jar"), e.getMessage());
    }
}
