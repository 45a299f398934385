/**
 * The {@code ./vwb} launcher: the machine's command line ({@code dev.vwb.machine.cli}) with what
 * the modules above the machine add — {@code run --trace/--trace-chrome/--break} through
 * {@code RunCommand.Extension}, and {@code bench-trace}. It lives here because the machine
 * cannot depend on tracing.
 */
package dev.vwb.workbench.cli;
