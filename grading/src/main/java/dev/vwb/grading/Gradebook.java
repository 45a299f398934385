package dev.vwb.grading;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The batch's gradebook: {@code submission,score,max,status,seconds}, one row per submission (RFC 4180 quoting). */
final class Gradebook {
    static final String HEADER = "submission,score,max,status,seconds";

    private Gradebook() {
    }

    static void write(List<GradeReport> reports, Path file) throws IOException {
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        for (GradeReport r : reports) {
            b.append(quote(r.submission())).append(',').append(Scores.format(r.score())).append(',')
                    .append(Scores.format(r.maxScore())).append(',').append(quote(r.verdict().label())).append(',')
                    .append(String.format(Locale.ROOT, "%.1f", r.seconds())).append('\n');
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, b);
    }

    private static String quote(String field) {
        return field.matches("[^\",\\r\\n]*") ? field : '"' + field.replace("\"", "\"\"") + '"';
    }
}
