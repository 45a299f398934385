package dev.vwb.machine.cli;

import dev.vwb.machine.asm.Assembler;
import dev.vwb.machine.asm.Assembly;
import dev.vwb.machine.asm.Diagnostic;
import dev.vwb.machine.asm.Includes;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code vwb asm FILE.asm [-o OUT.bin] [-i DIR]... [--listing FILE]}: assembles a flat binary as nasm
 * -f bin does, {@code %include}s found beside the including file or in the {@code -i} folders.
 */
final class AsmCommand {
    private static final String USAGE = """
            usage: ./vwb asm FILE.asm [-o OUT.bin] [-i DIR]... [--listing FILE] [--symbols]

            Assembles NASM-syntax source into a flat binary (as nasm -f bin does).
              -o OUT.bin       where to write the binary (default: FILE without .asm, plus .bin)
              -i DIR           also look for %include files in DIR (as nasm's -i; may be repeated);
                               first comes the folder of the file that has the %include
              --listing FILE   also write a listing: line, address, bytes, source (<1> marks
                               the lines of an included file, <2> of a file it includes...)
              --symbols        print every label and its value
              --help           show this text
            Errors are printed as FILE:LINE:COLUMN: error: MESSAGE, all of them; exit status 1.
            """;

    private AsmCommand() {
    }

    static int run(String[] args, PrintStream out) throws IOException {
        String input = null;
        String output = null;
        String listing = null;
        boolean symbols = false;
        List<Path> includeFolders = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--help", "-h" -> {
                    out.print(USAGE);
                    return 0;
                }
                case "-o" -> output = value(args, ++i, "-o");
                case "-i", "-I" -> includeFolders.add(Path.of(value(args, ++i, args[i - 1])));
                case "--listing" -> listing = value(args, ++i, "--listing");
                case "--symbols" -> symbols = true;
                default -> {
                    if (args[i].matches("-[iI].+")) {  // nasm's -iDIR, the folder joined to the option
                        includeFolders.add(Path.of(args[i].substring(2)));
                        continue;
                    }
                    if (args[i].startsWith("-") || input != null) {
                        throw new IllegalArgumentException("asm: unexpected argument '" + args[i] + "'; try ./vwb asm --help");
                    }
                    input = args[i];
                }
            }
        }
        if (input == null) {
            throw new IllegalArgumentException("asm needs a source file; try ./vwb asm --help");
        }
        Path in = Path.of(input);
        if (!Files.isReadable(in)) {
            throw new IllegalArgumentException("cannot read '" + input + "'");
        }
        Assembly a = Assembler.assemble(Files.readString(in), input, Includes.folders(includeFolders));
        if (listing != null) {
            Files.writeString(Path.of(listing), a.listingText());
        }
        if (!a.ok()) {
            for (Diagnostic d : a.errors()) {
                System.err.println(d);
            }
            return 1;
        }
        Path target = Path.of(output != null ? output : input.replaceFirst("\\.asm$", "") + ".bin");
        Files.write(target, a.bytes());
        if (symbols) {
            a.symbols().forEach((name, v) -> out.printf("%08X  %s%n", v, name));
        }
        out.printf("%s: %d bytes -> %s%n", input, a.bytes().length, target);
        return 0;
    }

    static String value(String[] args, int i, String name) {
        if (i >= args.length) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        return args[i];
    }
}
