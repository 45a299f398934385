package dev.vwb.machine.asm;

import java.util.Collection;

/** "Did you mean ...?": the closest known name by edit distance (Levenshtein). */
public final class Suggest {
    private Suggest() {
    }

    /** The closest candidate within a distance of a third of the name (at least 2), or null. */
    public static String closest(String name, Collection<String> candidates) {
        String best = null;
        int bestDistance = Math.max(2, name.length() / 3) + 1;
        for (String c : candidates) {
            int d = distance(name.toLowerCase(), c.toLowerCase());
            if (d >= bestDistance && name.length() >= 3 && isSubsequence(name.toLowerCase(), c.toLowerCase())) {
                d = bestDistance - 1; // "lop" for "loop_top": every letter typed, some left out
            }
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return best;
    }

    private static boolean isSubsequence(String a, String b) {
        int j = 0;
        for (int i = 0; i < b.length() && j < a.length(); i++) {
            if (b.charAt(i) == a.charAt(j)) {
                j++;
            }
        }
        return j == a.length();
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
