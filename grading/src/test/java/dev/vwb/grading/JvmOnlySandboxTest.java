package dev.vwb.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where bubblewrap cannot run (a container without user namespaces, Gradescope's fleet), the
 * security manager alone keeps the solution on disk and the file system out of reach.
 */
class JvmOnlySandboxTest {
    @TempDir
    Path tmp;

    @Test
    void withoutBubblewrap_readingTheSolutionAndWritingOutside_areStillRefused() {
        try (Grader g = Grader.of(Fixture.kit(), Fixture.LIMITS.withBubblewrap(false))) {
            assertTrue(g.isolation().startsWith("Java security manager only"), g.isolation());
            GradeReport reads = g.grade("reads-solution", Fixture.sample("reads-solution", tmp));
            assertEquals(0, reads.score());
            assertTrue(failures(reads).contains("Refused by the sandbox: access denied (\"java.io.FilePermission\""), failures(reads));
            GradeReport writes = g.grade("writes-outside", Fixture.sample("writes-outside", tmp));
            assertEquals(5, writes.score(), () -> MarkdownReport.of(writes));
            assertTrue(failures(writes).contains("Refused by the sandbox"), failures(writes));
            assertFalse(java.nio.file.Files.exists(Fixture.escaped(tmp)));
        }
    }

    private static String failures(GradeReport r) {
        return r.tests().stream().map(TestResult::output).collect(Collectors.joining("\n"));
    }
}
