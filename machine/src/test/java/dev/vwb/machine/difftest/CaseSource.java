package dev.vwb.machine.difftest;

/** A deterministic source of cases: case {@code id} of a given seed is always the same case. */
interface CaseSource {

    DiffCase generate(long id);

    long seed();
}
