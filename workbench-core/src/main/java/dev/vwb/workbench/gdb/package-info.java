/**
 * A GDB remote stub for the workbench's VMs ({@link dev.vwb.workbench.gdb.GdbServer}): gdb and
 * IDEs attach to a {@link dev.vwb.workbench.Vm} with {@code target remote}, as to QEMU's gdbstub.
 * The wire ({@code PacketChannel}), the registers and target description ({@code I386Registers}),
 * breakpoints ({@code GdbPoints}), stop replies ({@code StopReply}) and the packets
 * ({@code GdbSession}, {@code Queries}, {@code MemoryPackets}) are one class each; workbench-core's DESIGN.md has the notes.
 */
package dev.vwb.workbench.gdb;
