package dev.vwb.notebooks.quiz;

/**
 * The verdict on one answer: the question, what the reader gave, and a short note (never the
 * model answer).
 */
public record Check(int number, String topic, Object given, Verdict verdict, String note) {
    /** What the check found. */
    public enum Verdict {
        RIGHT("right"), WRONG("wrong"), UNANSWERED("unanswered"), UNCHECKED("not checked");

        private final String label;

        Verdict(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    Check(Question q, Object given, Verdict verdict, String note) {
        this(q.number(), q.topic(), given, verdict, note);
    }
}
