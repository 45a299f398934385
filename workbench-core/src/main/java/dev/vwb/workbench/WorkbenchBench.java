package dev.vwb.workbench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Times the snapshot machinery (issue 5's targets: a snapshot of a 64 MiB machine under 200 ms,
 * {@code stepBack(1)} under 50 ms). Run with the workbench-core class path:
 * {@code java -cp workbench-core/target/classes:$(cat workbench-core/target/runtime-classpath.txt)
 * dev.vwb.workbench.WorkbenchBench}.
 */
final class WorkbenchBench {
    private static final String COUNTER = "org 0\nbits 16\nstart: xor ax, ax\nagain: inc ax\n"
            + "add [counter], ax\njmp again\ncounter: dw 0\n";

    private WorkbenchBench() {
    }

    public static void main(String[] args) throws Exception {
        for (int mib : new int[] {16, 64}) {
            Vm vm = Workbench.fromAssembly(COUNTER).ramMiB(mib).build();
            // Worst case: every page of RAM holds data, so nothing is left out as zeros.
            byte[] noise = new byte[1 << 20];
            new Random(1).nextBytes(noise);
            for (int at = 0x100000; at < mib << 20; at += noise.length) {
                vm.machine().memory().loadIgnoringRom(at, noise);
            }
            vm.setReg("eax", 0);  // a hand change: starts the history here
            for (int round = 0; round < 3; round++) {
                time(mib + " MiB snapshot (pages shared with the last one)", vm::snapshot);
            }
            Path file = Files.createTempFile("vwb-bench", ".vwbsnap");
            time(mib + " MiB save to file", () -> vm.save(file));
            System.out.printf("    file size %,d bytes%n", Files.size(file));
            time(mib + " MiB load from file and restore", () -> vm.load(file));
            Files.delete(file);
            vm.step(100_000);
            for (int round = 0; round < 3; round++) {
                vm.step(1_000);
                time(mib + " MiB stepBack(1) after step(1000)", () -> vm.stepBack(1));
            }
            vm.run();
            time(mib + " MiB stepBack(1) after run() of " + vm.budget() + " instructions", () -> vm.stepBack(1));
            time(mib + " MiB stepBack(1) again", () -> vm.stepBack(1));
            System.out.printf("    %d checkpoints%n", vm.checkpoints());
        }
    }

    private static void time(String what, Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        System.out.printf("%-58s %7.1f ms%n", what, (System.nanoTime() - t0) / 1e6);
    }
}
