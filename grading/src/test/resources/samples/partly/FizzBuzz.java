package dev.vwb.student;


/** Sample submission: partly right: tests for 3 before 15, so 15 is Fizz. */
public final class FizzBuzz {
    private FizzBuzz() {
    }

    public static String of(int n) {
        if (n % 3 == 0) {
            return "Fizz";
        }
        return n % 5 == 0 ? "Buzz" : String.valueOf(n);
    }
}
