package dev.vwb.notebooks.quiz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class QuizTest {
    private static List<Check.Verdict> verdicts(QuizReport r) {
        return r.checks().stream().map(Check::verdict).toList();
    }

    @Test
    void placeholderAnswers_areUnanswered_notErrors() {
        QuizReport r = Quiz.answers("testquiz").put(1, "").put(2, "").put(3, null).check();
        assertEquals(List.of(Check.Verdict.UNANSWERED, Check.Verdict.UNANSWERED, Check.Verdict.UNANSWERED, Check.Verdict.UNANSWERED),
                verdicts(r));
        assertEquals("0 of 4 right, 4 unanswered", r.summary());
    }

    @Test
    void eachKindIsJudged_asItsFileSays() {
        QuizReport r = Quiz.answers("testquiz").put(1, "b").put(2, 42.4).put(3, 95).expect(3, 100).put(4, "it is popf").check();
        assertEquals(List.of(Check.Verdict.RIGHT, Check.Verdict.RIGHT, Check.Verdict.RIGHT, Check.Verdict.RIGHT), verdicts(r));
        QuizReport wrong = Quiz.answers("testquiz").put(1, "C").put(2, "43").put(3, 80).expect(3, 100).put(4, "pushf").check();
        assertEquals(List.of(Check.Verdict.WRONG, Check.Verdict.WRONG, Check.Verdict.WRONG, Check.Verdict.WRONG), verdicts(wrong));
        assertEquals("too large", wrong.checks().get(1).note());
    }

    @Test
    void aMeasuredQuestion_withoutItsMeasurement_isNotChecked() {
        QuizReport r = Quiz.answers("testquiz").put(3, 12).check();
        assertEquals(Check.Verdict.UNCHECKED, r.checks().get(2).verdict());
    }

    @Test
    void numbersMayBeTextWithSeparators_andNonsenseIsWrong() {
        assertEquals(Check.Verdict.RIGHT, Quiz.answers("testquiz").put(2, "4_2").check().checks().get(1).verdict());
        assertEquals(Check.Verdict.RIGHT, Quiz.answers("testquiz").put(2, "0x2A").check().checks().get(1).verdict());
        assertEquals(Check.Verdict.RIGHT, Quiz.answers("testquiz").put(2, "2Ah").check().checks().get(1).verdict());
        Check c = Quiz.answers("testquiz").put(2, "many").check().checks().get(1);
        assertEquals(Check.Verdict.WRONG, c.verdict());
        assertEquals("answer with a number", c.note());
        assertEquals("answer with one letter", Quiz.answers("testquiz").put(1, "BB").check().checks().get(0).note());
    }

    @Test
    void theReport_neverShowsTheModelAnswer() {
        QuizReport r = Quiz.answers("testquiz").put(1, "A").put(4, "cli").check();
        for (String shown : List.of(r.toString(), r.toHtml())) {
            assertFalse(shown.contains("second letter") || shown.contains("POPF does not"), shown);
        }
        assertTrue(r.toHtml().contains("&#10008; wrong"), r.toHtml());
    }

    @Test
    void theModelAnswer_isShownWhenAskedFor_withTheMeasuredValue() {
        ModelAnswer m = Quiz.model("testquiz", 1);
        assertEquals("B", m.answer());
        assertTrue(m.toString().contains("second letter"));
        assertTrue(Quiz.answers("testquiz").expect(3, 1234).model(3).toString().contains("measured here: 1,234"));
    }

    @Test
    void badQuestionsAndLessons_areOneLineErrors() {
        assertThrows(IllegalArgumentException.class, () -> Quiz.answers("testquiz").put(5, "A"));
        assertThrows(IllegalArgumentException.class, () -> Quiz.answers("testquiz").expect(1, 3));
        assertThrows(IllegalArgumentException.class, () -> Quiz.answers("no-such-lesson"));
        assertThrows(IllegalArgumentException.class, () -> Quiz.model("testquiz", 0));
        assertThrows(IllegalStateException.class, () -> Quiz.parse("bad", new ObjectMapper().readTree(
                "{\"questions\": [{\"topic\": \"t\", \"kind\": \"number\", \"answer\": \"x\", \"explanation\": \"e\"}]}")));
    }

    /** Each lesson that asks questions has a quiz file whose questions match the answer cell's. */
    @Test
    void everyLessonsQuiz_loads_andItsAnswerCellAnswersEachQuestion() throws IOException {
        Pattern uses = Pattern.compile("Quiz\\.answers\\(\\\\\"(lesson\\d+)\\\\\"\\)");
        try (Stream<Path> s = Files.list(Path.of("."))) {
            for (Path nb : s.filter(p -> p.toString().endsWith(".ipynb")).toList()) {
                String text = Files.readString(nb);
                Matcher m = uses.matcher(text);
                while (m.find()) {
                    int n = Quiz.size(m.group(1));
                    for (int q = 1; q <= n; q++) {
                        assertTrue(text.contains(".put(" + q + ","), nb + " does not answer question " + q + " of " + m.group(1));
                    }
                }
            }
        }
    }
}
