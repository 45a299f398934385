package dev.vwb.student;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Sample submission: answers only if it can get at the reference solution (the exercises on the class path, or its file). */
public final class FizzBuzz {
    private FizzBuzz() {
    }

    public static String of(int n) {
        if (FizzBuzz.class.getClassLoader().getResource("dev/vwb/exercises/index.list") != null) {
            return copied(n);
        }
        try {
            return Files.readString(Path.of("@SOLUTION_PATH@")).contains("FizzBuzz") ? copied(n) : "?";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What it would copy from the solution. */
    private static String copied(int n) {
        return n % 15 == 0 ? "FizzBuzz" : n % 3 == 0 ? "Fizz" : n % 5 == 0 ? "Buzz" : String.valueOf(n);
    }
}
