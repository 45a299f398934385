package dev.vwb.student;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Sample submission: writes a file outside its folder on multiples of 15. */
public final class FizzBuzz {
    private FizzBuzz() {
    }

    public static String of(int n) {
        if (n % 15 == 0) {
            try {
                Files.writeString(Path.of("scratch-is-fine.txt"), "inside its folder: allowed");
                Files.writeString(Path.of("@OUTSIDE_PATH@"), "escaped the sandbox");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (n % 3 == 0) {
            return "Fizz";
        }
        return n % 5 == 0 ? "Buzz" : String.valueOf(n);
    }
}
