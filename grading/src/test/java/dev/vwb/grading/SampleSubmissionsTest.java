package dev.vwb.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vwb.grading.GradeReport.Verdict;
import dev.vwb.grading.TestResult.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample submissions of the fixture exercise, graded as one batch (two at a time, as a
 * course's would be), the reference solution among them: each gets its score and a clear
 * message, and the hostile ones cost only their own grade.
 */
class SampleSubmissionsTest {
    static final List<String> SAMPLES = List.of("empty", "partly", "not-compiling", "loops", "allocates", "exits", "threads",
            "writes-outside", "reads-solution");
    /** The tests that call FizzBuzz.of on a multiple of 15 (where the hostile samples misbehave): fizzBuzz (2) and guest (3). */
    static final double LOST_ON_15 = 5;

    @TempDir
    static Path tmp;
    static Map<String, GradeReport> reports;
    static BatchSummary summary;
    static Path out;

    @BeforeAll
    static void gradeTheBatch() throws IOException {
        Path all = Files.createDirectories(tmp.resolve("submissions"));
        for (String s : SAMPLES) {
            Fixture.sample(s, all);
        }
        Path solution = Files.createDirectories(all.resolve("solution"));
        Fixture.solution().forEach((path, text) -> write(solution.resolve(Path.of(path).getFileName()), text));
        out = tmp.resolve("out");
        try (Grader g = Grader.of(Fixture.kit(), Fixture.LIMITS)) {
            summary = Batch.run(g, Batch.submissions(all), out, 2, Progress.NONE);
        }
        reports = summary.reports().stream().collect(Collectors.toMap(GradeReport::submission, Function.identity()));
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static GradeReport report(String name) {
        return reports.get(name);
    }

    /** The output of the tests of one sample that did not pass, joined. */
    private static String failures(String name) {
        return report(name).tests().stream().filter(t -> t.status() != Status.PASSED).map(TestResult::output)
                .collect(Collectors.joining("\n"));
    }

    private static void assertLostOnlyTheMultiplesOf15(String name) {
        GradeReport r = report(name);
        assertEquals(10 - LOST_ON_15, r.score(), () -> name + ":\n" + MarkdownReport.of(r));
        List<String> failed = new ArrayList<>();
        r.tests().stream().filter(t -> t.status() != Status.PASSED).forEach(t -> failed.add(t.name()));
        assertEquals(List.of("FizzBuzz: multiples of 15 are FizzBuzz", "FizzBuzz: the guest's exits, fizz-buzzed"),
                failed.stream().sorted().toList(), name);
    }

    @Test
    void theReferenceSolution_scoresFullMarks_besideTheHostileSubmissions() {
        GradeReport r = report("solution");
        assertEquals(10, r.maxScore());
        assertEquals(10, r.score(), () -> MarkdownReport.of(r));
        assertEquals(Verdict.GRADED, r.verdict());
    }

    @Test
    void anEmptySubmission_gradesTheSkeleton_scoringZero_andSaysSo() {
        GradeReport r = report("empty");
        assertEquals(0, r.score());
        assertTrue(r.output().contains("no Java sources"), r.output());
        assertTrue(failures("empty").contains("TODO: write FizzBuzz.of"), failures("empty"));
    }

    @Test
    void aPartlyRightSubmission_getsThePointsOfThePassingTests_andTheGuestTraceOfTheFailedOne() {
        assertLostOnlyTheMultiplesOf15("partly");
        TestResult guest = report("partly").tests().stream().filter(t -> t.name().contains("guest")).findFirst().orElseThrow();
        assertTrue(guest.output().contains("expected: <FizzBuzz> but was: <Fizz>"), guest.output());
        assertTrue(guest.output().contains("instructions of guest exits"), guest.output());
        assertTrue(guest.output().contains("VM exits (of"), guest.output());
        assertTrue(guest.output().contains("port I/O"), guest.output());
    }

    @Test
    void aSubmissionThatDoesNotCompile_scoresZero_withTheCompilersMessages_andNoStackTrace() {
        GradeReport r = report("not-compiling");
        assertEquals(Verdict.COMPILE_ERROR, r.verdict());
        assertEquals(0, r.score());
        assertEquals(10, r.maxScore());
        assertTrue(r.output().contains("dev/vwb/student/FizzBuzz.java:6: error: ';' expected"), r.output());
        assertFalse(r.output().contains("\tat "), r.output());
    }

    @Test
    void aSubmissionThatLoopsForever_timesOutInThoseTestsOnly() {
        assertLostOnlyTheMultiplesOf15("loops");
        GradeReport r = report("loops");
        assertEquals(Verdict.TIMED_OUT, r.verdict());
        assertEquals(2, r.tests().stream().filter(t -> t.status() == Status.TIMED_OUT).count());
        assertTrue(failures("loops").contains("timed out after 3 seconds"), failures("loops"));
    }

    @Test
    void aSubmissionThatAllocatesWithoutBound_failsThoseTestsWithOutOfMemory() {
        assertLostOnlyTheMultiplesOf15("allocates");
        assertTrue(failures("allocates").contains("OutOfMemoryError"), failures("allocates"));
    }

    @Test
    void aSubmissionCallingSystemExit_isRefused_andLosesOnlyThoseTests() {
        assertLostOnlyTheMultiplesOf15("exits");
        assertTrue(failures("exits").contains("Refused by the sandbox") && failures("exits").contains("System.exit(0) is not allowed"), failures("exits"));
    }

    @Test
    void aSubmissionStartingThreadsWithoutBound_isCapped() {
        assertLostOnlyTheMultiplesOf15("threads");
        assertTrue(failures("threads").contains("too many threads"), failures("threads"));
    }

    @Test
    void aSubmissionWritingOutsideItsFolder_isRefused_andNothingIsWritten() {
        assertLostOnlyTheMultiplesOf15("writes-outside");
        assertFalse(Files.exists(Fixture.escaped(tmp.resolve("submissions"))));
        assertTrue(failures("writes-outside").contains("Refused by the sandbox")
                || failures("writes-outside").contains("NoSuchFileException"), failures("writes-outside"));
    }

    @Test
    void aSubmissionReadingTheReferenceSolution_findsItNeitherOnTheClassPathNorOnDisk() {
        GradeReport r = report("reads-solution");
        assertEquals(0, r.score(), () -> MarkdownReport.of(r));
        assertTrue(failures("reads-solution").contains("Refused by the sandbox: access denied (\"java.io.FilePermission\""),
                failures("reads-solution"));
    }

    @Test
    void theBatch_writesAGradebookRowAndAResultsFolderPerSubmission_andCountsVerdicts() throws IOException {
        List<String> rows = Files.readAllLines(out.resolve("gradebook.csv"));
        assertEquals(Gradebook.HEADER, rows.get(0));
        assertEquals(SAMPLES.size() + 1, rows.size() - 1);
        assertTrue(rows.contains("partly,5,10,graded," + rows.stream().filter(l -> l.startsWith("partly,")).findFirst()
                .orElseThrow().split(",")[4]), rows.toString());
        for (String s : SAMPLES) {
            for (String file : List.of("results.json", "junit.xml", "report.md")) {
                assertTrue(Files.isRegularFile(out.resolve("results").resolve(s).resolve(file)), s + "/" + file);
            }
        }
        assertEquals(1, summary.count(Verdict.COMPILE_ERROR));
        assertEquals(1, summary.count(Verdict.TIMED_OUT));
        assertTrue(summary.toString().contains("1 failed to compile, 1 timed out"), summary.toString());
    }
}
