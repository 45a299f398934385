package dev.vwb.student;

import java.util.ArrayList;
import java.util.List;

/** Sample submission: allocates without bound on multiples of 15. */
public final class FizzBuzz {
    private FizzBuzz() {
    }

    public static String of(int n) {
        List<long[]> hoard = new ArrayList<>();
        while (n % 15 == 0) {
            hoard.add(new long[1 << 20]);
        }
        if (n % 3 == 0) {
            return "Fizz";
        }
        return n % 5 == 0 ? "Buzz" : String.valueOf(n);
    }
}
