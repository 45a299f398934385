/**
 * The scriptable object model (ARCHITECTURE.md, "The scripting surface"): a {@code Workbench}
 * makes virtual machines from guests, and each VM offers stepping, running, registers, memory
 * and page-table views, disassembly, breakpoints, traces and snapshots, each value readable as
 * text and renderable as HTML. The REPL, the notebooks, the exercises and the grader all script
 * this one model.
 */
package dev.vwb.workbench;
