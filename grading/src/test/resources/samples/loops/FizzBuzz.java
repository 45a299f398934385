package dev.vwb.student;


/** Sample submission: loops forever on multiples of 15. */
public final class FizzBuzz {
    private FizzBuzz() {
    }

    public static String of(int n) {
        while (n % 15 == 0) {
            Thread.onSpinWait();
        }
        if (n % 3 == 0) {
            return "Fizz";
        }
        return n % 5 == 0 ? "Buzz" : String.valueOf(n);
    }
}
