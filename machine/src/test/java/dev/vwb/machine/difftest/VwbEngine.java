package dev.vwb.machine.difftest;

import java.util.List;

/** Runs {@link DiffCase}s on vwb's own CPU: implemented by the CPU engineer. */
final class VwbEngine implements Engine {

    VwbEngine() {
    }

    @Override
    public List<DiffResult> run(List<DiffCase> batch) {
        throw new UnsupportedOperationException("VwbEngine is not implemented yet (owned by the CPU engineer)");
    }

    @Override
    public String name() {
        return "vwb";
    }

    @Override
    public void close() {
    }
}
