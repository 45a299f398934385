package dev.vwb.student;


/** Sample submission: calls System.exit on multiples of 15. */
public final class FizzBuzz {
    private FizzBuzz() {
    }

    public static String of(int n) {
        if (n % 15 == 0) {
            System.exit(0);
        }
        if (n % 3 == 0) {
            return "Fizz";
        }
        return n % 5 == 0 ? "Buzz" : String.valueOf(n);
    }
}
