package dev.vwb.machine.difftest;

import java.util.List;

/** Something that can run {@link DiffCase}s: Unicorn (the reference) or vwb's own CPU. */
interface Engine extends AutoCloseable {

    /** Runs every case of the batch independently (fresh state each) and returns results in order. */
    List<DiffResult> run(List<DiffCase> batch);

    /** Short name for reports. */
    default String name() {
        return getClass().getSimpleName();
    }

    @Override
    default void close() {
    }
}
