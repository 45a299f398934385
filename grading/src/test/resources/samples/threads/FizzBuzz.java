package dev.vwb.student;


/** Sample submission: starts threads without bound on multiples of 15. */
public final class FizzBuzz {
    private FizzBuzz() {
    }

    public static String of(int n) {
        while (n % 15 == 0) {
            Thread t = new Thread(() -> {
                try {
                    Thread.sleep(600_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            t.setDaemon(false);
            t.start();
        }
        if (n % 3 == 0) {
            return "Fizz";
        }
        return n % 5 == 0 ? "Buzz" : String.valueOf(n);
    }
}
