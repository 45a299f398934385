package dev.vwb.grading;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Gradescope's {@code results.json} (gradescope-autograders.readthedocs.io, "Autograder
 * Specifications"): top-level {@code score}, {@code max_score}, {@code execution_time} (whole
 * seconds), {@code output}, {@code stdout_visibility}, and {@code tests}, each with {@code name},
 * {@code number}, {@code score}, {@code max_score}, {@code status} ({@code passed}/{@code failed}),
 * {@code output} and {@code visibility}. The top-level score is given, so Gradescope does not sum
 * the tests itself (the same figure either way).
 */
final class ResultsJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Tests show their results to students once grades are published; hidden tests still hide their code. */
    static final String TEST_VISIBILITY = "after_published";
    /** The autograder's own stdout is the grader's, not the student's business. */
    static final String STDOUT_VISIBILITY = "hidden";

    private ResultsJson() {
    }

    static String of(GradeReport r) {
        ObjectNode root = JSON.createObjectNode();
        root.put("score", r.score());
        root.put("max_score", r.maxScore());
        root.put("execution_time", Math.round(r.seconds()));
        root.put("output", r.output());
        root.put("stdout_visibility", STDOUT_VISIBILITY);
        ArrayNode tests = root.putArray("tests");
        for (TestResult t : r.tests()) {
            ObjectNode n = tests.addObject();
            n.put("name", t.name());
            n.put("number", t.number());
            n.put("score", t.score());
            n.put("max_score", t.maxScore());
            n.put("status", t.status().gradescope());
            n.put("output", t.output());
            n.put("visibility", TEST_VISIBILITY);
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("results.json could not be written: " + e.getMessage(), e);
        }
    }
}
