/**
 * The guest kernels bundled for the hypervisor lessons ({@link dev.vwb.workbench.guests.KernelGuests}):
 * NASM-syntax sources in this package's resources, assembled by the project's own assembler; the routines
 * several share (the Multiboot header, COM1 printing, hex, the exit device) are {@code %include}d
 * from {@code lib/}, each file saying what it does and citing its specification.
 * Their tests check the assembler against nasm and every run against QEMU, and pin each
 * kernel's output on the bare machine in a golden file ({@code NAME.output} in the test resources);
 * the paravirtual kernel, which runs only under the hypervisor, is checked there against the bare
 * output of the kernel it was made from. The attack guests of lesson 8 ({@code attack-*}) have
 * golden files of their bare runs too (and QEMU runs where QEMU's PC is vwb's); the hypervisor's
 * {@code IsolationTest} checks that each is contained.
 */
package dev.vwb.workbench.guests;
