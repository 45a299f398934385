package dev.vwb.grading;

import java.util.Locale;

/** The Ant/Surefire JUnit XML format CI servers read: one testsuite, a testcase per graded test, a failure element for each not passed. */
final class JunitXml {
    private JunitXml() {
    }

    static String of(GradeReport r) {
        long failures = r.tests().stream().filter(t -> t.status() == TestResult.Status.FAILED).count();
        long errors = r.tests().stream().filter(t -> t.status() == TestResult.Status.TIMED_OUT).count();
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        b.append(String.format(Locale.ROOT, "<testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"0\" time=\"%.3f\">%n",
                escape(r.exercise() + " — " + r.submission()), r.tests().size(), failures, errors, r.seconds()));
        b.append("  <properties>\n");
        property(b, "submission", r.submission());
        property(b, "verdict", r.verdict().label());
        property(b, "score", Scores.format(r.score()));
        property(b, "max_score", Scores.format(r.maxScore()));
        b.append("  </properties>\n");
        for (TestResult t : r.tests()) {
            b.append(String.format(Locale.ROOT, "  <testcase classname=\"%s\" name=\"%s\" time=\"%.3f\"",
                    escape(t.className()), escape(t.name()), t.seconds()));
            if (t.status() == TestResult.Status.PASSED) {
                b.append("/>\n");
                continue;
            }
            String element = t.status() == TestResult.Status.TIMED_OUT ? "error" : "failure";
            String message = t.output().lines().findFirst().orElse("");
            b.append(">\n    <").append(element).append(" message=\"").append(escape(message)).append("\">")
                    .append(escape(t.output())).append("</").append(element).append(">\n  </testcase>\n");
        }
        b.append("  <system-out>").append(escape(r.output())).append("</system-out>\n");
        return b.append("</testsuite>\n").toString();
    }

    private static void property(StringBuilder b, String name, String value) {
        b.append("    <property name=\"").append(name).append("\" value=\"").append(escape(value)).append("\"/>\n");
    }

    /** XML-escaped, and characters XML 1.0 cannot hold at all (a submission may print anything) replaced. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> {
                    boolean legal = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
                            || (c >= 0xE000 && c <= 0xFFFD) || c >= 0x10000;
                    b.appendCodePoint(legal ? c : '\uFFFD');
                }
            }
        });
        return b.toString();
    }
}
