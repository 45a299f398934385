package dev.vwb.notebooks.quiz;

/**
 * A question's model answer and why it is right, shown only when the reader asks
 * ({@link Quiz#model}). {@code measured} is the value the lesson measured for a question answered
 * by measuring, or null.
 */
public record ModelAnswer(String lesson, int number, String topic, String answer, Double measured, String explanation) {
    @Override
    public String toString() {
        return lesson + ", question " + number + " (" + topic + ")\n  answer: " + answerText() + "\n  why: " + explanation;
    }

    private String answerText() {
        return measured == null ? answer : answer + " - measured here: " + Quiz.number(measured);
    }

    /** The answer in bold, the explanation below it. */
    public String toHtml() {
        return "<div class=\"vwb-quiz-model\"><p>" + Quiz.escape(lesson) + ", question " + number + " (" + Quiz.escape(topic)
                + ")</p><p><b>" + Quiz.escape(answerText()) + "</b></p><p>" + Quiz.escape(explanation) + "</p></div>";
    }
}
