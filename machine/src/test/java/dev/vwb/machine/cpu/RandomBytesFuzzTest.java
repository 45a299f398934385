package dev.vwb.machine.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vwb.machine.RunResult;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random bytes executed as code, in real mode and in flat protected mode: the CPU only ever
 * retires instructions or raises guest exceptions — no Java exception escapes, whatever the bytes.
 * Each step either retires an instruction or delivers an exception (or the run stops), which the
 * counts below check. The seed is fixed; a long campaign can raise {@code vwb.fuzz.trials}.
 */
class RandomBytesFuzzTest {
    private static final int TRIALS = Integer.getInteger("vwb.fuzz.trials", 3000);
    private static final int STEPS = 300;

    @Test
    void randomCodeInRealModeOnlyRetiresOrRaisesGuestExceptions() {
        fuzz(false, 0x5EED_0001L);
    }

    @Test
    void randomCodeInFlatProtectedModeOnlyRetiresOrRaisesGuestExceptions() {
        fuzz(true, 0x5EED_0002L);
    }

    @Test
    void randomCodeTranslatedAtOnceRunsExactlyAsInterpreted() {
        String interpreted = fuzz(false, 0x5EED_0003L) + " / " + fuzz(true, 0x5EED_0004L);
        translateAtOnce = true;
        try {
            String translated = fuzz(false, 0x5EED_0003L) + " / " + fuzz(true, 0x5EED_0004L);
            assertEquals(interpreted, translated, "translated blocks must retire and raise exactly what the interpreter does");
        } finally {
            translateAtOnce = false;
        }
    }

    /** Translate every block on its first execution, to put the translator under the fuzzer too. */
    private static boolean translateAtOnce;

    /** Runs the trials; returns "retired instructions, exceptions raised, final state hash" for comparisons. */
    private static String fuzz(boolean protectedMode, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long retired = 0;
        long exceptions = 0;
        long stateHash = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            int[] code = new int[64];
            for (int i = 0; i < code.length; i++) {
                code[i] = random.nextInt(256);
            }
            TestRig r = protectedMode ? TestRig.flat(code) : TestRig.real(code);
            if (translateAtOnce) {
                r.cpu.setTranslationThreshold(1);
            }
            // Random data around the code and an IDT/IVT of random gates, so jumps land anywhere.
            byte[] noise = new byte[0x800];
            for (int i = 0; i < noise.length; i++) {
                noise[i] = (byte) random.nextInt(256);
            }
            r.machine.memory().load(0, noise);
            if (protectedMode) {
                r.cpu.setIdtr(0, 0x7FF);
                r.cpu.setGdtr(0x400, 0x3FF);
            }
            long[] raised = {0};
            r.cpu.setExceptionInterceptor((cpu, ev) -> {
                raised[0]++;
                return ExceptionInterceptor.Decision.DELIVER;
            });
            RunResult result;
            try {
                result = r.machine.run(STEPS);
            } catch (RuntimeException e) {
                StringBuilder hex = new StringBuilder();
                for (int b : code) {
                    hex.append(String.format("%02X ", b));
                }
                throw new AssertionError("trial " + trial + " (" + (protectedMode ? "flat32" : "real16") + ") threw "
                        + e + " on code " + hex, e);
            }
            assertTrue(result.instructions() <= STEPS);
            retired += result.instructions();
            exceptions += raised[0];
            stateHash = stateHash * 31 + r.cpu.toString().hashCode();
        }
        System.out.printf("random-bytes fuzz (%s): %d trials, %d instructions retired, %d exceptions raised%n",
                protectedMode ? "flat32" : "real16", TRIALS, retired, exceptions);
        if (retired == 0) {
            fail("nothing retired: the fuzz test is not exercising the CPU");
        }
        assertEquals(true, exceptions > 0, "random code should raise some exceptions");
        return retired + " retired, " + exceptions + " exceptions, state " + Long.toHexString(stateHash);
    }
}
