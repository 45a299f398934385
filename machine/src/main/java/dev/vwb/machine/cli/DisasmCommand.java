package dev.vwb.machine.cli;

import dev.vwb.machine.asm.Disassembler;
import dev.vwb.machine.asm.Instruction;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code vwb disasm FILE.bin [--bits 16|32] [--org ADDR]}: lists a flat binary as ndisasm does. */
final class DisasmCommand {
    private static final String USAGE = """
            usage: ./vwb disasm FILE.bin [--bits 16|32] [--org ADDR]

            Disassembles a flat binary into NASM syntax, one instruction a line: address,
            bytes, instruction (the format of ndisasm).
              --bits 16|32   the code's default operand and address size (default 16)
              --org ADDR     the address of the first byte (default 0; 0x7c00 or 7c00h for hex)
              --help         show this text
            """;

    private DisasmCommand() {
    }

    static int run(String[] args, PrintStream out) throws IOException {
        String input = null;
        int bits = 16;
        long org = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--help", "-h" -> {
                    out.print(USAGE);
                    return 0;
                }
                case "--bits", "-b" -> {
                    String v = AsmCommand.value(args, ++i, "--bits");
                    if (!v.equals("16") && !v.equals("32")) {
                        throw new IllegalArgumentException("--bits must be 16 or 32, not '" + v + "'");
                    }
                    bits = Integer.parseInt(v);
                }
                case "--org", "-o" -> org = address(AsmCommand.value(args, ++i, "--org"));
                default -> {
                    if (args[i].startsWith("-") || input != null) {
                        throw new IllegalArgumentException("disasm: unexpected argument '" + args[i] + "'; try ./vwb disasm --help");
                    }
                    input = args[i];
                }
            }
        }
        if (input == null) {
            throw new IllegalArgumentException("disasm needs a binary file; try ./vwb disasm --help");
        }
        Path in = Path.of(input);
        if (!Files.isReadable(in)) {
            throw new IllegalArgumentException("cannot read '" + input + "'");
        }
        for (Instruction i : Disassembler.disassembleAll(Files.readAllBytes(in), org, bits)) {
            out.println(i);
        }
        return 0;
    }

    private static long address(String s) {
        try {
            return Args.number(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--org needs an address like 0x7c00, not '" + s + "'");
        }
    }
}
