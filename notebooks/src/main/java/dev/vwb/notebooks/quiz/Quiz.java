package dev.vwb.notebooks.quiz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The questions at the end of a lesson, checked. The questions' text is in the notebook (a
 * markdown cell); how to judge an answer and the model answers are in a resource beside this
 * class, {@code LESSON.json}, so a reader does not see them by scrolling. Imported in every kernel
 * session:
 * <pre>{@code
 * var answers = Quiz.answers("lesson3").put(1, "B").put(2, 42).put(3, portExits);
 * answers.expect(3, vm.exits().count(ExitReason.PORT_IO));   // a value measured in the lesson
 * answers.check()                                            // right / wrong / unanswered, per question
 * Quiz.model("lesson3", 2)                                   // the model answer, only when asked
 * }</pre>
 *
 * <p>The resource is {@code {"questions": [Q1, Q2, ...]}}, each question an object with
 * {@code topic} (a few words), {@code kind} ({@code choice}, {@code number}, {@code measured} or
 * {@code text}), {@code answer}, {@code explanation}, and as the kind needs {@code tolerance}
 * (absolute), {@code relative} (a fraction of the expected value) or {@code accept} (patterns,
 * case-insensitive, any of which found in the answer makes it right).
 */
public final class Quiz {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, List<Question>> LOADED = new ConcurrentHashMap<>();

    private Quiz() {
    }

    /**
     * A fresh, empty set of answers to {@code lesson}'s questions.
     *
     * @throws IllegalArgumentException if there is no quiz for {@code lesson}
     */
    public static Answers answers(String lesson) {
        return new Answers(lesson, questions(lesson));
    }

    /**
     * The model answer to question {@code number} of {@code lesson}, with its explanation.
     *
     * @throws IllegalArgumentException if there is no such lesson or question
     */
    public static ModelAnswer model(String lesson, int number) {
        Question q = question(lesson, questions(lesson), number);
        return new ModelAnswer(lesson, number, q.topic(), q.answer(), null, q.explanation());
    }

    /** How many questions {@code lesson} has. */
    public static int size(String lesson) {
        return questions(lesson).size();
    }

    static Question question(String lesson, List<Question> questions, int number) {
        if (number < 1 || number > questions.size()) {
            throw new IllegalArgumentException(lesson + " has questions 1 to " + questions.size() + ", not " + number);
        }
        return questions.get(number - 1);
    }

    static List<Question> questions(String lesson) {
        if (lesson == null || !lesson.matches("[a-z0-9-]+")) {
            throw new IllegalArgumentException("a quiz is named like \"lesson3\", not " + lesson);
        }
        return LOADED.computeIfAbsent(lesson, Quiz::load);
    }

    private static List<Question> load(String lesson) {
        try (InputStream in = Quiz.class.getResourceAsStream(lesson + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("there is no quiz for " + lesson);
            }
            return parse(lesson, JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the quiz of " + lesson, e);
        }
    }

    /** The questions of a quiz file; a malformed file is the project's bug, an {@link IllegalStateException}. */
    static List<Question> parse(String lesson, JsonNode root) {
        List<Question> questions = new ArrayList<>();
        JsonNode list = root.path("questions");
        if (!list.isArray() || list.isEmpty()) {
            throw new IllegalStateException(lesson + ".json has no questions");
        }
        for (JsonNode q : list) {
            int n = questions.size() + 1;
            Question.Kind kind;
            try {
                kind = Question.Kind.valueOf(q.path("kind").asText().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(lesson + ".json, question " + n + ": no kind '" + q.path("kind").asText() + "'");
            }
            List<Pattern> accept = new ArrayList<>();
            q.path("accept").forEach(p -> accept.add(Pattern.compile(p.asText(), Pattern.CASE_INSENSITIVE)));
            String answer = q.path("answer").asText();
            if (q.path("topic").asText().isBlank() || answer.isBlank() || q.path("explanation").asText().isBlank()
                    || (kind == Question.Kind.TEXT && accept.isEmpty())
                    || (kind == Question.Kind.NUMBER && Question.asNumber(answer) == null)) {
                throw new IllegalStateException(lesson + ".json, question " + n + ": needs topic, answer and explanation"
                        + " (a number for kind number, accept patterns for kind text)");
            }
            questions.add(new Question(n, q.path("topic").asText(), kind, answer, q.path("tolerance").asDouble(0),
                    q.path("relative").asDouble(0), List.copyOf(accept), q.path("explanation").asText()));
        }
        return List.copyOf(questions);
    }

    /** A number as a reader writes it: no exponent, no trailing zeros, at most 3 decimals. */
    static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.format(Locale.ROOT, "%,d", (long) v)
                : new java.math.BigDecimal(v).setScale(3, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
