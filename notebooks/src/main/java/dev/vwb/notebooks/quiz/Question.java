package dev.vwb.notebooks.quiz;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One question of a lesson's quiz, as its resource file states it: how an answer is judged and
 * the model answer with its explanation (kept out of the notebook, shown only when asked for).
 *
 * @param number      the question's number in the lesson (1, 2, ...)
 * @param topic       a few words naming the question, for the check's report (never the answer)
 * @param kind        how an answer is judged
 * @param answer      the model answer: a letter, a number, or words; for {@link Kind#MEASURED}, how
 *                    the value is measured
 * @param tolerance   for numbers: the largest absolute difference still right
 * @param relative    for numbers: the largest difference relative to the expected value still right
 * @param accept      for {@link Kind#TEXT}: patterns (case-insensitive, found anywhere) of a right answer
 * @param explanation why the model answer is right
 */
record Question(int number, String topic, Kind kind, String answer, double tolerance, double relative, List<Pattern> accept,
                String explanation) {

    /** How an answer is judged. */
    enum Kind {
        /** A letter among the choices the question lists: A, B, C ... (case does not matter). */
        CHOICE,
        /** A number, right within the tolerance of the model answer. */
        NUMBER,
        /** A number the lesson measures on the reader's machine ({@link Answers#expect}), right within the tolerance. */
        MEASURED,
        /** Words, right when one of the accepted patterns is found in them. */
        TEXT
    }

    /** The verdict on {@code given} (null or blank: unanswered); {@code measured} is the value a MEASURED question expects, or null. */
    Check check(Object given, Double measured) {
        if (given == null || given.toString().isBlank()) {
            return new Check(this, given, Check.Verdict.UNANSWERED, "not answered yet");
        }
        return switch (kind) {
            case CHOICE -> {
                String letter = given.toString().strip().toUpperCase(Locale.ROOT);
                if (!letter.matches("[A-Z]")) {
                    yield new Check(this, given, Check.Verdict.WRONG, "answer with one letter");
                }
                yield verdict(given, letter.equals(answer.strip().toUpperCase(Locale.ROOT)), "");
            }
            case NUMBER -> number(given, Double.parseDouble(answer));
            case MEASURED -> measured == null
                    ? new Check(this, given, Check.Verdict.UNCHECKED, "run the cell that measures it (answers.expect), then check again")
                    : number(given, measured);
            case TEXT -> verdict(given, accept.stream().anyMatch(p -> p.matcher(given.toString()).find()), "");
        };
    }

    private Check number(Object given, double expected) {
        Double value = asNumber(given);
        if (value == null) {
            return new Check(this, given, Check.Verdict.WRONG, "answer with a number");
        }
        double diff = Math.abs(value - expected);
        boolean right = diff <= tolerance || diff <= relative * Math.abs(expected) || diff == 0;
        return verdict(given, right, right || tolerance + relative == 0 ? "" : value < expected ? "too small" : "too large");
    }

    private Check verdict(Object given, boolean right, String note) {
        return new Check(this, given, right ? Check.Verdict.RIGHT : Check.Verdict.WRONG, note);
    }

    /**
     * {@code given} as a number: a Number, or text that parses as one (underscores and commas
     * allowed; hexadecimal as {@code 0x401000} or {@code 401000h}), else null.
     */
    static Double asNumber(Object given) {
        if (given instanceof Number n) {
            return n.doubleValue();
        }
        String text = given.toString().strip().replace("_", "").replace(",", "");
        try {
            if (text.matches("(?i)0x[0-9a-f]+")) {
                return (double) Long.parseLong(text.substring(2), 16);
            }
            if (text.matches("(?i)[0-9a-f]+h")) {
                return (double) Long.parseLong(text.substring(0, text.length() - 1), 16);
            }
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
