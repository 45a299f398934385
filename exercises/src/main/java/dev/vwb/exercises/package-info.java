/**
 * The exercises: hypervisor extensions students write against the extension points the reference
 * hypervisor itself uses ({@link dev.vwb.exercises.Exercises} lists them), each with a skeleton,
 * public tests, hidden graded tests and a reference solution.
 */
package dev.vwb.exercises;
