package dev.vwb.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vwb.grading.GradeReport.Verdict;
import dev.vwb.grading.TestResult.Status;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** results.json, junit.xml and report.md of a report made by hand: the formats, whatever a submission printed. */
class ReportFormatsTest {
    /** Output a hostile submission might print: XML, a Markdown fence, a NUL. */
    static final String NASTY = "<b>&\"</b> ``` \u0000 end";
    static final GradeReport REPORT = new GradeReport("alice", "fizzbuzz-cpu", Verdict.TIMED_OUT, 2.5, 10, 3.4, "summary " + NASTY, List.of(
            new TestResult("1", "FizzBuzz: fizz", "FizzBuzz", 2.5, 2.5, Status.PASSED, "", 0.1),
            new TestResult("2", "FizzBuzz: buzz", "FizzBuzz", 0, 5, Status.FAILED, "expected Buzz " + NASTY, 0.2),
            new TestResult("3", "FizzBuzz: loop", "FizzBuzz", 0, 2.5, Status.TIMED_OUT, "Timed out", 3)));

    @Test
    void resultsJson_hasGradescopesFields_andOnlyPassedOrFailedStatuses() throws Exception {
        JsonNode n = new ObjectMapper().readTree(ResultsJson.of(REPORT));
        assertEquals(2.5, n.get("score").asDouble());
        assertEquals(10, n.get("max_score").asDouble());
        assertEquals(3, n.get("execution_time").asInt());
        assertEquals("summary " + NASTY, n.get("output").asText());
        assertEquals(List.of("passed", "failed", "failed"), n.get("tests").findValuesAsText("status"));
        assertEquals(List.of("1", "2", "3"), n.get("tests").findValuesAsText("number"));
        assertEquals(5, n.get("tests").get(1).get("max_score").asDouble());
        assertEquals(ResultsJson.TEST_VISIBILITY, n.get("tests").get(0).get("visibility").asText());
    }

    @Test
    void junitXml_isWellFormed_withAFailureAndAnErrorElement() throws Exception {
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(JunitXml.of(REPORT).getBytes(StandardCharsets.UTF_8)));
        assertEquals("3", d.getDocumentElement().getAttribute("tests"));
        assertEquals(1, d.getElementsByTagName("failure").getLength());
        assertEquals(1, d.getElementsByTagName("error").getLength());
        assertTrue(d.getElementsByTagName("failure").item(0).getTextContent().contains("<b>&\"</b>"));
    }

    @Test
    void markdownReport_fencesOutputLongerThanAnyFenceInIt_andListsEveryTest() {
        String md = MarkdownReport.of(REPORT);
        assertTrue(md.contains("**Score: 2.50 / 10**"), md);
        assertTrue(md.contains("````text\nexpected Buzz"), md);
        assertTrue(md.contains("| 3 | FizzBuzz: loop | 0 / 2.50 | **timed out** |"), md);
        assertFalse(md.contains("## 1."), "a passed test has no section");
    }

    @Test
    void gradebookFields_withCommasOrQuotes_areQuoted() throws Exception {
        java.nio.file.Path f = java.nio.file.Files.createTempFile("gradebook", ".csv");
        GradeReport odd = new GradeReport("smith, \"jo\"", "x", Verdict.GRADED, 1, 2, 0.5, "", List.of());
        Gradebook.write(List.of(odd), f);
        assertEquals(List.of(Gradebook.HEADER, "\"smith, \"\"jo\"\"\",1,2,graded,0.5"), java.nio.file.Files.readAllLines(f));
        java.nio.file.Files.delete(f);
    }

    @Test
    void theSummary_countsVerdicts_andDrawsTheHistogram() {
        BatchSummary s = new BatchSummary(List.of(REPORT, new GradeReport("bob", "x", Verdict.COMPILE_ERROR, 0, 10, 0, "", List.of()),
                new GradeReport("carol", "x", Verdict.GRADED, 10, 10, 0, "", List.of())), 12, 2);
        assertTrue(s.toString().contains("1 graded, 1 failed to compile, 1 timed out, 0 not gradable"), s.toString());
        assertEquals(List.of(1, 0, 1, 0, 0, 0, 0, 0, 0, 1), java.util.Arrays.stream(s.histogram()).boxed().toList());
    }
}
