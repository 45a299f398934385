package dev.vwb.grading;

/**
 * One graded test of one submission.
 *
 * @param number    its number in the exercise's plan ("1", "2", ...), as Gradescope shows it
 * @param name      the class's and the method's display names
 * @param className the test class's display name
 * @param score     points earned: all of {@code maxScore} when passed, else 0
 * @param status    how it ended
 * @param output    for a failure: the message, the frames of the student's code, what it
 *                  printed, and the flight recorder's excerpt of the guest (its last
 *                  instructions and VM exits); empty when passed
 * @param seconds   wall time, 0 when unknown (not run)
 */
public record TestResult(String number, String name, String className, double score, double maxScore, Status status,
                         String output, double seconds) {
    /** How a graded test ended. */
    public enum Status {
        PASSED, FAILED, TIMED_OUT;

        /** Gradescope's word: only "passed" and "failed" exist there. */
        String gradescope() {
            return this == PASSED ? "passed" : "failed";
        }
    }
}
