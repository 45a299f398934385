package dev.vwb.notebooks.quiz;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A reader's answers to one lesson's questions ({@link Quiz#answers}), and the values measured in
 * the lesson that some of them are checked against. Each method returns this, so a cell chains
 * {@code put}s. A blank answer ({@code ""} or null) counts as unanswered.
 */
public final class Answers {
    private final String lesson;
    private final List<Question> questions;
    private final Map<Integer, Object> given = new HashMap<>();
    private final Map<Integer, Double> measured = new HashMap<>();

    Answers(String lesson, List<Question> questions) {
        this.lesson = lesson;
        this.questions = questions;
    }

    /**
     * Answers question {@code number}: a letter, a number, or words, as the question asks.
     *
     * @throws IllegalArgumentException if the lesson has no such question
     */
    public Answers put(int number, Object answer) {
        Quiz.question(lesson, questions, number);
        given.put(number, answer);
        return this;
    }

    /**
     * The value question {@code number} is checked against, measured in the lesson on this machine
     * (only for a question answered by measuring).
     *
     * @throws IllegalArgumentException if the lesson has no such question, or it is not answered by measuring
     */
    public Answers expect(int number, Number value) {
        Question q = Quiz.question(lesson, questions, number);
        if (q.kind() != Question.Kind.MEASURED) {
            throw new IllegalArgumentException(lesson + ", question " + number + " is not answered by measuring: its answer is fixed");
        }
        measured.put(number, value.doubleValue());
        return this;
    }

    /** Every question's verdict: right, wrong, unanswered, or not checked (a measured value missing). */
    public QuizReport check() {
        return new QuizReport(lesson, questions.stream().map(q -> q.check(given.get(q.number()), measured.get(q.number()))).toList());
    }

    /** The model answer to question {@code number}, with the value measured for it if any. */
    public ModelAnswer model(int number) {
        Question q = Quiz.question(lesson, questions, number);
        return new ModelAnswer(lesson, number, q.topic(), q.answer(), measured.get(number), q.explanation());
    }

    @Override
    public String toString() {
        return "answers to " + lesson + ": " + given.values().stream().filter(v -> v != null && !v.toString().isBlank()).count()
                + " of " + questions.size() + " given; answers.check() checks them";
    }
}
