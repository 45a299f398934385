/**
 * A NASM-compatible assembler and an ndisasm-compatible disassembler for the instructions the
 * vwb CPU executes, so lessons, tests and exercises can write guest code as text.
 *
 * <h2>Public surface</h2>
 * {@link dev.vwb.machine.asm.Assembler#assemble(String, String)} (or, with {@code %include}s,
 * {@link dev.vwb.machine.asm.Assembler#assemble(String, String, Includes)}) gives an
 * {@link dev.vwb.machine.asm.Assembly}: the flat binary, a listing, the symbol table and every
 * {@link dev.vwb.machine.asm.Diagnostic} (file, line, column, message).
 * {@link dev.vwb.machine.asm.Disassembler#disassemble(byte[], int, long, int)} gives one
 * {@link dev.vwb.machine.asm.Instruction} (bytes, text as ndisasm prints it).
 *
 * <h2>Design</h2>
 * One table, {@code InsnTable}, one line per instruction form ({@code add rmv,sb | o 83 /0}),
 * is read by both directions ({@code Forms}): the assembler tries every row of a mnemonic and
 * keeps the shortest encoding (first row among equals, as NASM's optimizer does); the
 * disassembler indexes the rows by opcode byte and takes the first that fits the bytes. Flags
 * on the rows carry ndisasm's printing habits (when a size keyword or an unused prefix is shown).
 * The assembler parses each line once ({@code LineParser}, {@code ExprParser}) and then runs
 * passes until label addresses stop moving, so forward references pick the short forms NASM
 * picks; the last pass reports every error. {@code MemoryEncoding} chooses ModRM/SIB as NASM.
 *
 * <h2>Checked against the oracles</h2>
 * {@code AssemblerMatchesNasmTest}: the corpus (scripts/gen-asm-corpus.py, every row with sample
 * operands in 16- and 32-bit code, 7,510 lines) byte for byte against {@code nasm -f bin}, and
 * whole programs. {@code DisassemblerMatchesNdisasmTest}: random bytes and the corpus against
 * {@code ndisasm}, lengths and normalised text.
 *
 * <h2>Known limits</h2>
 * <ul>
 *   <li>Preprocessor: only {@code %define}/{@code %assign}/{@code %undef} of single-line values
 *       and {@code %include} (through an {@link dev.vwb.machine.asm.Includes} resolver); no
 *       macros, {@code %if}, {@code incbin}; one flat section.
 *   <li>No x87/MMX/SSE (the CPU has none): the disassembler prints such bytes as {@code db}
 *       where ndisasm decodes them (counted apart by the test).
 *   <li>Opcode 82h and F6/F7 /1 are executed by the CPU but not decoded by ndisasm; the
 *       disassembler decodes 82h (counted as "vwb only").
 *   <li>The unused-prefix rules of ndisasm ({@code a32}, {@code o16} on instructions that
 *       ignore them) were found by experiment on NASM 2.16; other versions may differ.
 *   <li>{@code strict}, {@code [byte ...]} displacement overrides and {@code seg}/{@code wrt}
 *       are accepted only in part.
 * </ul>
 */
package dev.vwb.machine.asm;
