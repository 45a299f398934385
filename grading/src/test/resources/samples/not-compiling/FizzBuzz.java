package dev.vwb.student;

/** Sample submission: does not compile (a missing semicolon, an unknown name). */
public final class FizzBuzz {
    public static String of(int n) {
        String s = fizz(n)
        return s;
    }
}
