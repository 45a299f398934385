/**
 * Tracing: immutable trace events stamped with the retired-instruction count, a tracer that
 * filters them into sinks, and breakpoint and watchpoint conditions over the same events
 * (ARCHITECTURE.md, "Tracing"). Built on the machine's hooks; knows nothing of the hypervisor
 * beyond the event records it adds.
 */
package dev.vwb.tracing;
